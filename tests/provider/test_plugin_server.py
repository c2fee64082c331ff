"""The provider's serving loop as a real process: ``--dev`` serves the same servicer as a normal run (write-only
arguments nulled in plans), and every way out ends the process: Ctrl-C in ``--dev``, Terraform gone (the
process re-parented), a handshake that cannot be written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc
from tf.utils import read_dynamic_value, to_dynamic_value

pytestmark = pytest.mark.process

PROVIDER = [sys.executable, "-m", "blaxel_constructs.provider.main"]
SECRET = "sk-NEVER-IN-A-PLAN"


def environment(home: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(home), "TF_LOG_PROVIDER": ""}


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def dev_provider(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A provider started with ``--dev``, and the socket its ``TF_REATTACH_PROVIDERS`` line names."""
    process = subprocess.Popen(
        [*PROVIDER, "--dev"], stdout=subprocess.PIPE, text=True, env=environment(tmp_path), start_new_session=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("export TF_REATTACH_PROVIDERS='"), line
        (reattach,) = json.loads(line.split("'", 2)[1]).values()
        assert (reattach["Protocol"], reattach["ProtocolVersion"], reattach["Pid"]) == ("grpc", 6, process.pid)
        yield process, reattach["Addr"]["String"]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def connection_state(**values: Any) -> dict[str, Any]:
    names = ("name", "integration", "config", "secret_wo", "secret_wo_version", "secret", "sandbox", "display_name")
    computed = ("labels", "id", "workspace", "created_at", "updated_at", "created_by", "updated_by")
    return {**dict.fromkeys((*names, *computed)), "name": "openai", "integration": "openai", **values}


def test_given_dev_mode_when_terraform_plans_a_write_only_secret_then_the_same_servicer_nulls_it(
    dev_provider: tuple[subprocess.Popen[str], str],
) -> None:
    process, socket_path = dev_provider
    with grpc.insecure_channel(f"unix://{socket_path}") as channel:
        stub = rpc.ProviderStub(channel)
        schema = stub.GetProviderSchema(pb.GetProviderSchema.Request(), timeout=10)
        config = connection_state(secret_wo={"apiKey": SECRET}, secret_wo_version=1)
        plan = stub.PlanResourceChange(
            pb.PlanResourceChange.Request(
                type_name="blaxel_integration_connection",
                prior_state=to_dynamic_value(None),
                proposed_new_state=to_dynamic_value(config),
                config=to_dynamic_value(config),
            ),
            timeout=10,
        )

    attributes = {a.name: a for a in schema.resource_schemas["blaxel_integration_connection"].block.attributes}
    assert b"\x58\x01" in attributes["secret_wo"].SerializeToString()  # field 11, write_only = true
    planned = read_dynamic_value(plan.planned_state)
    assert planned["secret_wo"] is None and planned["secret_wo_version"] == 1
    assert SECRET not in plan.planned_state.SerializeToString().decode("utf-8", "replace")

    process.send_signal(signal.SIGINT)  # the developer's Ctrl-C
    assert process.wait(timeout=10) == 0
    assert not Path(socket_path).exists()


def test_given_terraform_gone_when_the_provider_serves_then_it_stops(tmp_path: Path) -> None:
    pid_file, out = tmp_path / "pid", tmp_path / "handshake"
    launcher = f'"$@" > {out} 2>/dev/null & echo $! > {pid_file}; sleep 2'  # a parent that dies while it serves

    subprocess.run(["sh", "-c", launcher, "sh", *PROVIDER], env=environment(tmp_path), check=True, timeout=30)
    pid = int(pid_file.read_text())

    assert gone_within(pid, 10), "the provider kept running after Terraform was gone"
    assert out.read_text().startswith("1|6|unix|")


def test_given_a_handshake_that_cannot_be_written_when_starting_then_the_process_ends(tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # Terraform went away before reading the handshake: the write fails with a broken pipe
    process = subprocess.Popen(PROVIDER, stdout=writer, stderr=subprocess.DEVNULL, env=environment(tmp_path))
    os.close(writer)

    assert process.wait(timeout=30) != 0
