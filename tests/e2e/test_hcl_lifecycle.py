"""Plain HCL against the real emulator process, through real ``terraform`` and the installed provider."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.support.emulator_process import EmulatorProcess
from tests.support.terraform import Workdir
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

WAIT_SECONDS = 20.0  # for a change made directly on the emulator to show

MODEL = """
resource "blaxel_model" "chat" {
  name         = "%(name)s"
  display_name = "Chat endpoint"
  labels       = { team = "ml" }
  runtime      = { type = "openai", model = "%(model)s" }
  flavors      = [{ name = "t4", type = "cpu" }]
  timeouts     = { create = "2m" }
}

output "status" { value = blaxel_model.chat.status }
output "url"    { value = blaxel_model.chat.url }
"""


def _models(emulator: EmulatorProcess) -> list[dict[str, Any]]:
    return list(_api(emulator, "GET", "/models"))


def _api(emulator: EmulatorProcess, method: str, path: str, body: Any = None) -> Any:
    """Call the emulator's API directly: a change made outside Terraform."""
    response = requests.request(method, emulator.base_url + path, headers=emulator.headers(), json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def _model(workdir: Workdir) -> str:
    return str(workdir.path.joinpath("main.tf").read_text())


def test_apply_creates_a_deployed_model_and_a_second_plan_is_empty_and_destroy_removes_it(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(MODEL % {"name": "chat-e2e", "model": "gpt-4.1"})

    workdir.apply()

    values = workdir.resource("blaxel_model.chat")
    assert values["status"] == "DEPLOYED"
    assert values["id"] == "chat-e2e"
    assert values["workspace"] == emulator.workspace
    assert values["url"]
    assert [m["metadata"]["name"] for m in _models(emulator)] == ["chat-e2e"]  # type: ignore[index]
    workdir.plan("-detailed-exitcode")  # exit 0: no changes

    workdir.destroy()

    assert _models(emulator) == []


def test_changing_an_argument_updates_in_place_and_the_plan_says_which_computed_values_change(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(MODEL % {"name": "chat-upd", "model": "gpt-4.1"})
    workdir.apply()
    before = workdir.resource("blaxel_model.chat")
    workdir.write("main.tf", workdir.path.joinpath("main.tf").read_text().replace("gpt-4.1", "gpt-4o"))

    plan = workdir.plan("-detailed-exitcode", expect=(2,))
    workdir.apply()

    assert "~ update in-place" in plan.stdout
    assert '~ model = "gpt-4.1" -> "gpt-4o"' in plan.stdout
    assert "~ status" in plan.stdout and "(known after apply)" in plan.stdout
    after = workdir.resource("blaxel_model.chat")
    assert after["runtime"]["model"] == "gpt-4o"
    assert after["status"] == "DEPLOYED"
    assert after["created_at"] == before["created_at"]
    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_a_deployment_that_fails_reports_the_event_message_and_leaves_the_model_tainted(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    emulator.configure(fail_names=["broken-*"], fail_message="runtime openai rejected the integration")
    workdir = hcl(MODEL % {"name": "broken-chat", "model": "gpt-4.1"})

    failed = workdir.apply(expect=(1,))

    assert "failed to deploy" in failed.flat
    assert "runtime openai rejected the integration" in failed.flat
    assert "FAILED" in failed.flat
    assert "tainted" in workdir.terraform("show", "-no-color").stdout

    emulator.configure(fail_names=[])
    replaced = workdir.apply()

    assert "must be replaced" in replaced.stdout or "1 added, 0 changed, 1 destroyed" in replaced.stdout
    assert workdir.resource("blaxel_model.chat")["status"] == "DEPLOYED"
    assert len(_models(emulator)) == 1
    workdir.destroy()


def test_invalid_configuration_is_rejected_at_plan_time_with_no_api_call(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(MODEL % {"name": "Not_Valid", "model": "gpt-4.1"})
    before = emulator.stats()["total"]

    result = workdir.plan(expect=(1,))

    assert "Invalid name" in result.flat
    assert "lowercase letters" in result.flat
    assert emulator.stats()["total"] == before


def test_changing_the_name_forces_replacement_of_the_model(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(MODEL % {"name": "chat-old", "model": "gpt-4.1"})
    workdir.apply()
    workdir.write("main.tf", _model(workdir).replace("chat-old", "chat-new"))

    plan = workdir.plan("-detailed-exitcode", expect=(2,))
    workdir.apply()

    assert "must be replaced" in plan.stdout
    assert '"chat-old" -> "chat-new" # forces replacement' in plan.stdout
    assert "1 to add, 0 to change, 1 to destroy" in plan.stdout
    assert [m["metadata"]["name"] for m in _models(emulator)] == ["chat-new"]
    workdir.destroy()


def test_a_change_made_outside_terraform_shows_as_drift_and_apply_reverts_it(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(MODEL % {"name": "chat-drift", "model": "gpt-4.1"})
    workdir.apply()
    remote = _api(emulator, "GET", "/models/chat-drift")
    remote["spec"]["runtime"]["model"] = "gpt-4o-mini"
    remote["metadata"]["labels"] = {"team": "ml", "owner": "someone-else"}
    _api(emulator, "PUT", "/models/chat-drift", {"metadata": remote["metadata"], "spec": remote["spec"]})

    plan = workdir.plan("-detailed-exitcode", expect=(2,))
    workdir.apply()

    assert '~ model = "gpt-4o-mini" -> "gpt-4.1"' in plan.stdout
    assert '- "owner" = "someone-else" -> null' in plan.stdout
    restored = _api(emulator, "GET", "/models/chat-drift")
    assert restored["spec"]["runtime"]["model"] == "gpt-4.1"
    assert restored["metadata"]["labels"] == {"team": "ml"}
    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_a_model_deleted_outside_terraform_is_planned_for_creation_and_destroy_of_a_gone_model_succeeds(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(MODEL % {"name": "chat-gone", "model": "gpt-4.1"})
    workdir.apply()
    _api(emulator, "DELETE", "/models/chat-gone")
    wait_until(lambda: _models(emulator) == [], timeout=WAIT_SECONDS, what="chat-gone to be deleted outside Terraform")

    plan = workdir.plan("-detailed-exitcode", expect=(2,))
    assert "will be created" in plan.stdout
    workdir.apply()
    assert [m["metadata"]["name"] for m in _models(emulator)] == ["chat-gone"]

    _api(emulator, "DELETE", "/models/chat-gone")
    wait_until(lambda: _models(emulator) == [], timeout=WAIT_SECONDS, what="chat-gone to be deleted outside Terraform")
    destroyed = workdir.destroy()

    assert "Destroy complete" in destroyed.stdout
    assert workdir.terraform("state", "list").stdout.strip() == ""


EXISTING = {
    "metadata": {"name": "made-elsewhere", "displayName": "Made elsewhere", "labels": {"team": "data"}},
    "spec": {"runtime": {"type": "anthropic", "model": "claude-sonnet-4"}, "flavors": [{"name": "t4", "type": "cpu"}]},
}
EXISTING_HCL = """
resource "blaxel_model" "imported" {
  name         = "made-elsewhere"
  display_name = "Made elsewhere"
  labels       = { team = "data" }
  runtime      = { type = "anthropic", model = "claude-sonnet-4" }
  flavors      = [{ name = "t4", type = "cpu" }]
}
"""


def test_terraform_import_by_name_then_a_plan_for_an_equal_configuration_shows_no_changes(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    _api(emulator, "POST", "/models", EXISTING)
    workdir = hcl(EXISTING_HCL)

    imported = workdir.terraform("import", "-no-color", "-input=false", "blaxel_model.imported", "made-elsewhere")

    assert "Import successful" in imported.stdout
    assert workdir.resource("blaxel_model.imported")["runtime"]["type"] == "anthropic"
    workdir.plan("-detailed-exitcode")  # exit 0
    workdir.destroy()
    assert _models(emulator) == []


def test_an_import_block_adopts_the_model_and_the_next_plan_is_empty(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    _api(emulator, "POST", "/models", EXISTING)
    workdir = hcl(EXISTING_HCL + 'import {\n  to = blaxel_model.imported\n  id = "made-elsewhere"\n}\n')

    plan = workdir.plan()
    workdir.apply()

    assert "1 to import, 0 to add, 0 to change, 0 to destroy" in plan.stdout
    workdir.plan("-detailed-exitcode")
    assert len(_models(emulator)) == 1


def test_importing_a_model_that_does_not_exist_says_so(hcl: Callable[..., Workdir]) -> None:
    workdir = hcl(EXISTING_HCL)

    result = workdir.terraform("import", "-no-color", "-input=false", "blaxel_model.imported", "nope", expect=(1,))

    assert "Cannot import model 'nope': it does not exist" in result.flat


def test_a_create_that_outlives_its_timeout_names_the_model_the_last_status_and_the_time_waited(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    emulator.configure(deploy_seconds=60)
    workdir = hcl((MODEL % {"name": "slow-chat", "model": "gpt-4.1"}).replace('create = "2m"', 'create = "2s"'))

    started = time.monotonic()
    result = workdir.apply(expect=(1,))

    assert time.monotonic() - started < 30
    assert "Timed out waiting for model 'slow-chat'" in result.flat
    assert "last status seen: DEPLOYING" in result.flat
    assert "within 2s" in result.flat or "within 2." in result.flat
    assert "tainted" in workdir.terraform("show", "-no-color").stdout
    emulator.configure(deploy_seconds=0.3)
    workdir.destroy()


def test_an_update_that_fails_reports_it_and_leaves_state_matching_the_remote_model(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(MODEL % {"name": "chat-upfail", "model": "gpt-4.1"})
    workdir.apply()
    emulator.configure(fail_names=["chat-upfail"], fail_message="model gpt-5-typo does not exist at openai")
    workdir.write("main.tf", _model(workdir).replace("gpt-4.1", "gpt-5-typo"))

    result = workdir.apply(expect=(1,))

    assert "model gpt-5-typo does not exist at openai" in result.flat
    state = workdir.resource("blaxel_model.chat")
    remote = _api(emulator, "GET", "/models/chat-upfail")
    assert state["status"] == remote["status"] == "FAILED"
    assert state["runtime"]["model"] == remote["spec"]["runtime"]["model"] == "gpt-5-typo"
    assert "tainted" not in workdir.terraform("show", "-no-color").stdout
    emulator.configure(fail_names=[])
    workdir.destroy()


def test_a_disabled_endpoint_settles_deactivated_and_plans_clean(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl((MODEL % {"name": "chat-off", "model": "gpt-4.1"}).replace("labels ", "enabled = false\n  labels "))

    workdir.apply()

    assert workdir.resource("blaxel_model.chat")["status"] == "DEACTIVATED"
    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_empty_lists_and_maps_and_defaults_never_show_as_changes(hcl: Callable[..., Workdir]) -> None:
    workdir = hcl(
        """
resource "blaxel_model" "sparse" {
  name                    = "sparse"
  runtime                 = { type = "openai" }
  labels                  = {}
  policies                = []
  integration_connections = []
  sandbox                 = false
}
"""
    )

    workdir.apply()

    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_the_data_source_exposes_every_field_of_a_model_made_elsewhere(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    _api(emulator, "POST", "/models", EXISTING)
    wait_until(
        lambda: _api(emulator, "GET", "/models/made-elsewhere").get("status") == "DEPLOYED",
        timeout=WAIT_SECONDS,
        what="made-elsewhere to be DEPLOYED",
    )
    workdir = hcl(
        """
data "blaxel_model" "found" { name = "made-elsewhere" }
output "model"  { value = data.blaxel_model.found.runtime.model }
output "status" { value = data.blaxel_model.found.status }
output "labels" { value = data.blaxel_model.found.labels }
output "flavor" { value = data.blaxel_model.found.flavors[0].name }
output "url"    { value = data.blaxel_model.found.url }
"""
    )

    workdir.apply()
    outputs = json.loads(workdir.terraform("output", "-json").stdout)

    assert outputs["model"]["value"] == "claude-sonnet-4"
    assert outputs["status"]["value"] == "DEPLOYED"
    assert outputs["labels"]["value"] == {"team": "data"}
    assert outputs["flavor"]["value"] == "t4"
    assert outputs["url"]["value"].endswith("/models/made-elsewhere")


def test_a_name_taken_by_a_model_this_configuration_did_not_create_is_an_error_that_says_how_to_import_it(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    _api(emulator, "POST", "/models", EXISTING)
    workdir = hcl(MODEL % {"name": "made-elsewhere", "model": "gpt-4.1"})

    failed = workdir.apply(expect=(1,))

    assert "Model 'made-elsewhere' already exists" in failed.flat
    assert "terraform import <resource address> made-elsewhere" in failed.flat
    remote = _api(emulator, "GET", "/models/made-elsewhere")
    assert remote["spec"]["runtime"]["type"] == "anthropic"  # left untouched
    assert emulator.stats()["models_created"] == {"made-elsewhere": 1}
