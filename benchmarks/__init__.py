"""Benchmarks against the anchors, measured side by side in one run: ``make bench`` (``python -m benchmarks``).

A benchmark, not a test: ``make test`` never runs these, and nothing here asserts. Each module measures
this project and what a user would use instead, in the same process, on the same machine, and returns
rows for one table (``report``):

- ``synth``: 1,000 and 10,000 ``ModelEndpoint``s against as many plain cdktf ``TerraformResource``s with the
  same attributes, and against ``json.dumps`` of the same JSON (the floor); a gateway stack of 1,000 (a
  connection, a policy and a model each); CDK Terrain against cdktf, each in its own process (``synth_stacks``);
- ``waiting``: how late the handler notices a finished deployment, and how many GETs that costs, against
  fixed 5 s polling and Terraform's ``StateChangeConf`` schedule, on the emulator;
- ``scale``: ``terraform apply``, ``plan -refresh-only`` and ``destroy`` of 10, 100 and 1,000 endpoints
  against as many ``terraform_data`` resources doing the same sleeps (at 1,000 also ``terraform_data`` with
  a state as large as ours: Terraform alone), the API calls each endpoint cost (from ``/_emulator/stats``),
  and where our extra time goes (``breakdown``); ``plots`` draws the charts;
- ``environments``: ``environments status`` of three environments of 100 endpoints each: the plan phase of
  the three at once against the slowest one planned alone, and against the machine's CPU floor;
- ``adoption``: ``blaxel-constructs import`` of a workspace of 1,000 models seeded by raw HTTP (under 10 s), and
  the first plan of the generated code (1,000 imports) against ``plan -refresh-only`` of the same 1,000 in state;
- ``startup``: the installed provider's time from launch to its handshake line, its peak memory, and
  what it imports.

``python -m benchmarks`` runs them all, prints the table, writes ``benchmarks/results.json`` and, with
``--update-readme``, the "Benchmarks" section of the README.
"""
