"""``blaxel-constructs import``: write code that adopts what a Blaxel workspace already holds.

Reads the workspace named by the ``BL_*`` variables (lists only, paginated; secrets are never read: the API masks
them) and writes either Terraform HCL (``main.tf`` with one resource per object, ``imports.tf`` with one
``import`` block each) or a cdktf / CDK Terrain app (``main.py`` with one stack, each construct marked for import,
and a portable ``cdktf.json``). The first plan or deploy imports every object and changes nothing.

One module per job, in the order the command runs them:

- ``import_parser``: the arguments (``--format``, ``--out``, ``--name``, ``--label``, ``--kind``, ``--force``,
  ``--take-over-secrets``, ``--stack``);
- ``framework_check``: whether the CDK of ``--format cdktf|cdktn`` is installed, and what to install;
- ``output_writing``: refuse an output directory holding files unless ``--force``; write the files;
- ``workspace_reading``: list each kind, set aside objects being deleted;
- ``object_filter``: ``--name`` globs and ``--label`` pairs;
- ``identifiers``: addresses, variables and secret variable names derived from object names;
- ``adoption``: what to write for each object, from its kind's description alone (values, references, secrets);
- ``hcl_rendering`` and ``python_rendering``: the files;
- ``summary_rendering``: what is printed;
- ``import_command``: the boundary that runs them and turns errors into one message and exit code 1.
"""
