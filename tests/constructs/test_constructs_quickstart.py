"""The quickstart example: what it synthesizes, and that it runs as a script with no credentials in code."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from blaxel_constructs import __version__

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "quickstart" / "main.py"


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quickstart_main", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_quickstart_stack_synthesizes_one_endpoint_its_outputs_and_an_empty_provider(app, synth):
    stack = _example().QuickstartStack(app, "quickstart")

    doc = synth(stack)

    (logical_id,) = doc["resource"]["blaxel_model"]
    assert doc == {
        "provider": {"blaxel": [{}]},
        "terraform": {"required_providers": {"blaxel": {"source": "blaxel-constructs/blaxel", "version": __version__}}},
        "resource": {
            "blaxel_model": {
                logical_id: {
                    "name": "quickstart-gpt",
                    "enabled": True,
                    "sandbox": False,
                    "flavors": [{"name": "t4", "type": "cpu"}],
                    "labels": {"app": "quickstart", "blaxel-constructs-owner": "quickstart/gpt"},
                    "runtime": {"type": "openai", "model": "gpt-4.1"},
                }
            }
        },
        "output": {
            "url": {"value": f"${{blaxel_model.{logical_id}.url}}"},
            "status": {"value": f"${{blaxel_model.{logical_id}.status}}"},
        },
    }


def test_the_quickstart_script_writes_cdk_tf_json_with_the_overridden_name_and_no_credentials(tmp_path):
    env = {
        **os.environ,
        "CDKTF_OUTDIR": str(tmp_path),
        "QUICKSTART_MODEL_NAME": "quickstart-test-1234",
        "BL_API_KEY": "sk-env-must-not-leak",
        "BL_WORKSPACE": "ws-must-not-leak",
    }

    subprocess.run([sys.executable, str(EXAMPLE)], cwd=tmp_path, env=env, check=True, capture_output=True)

    text = (tmp_path / "stacks" / "quickstart" / "cdk.tf.json").read_text()
    doc = json.loads(text)
    (resource,) = doc["resource"]["blaxel_model"].values()
    assert resource["name"] == "quickstart-test-1234"
    assert doc["provider"] == {"blaxel": [{}]}
    assert "must-not-leak" not in text
