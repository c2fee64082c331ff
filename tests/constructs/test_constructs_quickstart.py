"""The quickstart example: what it synthesizes, and that it runs as a script with no credential or secret written."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from blaxel_constructs import Secret, __version__

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "quickstart" / "main.py"


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quickstart_main", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_quickstart_stack_synthesizes_a_connection_a_policy_and_an_endpoint_referencing_both(app, synth):
    stack = _example().QuickstartStack(app, "quickstart")

    doc = synth(stack)

    (model_id,) = doc["resource"]["blaxel_model"]
    (connection_id,) = doc["resource"]["blaxel_integration_connection"]
    (policy_id,) = doc["resource"]["blaxel_policy"]
    assert doc == {
        "provider": {"blaxel": [{}]},
        "terraform": {"required_providers": {"blaxel": {"source": "blaxel-constructs/blaxel", "version": __version__}}},
        "variable": {
            "OPENAI_API_KEY": {
                "type": "string",
                "sensitive": True,
                "ephemeral": True,
                "description": "Secret read from TF_VAR_OPENAI_API_KEY at deploy time",
                "default": None,
                "validation": [
                    {
                        "condition": '${var.OPENAI_API_KEY != null && var.OPENAI_API_KEY != ""}',
                        "error_message": Secret.from_env("OPENAI_API_KEY").missing_message,
                    }
                ],
            }
        },
        "resource": {
            "blaxel_integration_connection": {
                connection_id: {
                    "name": "quickstart-gpt-openai",
                    "integration": "openai",
                    "sandbox": False,
                    "secret_wo": {"apiKey": "${var.OPENAI_API_KEY}"},
                    "secret_wo_version": 1,
                }
            },
            "blaxel_policy": {
                policy_id: {
                    "name": "quickstart-gpt-eu",
                    "type": "location",
                    "locations": [{"name": "EU", "type": "continent"}],
                    "resource_types": ["model"],
                    "sandbox": False,
                }
            },
            "blaxel_model": {
                model_id: {
                    "name": "quickstart-gpt",
                    "enabled": True,
                    "sandbox": False,
                    "flavors": [{"name": "t4", "type": "cpu"}],
                    "labels": {"app": "quickstart", "blaxel-constructs-owner": "quickstart/gpt"},
                    "runtime": {"type": "openai", "model": "gpt-4.1"},
                    "integration_connections": [f"${{blaxel_integration_connection.{connection_id}.name}}"],
                    "policies": [f"${{blaxel_policy.{policy_id}.name}}"],
                }
            },
        },
        "output": {
            "url": {"value": f"${{blaxel_model.{model_id}.url}}"},
            "status": {"value": f"${{blaxel_model.{model_id}.status}}"},
            "connection": {"value": f"${{blaxel_integration_connection.{connection_id}.name}}"},
            "policy": {"value": f"${{blaxel_policy.{policy_id}.name}}"},
        },
    }


def test_the_quickstart_script_writes_cdk_tf_json_with_the_overridden_names_and_no_credentials_or_secret(tmp_path):
    env = {
        **os.environ,
        "CDKTF_OUTDIR": str(tmp_path),
        "QUICKSTART_MODEL_NAME": "quickstart-test-1234",
        "BL_API_KEY": "sk-env-must-not-leak",
        "BL_WORKSPACE": "ws-must-not-leak",
        "OPENAI_API_KEY": "sk-openai-must-not-leak",
        "TF_VAR_OPENAI_API_KEY": "sk-openai-must-not-leak",
    }

    subprocess.run([sys.executable, str(EXAMPLE)], cwd=tmp_path, env=env, check=True, capture_output=True)

    text = (tmp_path / "stacks" / "quickstart" / "cdk.tf.json").read_text()
    doc = json.loads(text)
    (resource,) = doc["resource"]["blaxel_model"].values()
    assert resource["name"] == "quickstart-test-1234"
    (connection,) = doc["resource"]["blaxel_integration_connection"].values()
    assert connection["name"] == "quickstart-test-1234-openai"
    assert doc["provider"] == {"blaxel": [{}]}
    assert "must-not-leak" not in text
