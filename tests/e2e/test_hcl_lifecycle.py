"""Plain HCL against the real emulator process, through real ``terraform`` and the installed provider."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from tests.support.emulator_process import EmulatorProcess
from tests.support.terraform import Workdir

pytestmark = pytest.mark.e2e

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


def _models(emulator: EmulatorProcess) -> list[dict[str, object]]:
    response = requests.get(f"{emulator.base_url}/models", headers=emulator.headers(), timeout=10)
    response.raise_for_status()
    return list(response.json())


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
