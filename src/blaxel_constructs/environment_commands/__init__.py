"""``blaxel-constructs environments``: what differs between two environments, and which one has drifted.

Run in the directory of an app built on ``EnvironmentStack`` (or any cdktf/cdktn app with one stack per
environment), where ``cdktf deploy`` runs:

- ``environments diff A B`` compares the two environments' synthesized stacks resource by resource, matched by
  construct path, and leaves out what differs only by the environments' own settings (``--all`` keeps it);
- ``environments status [ENV...]`` plans every environment at once against its own state backend and the live
  API: in sync, drifted (changed outside Terraform), changes pending, or not deployed.

Both are read-only: no state written (not even the empty one that ``terraform init`` would leave on a PostgreSQL
backend), no request that changes anything, no lock that would keep a deploy waiting, no secret needed.

The modules, in the order the data flows:

- ``environments_parser``: the subcommands' arguments (light: ``blaxel-constructs`` imports it to parse);
- ``environments_command``: the boundary: stacks, run, print, exit code, errors;
- ``app_synthesis``: run the app's ``cdktf.json`` command into a private directory (the app runs in its own
  process on its own framework: nothing here imports cdktf or cdktn), or read ``--output``;
- ``synthesized_stack``: one ``cdk.tf.json``, its elements by construct path, backend and variables;
- ``stack_diff``: the diff of two stacks;
- ``state_presence``: where an environment's state is and whether it holds anything, without ``terraform init``;
- ``terraform_session``: the ``terraform`` commands of one environment, in its private working directory;
- ``plan_reading``: drift and pending changes from a saved plan's JSON;
- ``status_check``: every environment's status, concurrently;
- ``report_rendering``: the table, the summary line and the JSON.
"""
