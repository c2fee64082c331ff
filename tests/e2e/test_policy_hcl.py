"""``blaxel_policy`` in plain HCL against the real emulator process, through real ``terraform`` and the installed
provider: each type, update in place, drift, import, destroy, and invalid configurations refused at plan with
no API call."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.emulator_process import EmulatorProcess
from tests.support.terraform import REPO, Workdir

pytestmark = pytest.mark.e2e

EXAMPLES = REPO / "examples"

LOCATION = """
resource "blaxel_policy" "eu" {
  name           = "eu-only"
  type           = "location"
  resource_types = ["model"]
  locations      = [{ name = "eu", type = "continent" }]
  labels         = { team = "platform" }
}
"""


def _api(emulator: EmulatorProcess, method: str, path: str, body: Any = None) -> Any:
    """Call the emulator's API directly: what Blaxel holds, or a change made outside Terraform."""
    response = requests.request(method, emulator.base_url + path, headers=emulator.headers(), json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def _policy_names(emulator: EmulatorProcess) -> list[str]:
    return sorted(p["metadata"]["name"] for p in _api(emulator, "GET", "/policies"))


def _examples(tmp_path: Path, env: dict[str, str], *examples: str) -> Workdir:
    path = tmp_path / "examples"
    path.mkdir()
    for example in ("provider/provider.tf", *examples):
        shutil.copy(EXAMPLES / example, path / example.replace("/", "_"))
    workdir = Workdir(path, env)
    workdir.init()
    return workdir


def test_the_example_creates_a_policy_of_each_type_plans_clean_and_destroys_them(
    tmp_path: Path, emulator_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    workdir = _examples(tmp_path, emulator_env, "resources/blaxel_policy/resource.tf")

    workdir.apply()

    assert _policy_names(emulator) == ["cpu-only", "eu-only", "token-cap"]
    tokens = _api(emulator, "GET", "/policies/token-cap")["spec"]
    assert tokens["type"] == "maxToken"
    assert tokens["maxTokens"] == {
        "granularity": "minute",
        "input": 10000,
        "output": 5000,
        "total": 15000,
        "ratioInputOverOutput": 2,
    }
    flavor = _api(emulator, "GET", "/policies/cpu-only")["spec"]
    assert (flavor["flavors"], flavor["resourceTypes"]) == ([{"name": "t4", "type": "cpu"}], ["model", "agent"])
    eu = workdir.resource("blaxel_policy.eu_only")
    assert (eu["id"], eu["workspace"], eu["display_name"]) == ("eu-only", emulator.workspace, "EU only")
    assert eu["locations"] == [{"name": "eu", "type": "continent"}, {"name": "ch", "type": "country"}]
    assert eu["max_tokens"] is None and eu["sandbox"] is False
    workdir.plan("-detailed-exitcode")  # exit 0: no changes

    workdir.destroy()

    assert _policy_names(emulator) == []


def test_changing_a_policy_updates_it_in_place_with_one_put_and_keeps_its_creation_time(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(LOCATION)
    workdir.apply()
    before = workdir.resource("blaxel_policy.eu")
    workdir.write(
        "main.tf",
        workdir.path.joinpath("main.tf")
        .read_text()
        .replace('[{ name = "eu", type = "continent" }]', '[{ name = "fr", type = "country" }]'),
    )
    emulator.reset_stats()

    plan = workdir.plan("-detailed-exitcode", expect=(2,))
    workdir.apply()

    assert "~ update in-place" in plan.stdout and "1 to change" in plan.stdout
    assert '~ name = "eu" -> "fr"' in plan.stdout and '~ type = "continent" -> "country"' in plan.stdout
    assert "~ updated_at" in plan.stdout and "(known after apply)" in plan.stdout
    after = workdir.resource("blaxel_policy.eu")
    assert after["locations"] == [{"name": "fr", "type": "country"}]
    assert after["created_at"] == before["created_at"]
    assert _api(emulator, "GET", "/policies/eu-only")["spec"]["locations"] == [{"name": "fr", "type": "country"}]
    requests_made = emulator.stats()["requests"]
    assert sum(n for key, n in requests_made.items() if key.startswith(("POST", "PUT", "DELETE"))) == 1
    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_a_change_made_outside_terraform_shows_as_drift_and_apply_reverts_it(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(LOCATION)
    workdir.apply()
    remote = _api(emulator, "GET", "/policies/eu-only")
    remote["spec"]["locations"] = [{"name": "us", "type": "country"}]
    remote["metadata"]["labels"] = {"team": "platform", "owner": "someone-else"}
    _api(emulator, "PUT", "/policies/eu-only", {"metadata": remote["metadata"], "spec": remote["spec"]})

    plan = workdir.plan("-detailed-exitcode", expect=(2,))
    workdir.apply()

    assert '~ name = "us" -> "eu"' in plan.stdout
    assert '- "owner" = "someone-else" -> null' in plan.stdout
    restored = _api(emulator, "GET", "/policies/eu-only")
    assert restored["spec"]["locations"] == [{"name": "eu", "type": "continent"}]
    assert restored["metadata"]["labels"] == {"team": "platform"}
    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_a_policy_deleted_outside_terraform_is_planned_for_creation_again(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(LOCATION)
    workdir.apply()
    _api(emulator, "DELETE", "/policies/eu-only")

    plan = workdir.plan("-detailed-exitcode", expect=(2,))
    workdir.apply()

    assert "1 to add, 0 to change, 0 to destroy" in plan.stdout
    assert _policy_names(emulator) == ["eu-only"]
    workdir.destroy()


def test_changing_the_name_forces_replacement_of_the_policy(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(LOCATION)
    workdir.apply()
    workdir.write("main.tf", workdir.path.joinpath("main.tf").read_text().replace('"eu-only"', '"eu-only-v2"'))

    plan = workdir.plan("-detailed-exitcode", expect=(2,))
    workdir.apply()

    assert '"eu-only" -> "eu-only-v2" # forces replacement' in plan.stdout
    assert _policy_names(emulator) == ["eu-only-v2"]
    workdir.destroy()


def test_terraform_import_by_name_then_a_plan_for_the_same_configuration_shows_no_changes_and_a_wrong_name_is_reported(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    _api(
        emulator,
        "POST",
        "/policies",
        {
            "metadata": {"name": "eu-only", "labels": {"team": "platform"}},
            "spec": {
                "type": "location",
                "locations": [{"name": "eu", "type": "continent"}],
                "resourceTypes": ["model"],
            },
        },
    )
    workdir = hcl(LOCATION)

    missing = workdir.terraform(
        "import", "-no-color", "-input=false", "blaxel_policy.eu", "no-such-policy", expect=(1,)
    )
    imported = workdir.terraform("import", "-no-color", "-input=false", "blaxel_policy.eu", "eu-only")

    assert "Cannot import policy 'no-such-policy': it does not exist" in missing.flat

    assert "Import successful" in imported.stdout
    workdir.plan("-detailed-exitcode")
    assert workdir.resource("blaxel_policy.eu")["locations"] == [{"name": "eu", "type": "continent"}]
    workdir.destroy()
    assert _policy_names(emulator) == []


def test_the_import_block_example_adopts_the_existing_policy_and_creates_the_others(
    tmp_path: Path, emulator_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    _api(
        emulator,
        "POST",
        "/policies",
        {
            "metadata": {"name": "eu-only", "displayName": "EU only", "labels": {"team": "platform"}},
            "spec": {
                "type": "location",
                "locations": [{"name": "eu", "type": "continent"}, {"name": "ch", "type": "country"}],
                "resourceTypes": ["model"],
            },
        },
    )
    workdir = _examples(
        tmp_path, emulator_env, "resources/blaxel_policy/resource.tf", "resources/blaxel_policy/import-block.tf"
    )

    plan = workdir.plan()
    workdir.apply()

    assert "1 to import, 2 to add, 0 to change, 0 to destroy" in plan.stdout
    assert _policy_names(emulator) == ["cpu-only", "eu-only", "token-cap"]
    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_the_data_source_example_reads_a_policy_made_elsewhere(
    tmp_path: Path, emulator_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    _api(
        emulator,
        "POST",
        "/policies",
        {
            "metadata": {"name": "shared-eu-only"},
            "spec": {"type": "location", "locations": [{"name": "eu", "type": "continent"}]},
        },
    )
    workdir = _examples(tmp_path, emulator_env, "data-sources/blaxel_policy/data-source.tf")

    workdir.apply()

    outputs = json.loads(workdir.terraform("output", "-json").stdout)
    assert outputs["shared_policy_type"]["value"] == "location"
    assert outputs["shared_policy_locations"]["value"] == ["eu"]


def test_a_model_that_references_a_policy_is_created_after_it_and_destroyed_before_it(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(
        LOCATION
        + """
resource "blaxel_model" "chat" {
  name     = "chat-governed"
  runtime  = { type = "openai", model = "gpt-4.1" }
  policies = [blaxel_policy.eu.name]
  timeouts = { create = "2m" }
}
"""
    )

    workdir.apply()

    assert _api(emulator, "GET", "/models/chat-governed")["spec"]["policies"] == ["eu-only"]
    usages = _api(emulator, "GET", "/policies/eu-only/usages")
    assert [u if isinstance(u, str) else u.get("name") for u in usages["models"]] == ["chat-governed"]
    destroyed = workdir.destroy()
    assert destroyed.stdout.index("blaxel_model.chat: Destruction complete") < destroyed.stdout.index(
        "blaxel_policy.eu: Destruction complete"
    )
    assert _policy_names(emulator) == []


INVALID = """
resource "blaxel_policy" "wrong_member" {
  name      = "wrong-member"
  type      = "flavor"
  locations = [{ name = "eu", type = "continent" }]
}

resource "blaxel_policy" "bad_enums" {
  name           = "bad-enums"
  type           = "location"
  locations      = [{ name = "mars", type = "planet" }]
  resource_types = ["robot"]
}

resource "blaxel_policy" "bad_tokens" {
  name       = "bad-tokens"
  type       = "maxToken"
  max_tokens = { total = 0, ratio_input_over_output = -1 }
}

resource "blaxel_policy" "bad_type" {
  name = "bad-type"
  type = "region"
}
"""


def test_invalid_policies_are_refused_at_plan_naming_each_attribute_with_no_api_call(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(INVALID)
    before = emulator.stats()["total"]

    result = workdir.plan(expect=(1,))

    flat = result.flat
    assert "flavors is required for a policy of type 'flavor'" in flat
    assert "locations is only for a policy of type 'location' (this one is 'flavor')" in flat
    assert "locations[0].type must be one of location, country, continent (got 'planet')" in flat
    assert "resource_types[0] must be one of model, function, agent, sandbox, application (got 'robot')" in flat
    assert "max_tokens.total must be a positive integer (got 0)" in flat
    assert "max_tokens.ratio_input_over_output must be a positive integer (got -1)" in flat
    assert "type must be one of location, flavor, maxToken (got 'region')" in flat
    assert emulator.stats()["total"] == before
