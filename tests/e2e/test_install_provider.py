"""`blaxel-constructs install-provider` makes a plain `terraform init` find the provider with no network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blaxel_constructs import __version__
from tests.support.terraform import QUIET_ENV, REPO, run

pytestmark = pytest.mark.e2e


def test_the_default_install_is_found_by_a_plain_terraform_init(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "BL_"))}
    env.update(QUIET_ENV, HOME=str(home))
    env["TF_CLI_CONFIG_FILE"] = str(tmp_path / "no-such-terraformrc")  # no provider_installation block anywhere

    installed = run([str(REPO / ".venv" / "bin" / "blaxel-constructs"), "install-provider"], cwd=tmp_path, env=env)

    assert str(home / ".terraform.d" / "plugins") in installed.stdout
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.tf").write_text(
        'terraform {\n  required_providers {\n    blaxel = { source = "blaxel-constructs/blaxel" }\n  }\n}\n'
    )
    init = run(["terraform", "init", "-no-color", "-input=false"], cwd=project, env=env)
    assert f"Installing blaxel-constructs/blaxel v{__version__}" in init.stdout
    schema = run(["terraform", "providers", "schema", "-json"], cwd=project, env=env)
    assert '"blaxel_model"' in schema.stdout
