"""Benchmarks against the anchors, measured side by side in one run: ``make bench`` (``python -m benchmarks``).

A benchmark, not a test: ``make test`` never runs these, and nothing here asserts. Each module measures
this project and what a user would use instead, in the same process, on the same machine, and returns
rows for one table (``report``):

- ``synth``: 1,000 ``ModelEndpoint``s against 1,000 plain cdktf ``TerraformResource``s with the same
  attributes, and against ``json.dumps`` of the same JSON (the floor);
- ``waiting``: how late the handler notices a finished deployment, and how many GETs that costs, against
  fixed 5 s polling and Terraform's ``StateChangeConf`` schedule, on the emulator;
- ``apply``: ``terraform apply`` of 100 endpoints against 100 ``terraform_data`` resources doing the same
  sleep, a refresh-only plan over them, and the API calls each endpoint cost (from ``/_emulator/stats``);
- ``startup``: the installed provider's time from launch to its handshake line, its peak memory, and
  what it imports.

``python -m benchmarks`` runs them all, prints the table, writes ``benchmarks/results.json`` and, with
``--update-readme``, the "Benchmarks" section of the README.
"""
