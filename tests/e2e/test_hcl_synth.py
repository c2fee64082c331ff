"""``cdktf synth --hcl`` and ``cdktf synth`` of the same app plan to exactly the same values.

Each app is synthesized twice by the real cdktf CLI (``node_modules/.bin/cdktf``), as Terraform JSON
and as HCL; every stack of both is initialised and planned by plain ``terraform`` with this
checkout's provider installed privately, against the emulator process; ``terraform show -json`` of
the two plans must agree on the planned values, each resource's planned ``after``, and which provider
configuration and dependencies each resource has. The apps: the two examples, and one that sets every
argument (aliased provider, ``depends_on``, timeouts) with strings that HCL must escape.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.support.plans import comparable, plan_of
from tests.support.terraform import CDKTF, REPO, run

pytestmark = pytest.mark.e2e

PYTHON = REPO / ".venv" / "bin" / "python"

#: An app using every argument, with label and display-name strings that a naive HCL writer breaks.
EVERYTHING_APP = textwrap.dedent(
    """
    from cdktf import App, TerraformOutput, TerraformStack

    from blaxel_constructs import BlaxelProvider, Flavor, ModelEndpoint, ModelRuntime

    app = App()
    stack = TerraformStack(app, "everything")
    BlaxelProvider(stack, "blaxel", workspace="emulator", api_version="2026-04-16")
    shared = BlaxelProvider(stack, "shared", alias="shared", workspace="emulator")
    first = ModelEndpoint(stack, "first", name="hcl-first", runtime=ModelRuntime(type="openai", model="gpt-4.1"))
    every = ModelEndpoint(
        stack,
        "every",
        name="hcl-every",
        runtime=ModelRuntime(type="huggingface", model="org/m", organization="o", endpoint_name="e", generation="mk3"),
        display_name='Say "hi" \\\\ now',
        external_id="ext-1",
        labels={
            "quote": 'a "quoted" value',
            "backslash": "C:\\\\models\\\\new",
            "newline": "two\\nlines",
            "tab": "a\\tb",
            "for": "a key HCL reads as a keyword",
            "dotted.key/with space": "x",
            "1digit": "",
        },
        flavors=[Flavor(name="t4", type="cpu"), Flavor(name="a100", type="gpu")],
        integration_connections=["conn-a", "conn-b"],
        policies=["pol-a"],
        enabled=False,
        sandbox=True,
        timeouts={"create": "30m", "update": "20m", "delete": "5m"},
        provider=shared,
        depends_on=[first],
    )
    TerraformOutput(stack, "url", value=every.url)
    app.synth()
    """
)


@pytest.fixture
def env(emulator_env: dict[str, str]) -> dict[str, str]:
    """The emulator's BL_* variables and the private provider install; local state, never PostgreSQL; the OpenAI
    key the examples' connections read at plan time (``Secret.from_env``: ``TF_VAR_OPENAI_API_KEY``)."""
    kept = {key: value for key, value in emulator_env.items() if key != "BLAXEL_STATE_PG"}
    return {**kept, "TF_VAR_OPENAI_API_KEY": "sk-hcl-synth-test-key"}


def _project(root: Path, app: Path) -> Path:
    """A cdktf project directory (the repository's cdktf.json) whose app is ``app``."""
    config = json.loads((REPO / "cdktf.json").read_text())
    config["app"] = f"{PYTHON} {app}"
    root.mkdir(parents=True, exist_ok=True)
    (root / "cdktf.json").write_text(json.dumps(config))
    return root


def _synth(project: Path, env: dict[str, str], *, hcl: bool) -> dict[str, Path]:
    """Run ``cdktf synth`` (``--hcl`` when asked) into its own directory; the stack directories by name."""
    output = project / ("hcl.out" if hcl else "json.out")
    run([str(CDKTF), "synth", *(["--hcl"] if hcl else []), "--output", str(output)], cwd=project, env=env)
    stacks = {path.name: path for path in sorted((output / "stacks").iterdir())}
    expected = "cdk.tf" if hcl else "cdk.tf.json"
    assert all((path / expected).is_file() for path in stacks.values()), stacks
    return stacks


def _assert_same_plans(app: Path, project: Path, env: dict[str, str], stacks: set[str]) -> dict[str, Any]:
    """Synthesize ``app`` both ways, plan every stack of each, assert the plans agree; the HCL plans by stack."""
    _project(project, app)
    as_json = _synth(project, env, hcl=False)
    as_hcl = _synth(project, env, hcl=True)
    assert set(as_json) == set(as_hcl) == stacks

    plans: dict[str, Any] = {}
    for name in sorted(stacks):
        json_plan, _ = plan_of(as_json[name], env)
        hcl_plan, hcl_result = plan_of(as_hcl[name], env)

        assert "Warning" not in hcl_result.output, hcl_result.output
        expected = comparable(json_plan)
        assert expected["planned_resources"], f"stack {name} plans no resource: the comparison would be empty"
        assert comparable(hcl_plan) == expected, f"stack {name}: the HCL synth plans differently from the JSON synth"
        plans[name] = expected
    return plans


def test_the_quickstart_synthesized_as_hcl_plans_exactly_the_values_of_its_json_synth(
    tmp_path: Path, env: dict[str, str]
) -> None:
    app = REPO / "examples" / "quickstart" / "main.py"

    plans = _assert_same_plans(app, tmp_path / "quickstart", env, {"quickstart"})

    after = plans["quickstart"]["after"]
    (model,) = [values for address, values in after.items() if address.startswith("blaxel_model.")]
    (connection,) = [
        values for address, values in after.items() if address.startswith("blaxel_integration_connection.")
    ]
    assert connection["secret_wo"] is None  # write-only: never in a plan, from either synth
    assert connection["secret_wo_version"] == 1
    assert model["runtime"]["model"] == "gpt-4.1"
    assert model["flavors"] == [{"name": "t4", "type": "cpu"}]


def test_every_multi_env_stack_synthesized_as_hcl_plans_exactly_the_values_of_its_json_synth(
    tmp_path: Path, env: dict[str, str]
) -> None:
    plans = _assert_same_plans(
        REPO / "examples" / "multi_env" / "main.py", tmp_path / "multi_env", env, {"dev", "staging", "prod"}
    )

    assert "blaxel.shared" in plans["prod"]["provider_config"].values()


def test_an_app_setting_every_argument_with_strings_hcl_must_escape_plans_the_same_from_hcl_and_json(
    tmp_path: Path, env: dict[str, str]
) -> None:
    app = tmp_path / "app" / "main.py"
    app.parent.mkdir()
    app.write_text(EVERYTHING_APP)

    plans = _assert_same_plans(app, tmp_path / "everything", env, {"everything"})

    plan = plans["everything"]
    every = next(after for address, after in plan["after"].items() if "every" in address)
    assert every["labels"]["backslash"] == "C:\\models\\new"
    assert every["labels"]["newline"] == "two\nlines"
    assert every["labels"]["for"] == "a key HCL reads as a keyword"
    assert every["display_name"] == 'Say "hi" \\ now'
    assert any(deps for deps in plan["depends_on"].values())
    assert "blaxel.shared" in plan["provider_config"].values()
