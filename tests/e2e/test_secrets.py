"""Credentials never reach cdk.tf.json, Terraform state, TF_LOG=TRACE output, or an error message."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from blaxel_constructs import __version__
from blaxel_constructs.emulator.process import EmulatorProcess
from tests.support.terraform import ProviderInstall, Workdir, base_env

pytestmark = pytest.mark.e2e

API_KEY = "bl-test-SECRET-key-5f0c1e2d3a4b"
CLIENT_ID = "ci-client-7a1b"
CLIENT_SECRET = "ci-SECRET-client-9d8c7b6a"

CONFIG = """
terraform {
  required_providers {
    blaxel = { source = "blaxel-constructs/blaxel", version = "%(version)s" }
  }
}
variable "api_key" {
  type      = string
  sensitive = true
  default   = null
}
provider "blaxel" {
  api_key = var.api_key
}
resource "blaxel_model" "chat" {
  name    = "%(name)s"
  runtime = { type = "openai", model = "gpt-4.1" }
}
"""


@pytest.fixture
def secret_emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """An emulator that accepts only this test's API key and OAuth client."""
    with EmulatorProcess(
        tmp_path / "secret.db",
        deploy_seconds=0.3,
        api_key=API_KEY,
        extra_args=["--client-credentials", f"{CLIENT_ID}:{CLIENT_SECRET}"],
    ) as process:
        yield process


def _workdir(tmp_path: Path, install: ProviderInstall, env: dict[str, str], name: str) -> Workdir:
    path = tmp_path / name
    path.mkdir()
    home = tmp_path / f"home-{name}"
    home.mkdir()
    workdir = Workdir(path, base_env(install, home=home, extra={**env, "TF_LOG": "TRACE"}))
    workdir.write("main.tf", CONFIG % {"version": __version__, "name": name})
    workdir.init()
    return workdir


def _assert_nowhere(secrets: list[str], *texts: str) -> None:
    for secret in secrets:
        for text in texts:
            assert secret not in text, f"a secret leaked: {secret[:6]}..."


def test_an_api_key_from_a_sensitive_variable_is_in_no_log_state_or_plan(
    tmp_path: Path, provider_install: ProviderInstall, secret_emulator: EmulatorProcess
) -> None:
    env = {"BL_API_URL": secret_emulator.base_url, "BL_WORKSPACE": "emulator", "TF_VAR_api_key": API_KEY}
    workdir = _workdir(tmp_path, provider_install, env, "by-variable")

    applied = workdir.apply()
    shown = workdir.terraform("show", "-json")
    destroyed = workdir.destroy()

    state = (workdir.path / "terraform.tfstate").read_text()
    _assert_nowhere([API_KEY], applied.output, shown.output, destroyed.output, state)
    assert "Apply complete" in applied.stdout


def test_oauth_client_credentials_and_their_tokens_are_in_no_log_or_state(
    tmp_path: Path, provider_install: ProviderInstall, secret_emulator: EmulatorProcess
) -> None:
    credentials = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    env = {"BL_API_URL": secret_emulator.base_url, "BL_WORKSPACE": "emulator", "BL_CLIENT_CREDENTIALS": credentials}
    workdir = _workdir(tmp_path, provider_install, env, "by-oauth")

    applied = workdir.apply()
    state = (workdir.path / "terraform.tfstate").read_text()
    destroyed = workdir.destroy()

    _assert_nowhere([CLIENT_SECRET, credentials], applied.output, destroyed.output, state)
    assert "access_token" not in applied.output
    assert "Bearer " not in applied.output
    assert json.loads(state)["resources"][0]["instances"][0]["attributes"]["status"] == "DEPLOYED"


def test_a_rejected_credential_gives_an_error_that_does_not_repeat_it(
    tmp_path: Path, provider_install: ProviderInstall, secret_emulator: EmulatorProcess
) -> None:
    wrong = "bl-test-WRONG-key-0000aaaa1111"
    env = {"BL_API_URL": secret_emulator.base_url, "BL_WORKSPACE": "emulator", "BL_API_KEY": wrong}
    workdir = _workdir(tmp_path, provider_install, env, "rejected")

    failed = workdir.apply(expect=(1,))

    assert "Blaxel rejected the credentials" in failed.flat
    assert "401" in failed.flat
    _assert_nowhere([wrong, API_KEY], failed.output)
