"""Multiple environments, the example (examples/multi_env/main.py) run as a user runs it: one stack per
environment with its outputs and backend, and a policy violation that stops synth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from blaxel_constructs.constructs.environments import STATE_PG_VARIABLE

from .environment_inputs import PG

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "multi_env"


def _run_example(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != STATE_PG_VARIABLE}
    env.update(CDKTF_OUTDIR=str(tmp_path / "cdktf.out"), **extra)
    return subprocess.run(
        [sys.executable, str(EXAMPLE / "main.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_example_synthesizes_one_stack_per_environment_each_with_its_outputs(tmp_path: Path) -> None:
    completed = _run_example(tmp_path, **PG)

    assert completed.returncode == 0, completed.stderr
    stacks = tmp_path / "cdktf.out" / "stacks"
    assert sorted(p.name for p in stacks.iterdir()) == ["dev", "prod", "staging"]
    prod = json.loads((stacks / "prod" / "cdk.tf.json").read_text())
    assert sorted(prod["output"]) == [
        "chat_next_status",
        "chat_next_url",
        "chat_status",
        "chat_url",
        "summarize_status",
        "summarize_url",
    ]
    assert prod["terraform"]["backend"]["pg"]["schema_name"] == "blaxel_prod"
    assert [p.get("alias") for p in prod["provider"]["blaxel"]] == [None, "shared"]


def test_the_example_fails_at_synth_when_prod_asks_for_a_sandbox(tmp_path: Path) -> None:
    document = yaml.safe_load((EXAMPLE / "environments.yaml").read_text())
    document["environments"]["prod"]["endpoints"]["chat"]["sandbox"] = True
    path = tmp_path / "environments.yaml"
    path.write_text(yaml.safe_dump(document))

    completed = _run_example(tmp_path, BLAXEL_ENVIRONMENTS=str(path))

    assert completed.returncode == 1
    assert completed.stderr.strip() == (
        "ERROR [prod/chat]: field 'sandbox': sandbox endpoints are not allowed in environment 'prod' "
        "(policy allow_sandbox: false)"
    )
    assert not (tmp_path / "cdktf.out" / "stacks" / "prod" / "cdk.tf.json").exists()
