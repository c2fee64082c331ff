"""`blaxel-constructs install-provider` makes a plain `terraform init` find the provider with no network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blaxel_constructs import __version__
from blaxel_constructs.provider.install import install_provider
from tests.support.terraform import QUIET_ENV, REPO, hcl_header, run

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


def test_when_the_python_it_was_installed_from_is_gone_terraform_shows_why_and_the_fix(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    gone = tmp_path / "deleted-venv" / "bin" / "python"  # a venv removed after install-provider ran in it
    install_provider(home / ".terraform.d" / "plugins", python=str(gone), user_config=home / ".config")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "BL_"))}
    env.update(QUIET_ENV, HOME=str(home), TF_CLI_CONFIG_FILE=str(tmp_path / "no-such-terraformrc"))
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.tf").write_text(hcl_header())
    run(["terraform", "init", "-no-color", "-input=false"], cwd=project, env=env)

    planned = run(["terraform", "plan", "-no-color", "-input=false"], cwd=project, env=env, expect=(1,))

    shown = " ".join(planned.output.split())
    assert f"Unrecognized remote plugin message: terraform-provider-blaxel {__version__} cannot start" in shown
    assert f"the Python it was installed from, {gone}" in shown
    assert 'Run "blaxel-constructs install-provider" from the virtual environment' in shown
