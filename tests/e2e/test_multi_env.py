"""examples/multi_env with its state in a real PostgreSQL server: one stack per environment, locked, durable,
and ``blaxel-constructs environments diff`` and ``status`` on it, read-only.

The server is started by the tests themselves (``initdb`` and ``pg_ctl`` into a temporary directory,
see ``tests/support/postgres.py``); each test gets its own database, so its schemas (``blaxel_dev``,
``blaxel_staging``, ...) start empty. Stacks are synthesized by the example's own ``main.py`` with
``BLAXEL_STATE_PG`` set and applied with the real ``terraform``, against the real emulator process.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.emulator_process import EmulatorProcess
from tests.support.postgres import PostgresServer
from tests.support.terraform import CDKTF, REPO, Result, Workdir, run
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

EXAMPLE = REPO / "examples" / "multi_env"
PYTHON = REPO / ".venv" / "bin" / "python"
BLAXEL_CONSTRUCTS = REPO / ".venv" / "bin" / "blaxel-constructs"
WRITES = ("POST", "PUT", "DELETE")
LOCK_REFUSED = "Error acquiring the state lock"
WAIT_SECONDS = 60.0  # for a running apply to reach the API
#: What the README recommends where several deployments may run at once: wait for the lock, up to a bound.
LOCK_TIMEOUT = {f"TF_CLI_ARGS_{command}": "-lock-timeout=120s" for command in ("plan", "apply", "destroy")}

Synth = Callable[[str], dict[str, Workdir]]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the module, in a temporary directory, stopped and removed afterwards."""
    with PostgresServer.start_new() as server:
        yield server


@pytest.fixture
def state_pg(postgres: PostgresServer) -> str:
    """The connection string of a fresh database for this test's remote state."""
    return postgres.create_database(f"state_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def env(emulator_env: dict[str, str], state_pg: str) -> dict[str, str]:
    """The emulator's BL_* variables, the private provider install, BLAXEL_STATE_PG, and the OpenAI key that
    the example's connections read (``secret_env``: Terraform takes it from ``TF_VAR_OPENAI_API_KEY``)."""
    return {**emulator_env, "BLAXEL_STATE_PG": state_pg, "TF_VAR_OPENAI_API_KEY": "sk-multi-env-test-key"}


@pytest.fixture
def synth(tmp_path: Path, env: dict[str, str]) -> Synth:
    """Synthesize the example app into a new directory; its stacks as (uninitialised) Terraform directories.

    Each call is a separate checkout's worth of working directories: nothing is shared with the
    previous one but what the backend holds, as for two engineers or two CI jobs.
    """

    def make(name: str) -> dict[str, Workdir]:
        root = tmp_path / name
        root.mkdir()
        run([str(PYTHON), str(EXAMPLE / "main.py")], cwd=root, env={**env, "CDKTF_OUTDIR": str(root / "cdktf.out")})
        stacks = root / "cdktf.out" / "stacks"
        return {path.name: Workdir(path, env) for path in sorted(stacks.iterdir())}

    return make


def _models(emulator: EmulatorProcess) -> dict[str, dict[str, Any]]:
    response = requests.get(f"{emulator.base_url}/models", headers=emulator.headers(), timeout=10)
    response.raise_for_status()
    return {model["metadata"]["name"]: model for model in response.json()}


def _creates(emulator: EmulatorProcess) -> dict[str, int]:
    """How many creates the emulator applied, by model name."""
    return dict(emulator.stats()["models_created"])


def _outputs(workdir: Workdir) -> dict[str, Any]:
    raw = json.loads(workdir.terraform("output", "-json", "-no-color").stdout)
    return {name: value["value"] for name, value in raw.items()}


def _states(postgres: PostgresServer, conninfo: str, schema: str) -> list[str]:
    """The Terraform workspaces the pg backend keeps in ``schema`` (one row per workspace)."""
    database = conninfo.rsplit("/", 1)[1].split("?", 1)[0]
    return [row[0] for row in postgres.sql(database, f"SELECT name FROM {schema}.states ORDER BY name")]


def _advisory_locks(postgres: PostgresServer) -> int:
    return int(postgres.sql("postgres", "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")[0][0])


def _start(workdir: Workdir, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["terraform", "apply", "-no-color", "-input=false", "-auto-approve", *args],
        cwd=workdir.path,
        env=workdir.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_dev_and_staging_deploy_into_their_own_postgres_schemas_survive_a_restart_and_destroy_removes_all(
    synth: Synth, emulator: EmulatorProcess, postgres: PostgresServer, state_pg: str, tmp_path: Path
) -> None:
    stacks = synth("first")
    assert sorted(stacks) == ["dev", "prod", "staging"]

    for name in ("dev", "staging"):
        stacks[name].init()
        assert "Apply complete! Resources: 3 added" in stacks[name].apply().stdout  # two models, one connection

    models = _models(emulator)
    assert sorted(models) == ["chat-dev", "chat-staging", "summarize-dev", "summarize-staging"]
    assert models["chat-dev"]["metadata"]["labels"]["environment"] == "dev"
    assert models["chat-staging"]["metadata"]["labels"]["environment"] == "staging"
    assert models["chat-staging"]["spec"]["runtime"]["model"] == "gpt-4.1"
    assert models["chat-dev"]["spec"]["sandbox"] is True
    dev, staging = _outputs(stacks["dev"]), _outputs(stacks["staging"])
    assert dev["chat_status"] == staging["chat_status"] == staging["summarize_status"] == "DEPLOYED"
    assert dev["summarize_status"] == "DEACTIVATED"  # enabled: false in dev only
    assert dev["chat_url"].endswith("/models/chat-dev")
    assert staging["chat_url"].endswith("/models/chat-staging")
    assert _states(postgres, state_pg, "blaxel_dev") == ["default"]
    assert _states(postgres, state_pg, "blaxel_staging") == ["default"]
    local = [p for p in tmp_path.rglob("*.tfstate") if ".terraform" not in p.parts]  # .terraform/: backend config
    assert not local, "no local state may be written when BLAXEL_STATE_PG is set"

    # Once created, each environment locks only its own state: dev and staging redeploy at the same time.
    # (Two lock attempts in the same instant can still meet on the backend's database-wide creation lock,
    # held for a few milliseconds by each attempt: a lock timeout retries, as the README recommends.)
    emulator.configure(deploy_seconds=3)
    both = [
        _start(stacks[name], "-replace=blaxel_model.chat_22ADE1FF", "-lock-timeout=60s") for name in ("dev", "staging")
    ]
    wait_until(
        lambda: _creates(emulator)["chat-dev"] == _creates(emulator)["chat-staging"] == 2,
        timeout=WAIT_SECONDS,
        what="both redeploys",
    )
    assert [process.poll() for process in both] == [None, None], "the two applies ran at the same time"
    for process in both:
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output
    emulator.configure(deploy_seconds=0.3)

    postgres.restart()
    again = synth("second")  # new working directories: only PostgreSQL remembers what was deployed
    for name in ("dev", "staging"):
        again[name].init()
        assert sorted(again[name].terraform("state", "list").stdout.split()) == [
            "blaxel_integration_connection.connection-openai_1A7D1170",
            "blaxel_model.chat_22ADE1FF",
            "blaxel_model.summarize_EF98AFAE",
        ]
        again[name].plan("-detailed-exitcode")  # exit 0: nothing to change
        assert "Destroy complete! Resources: 3 destroyed" in again[name].destroy().stdout
        assert again[name].terraform("state", "list").stdout.strip() == ""

    assert _models(emulator) == {}
    assert _creates(emulator) == {"chat-dev": 2, "chat-staging": 2, "summarize-dev": 1, "summarize-staging": 1}


def _refused_while_running(
    running: subprocess.Popen[str], other: Workdir, until: Callable[[], bool], postgres: PostgresServer
) -> tuple[Result, str]:
    """Once ``until()`` holds (the running apply is busy deploying), apply ``other`` with no lock timeout."""
    try:
        wait_until(until, timeout=WAIT_SECONDS, what="the first apply to reach the API")
        assert _advisory_locks(postgres) >= 1
        refused = other.apply("-lock-timeout=0s", expect=(1,))
        output, _ = running.communicate(timeout=120)
    finally:
        if running.poll() is None:
            running.kill()
            running.wait()
    assert running.returncode == 0, output
    return refused, output


def test_a_second_apply_of_the_same_environment_is_refused_by_the_lock_while_the_first_runs_and_creates_nothing(
    synth: Synth, emulator: EmulatorProcess, postgres: PostgresServer
) -> None:
    first, second = synth("engineer")["dev"], synth("ci-job")["dev"]  # two checkouts, one environment
    first.init()
    second.init()
    emulator.configure(deploy_seconds=5)  # each apply waits for its deployments, holding the lock

    # The environment's first deployment: Terraform holds the backend's creation lock while it runs.
    running = _start(first)
    refused, output = _refused_while_running(running, second, lambda: len(_creates(emulator)) == 2, postgres)

    print(f"--- concurrent apply during the first deployment, refused ---\n{refused.output}")
    assert LOCK_REFUSED in refused.output
    assert "Creating..." not in refused.output
    assert "Apply complete! Resources: 3 added" in output  # chat-dev, summarize-dev and the openai-dev connection
    assert _creates(emulator) == {"chat-dev": 1, "summarize-dev": 1}

    # A later deployment of the same environment (here a forced redeploy of chat): the state's own lock.
    running = _start(first, "-replace=blaxel_model.chat_22ADE1FF")
    refused, output = _refused_while_running(running, second, lambda: _creates(emulator)["chat-dev"] == 2, postgres)

    print(f"--- concurrent apply during a later deployment, refused ---\n{refused.output}")
    assert LOCK_REFUSED in refused.output
    assert "Workspace is already locked" in refused.output
    assert "Creating..." not in refused.output and "Destroying..." not in refused.output
    assert "Apply complete! Resources: 1 added, 0 changed, 1 destroyed" in output
    assert _creates(emulator) == {"chat-dev": 2, "summarize-dev": 1}  # the replace's create, nothing more

    emulator.configure(deploy_seconds=0.3)
    assert "No changes." in second.plan().stdout  # the refused job, run again, sees the first one's state
    second.destroy()
    assert _models(emulator) == {}


def _environments(project: Path, env: dict[str, str], *args: str, expect: tuple[int, ...] = (0,)) -> Result:
    """``blaxel-constructs environments ...`` in the project's directory, as a person runs it there."""
    return run([str(BLAXEL_CONSTRUCTS), "environments", *args], cwd=project, env=env, expect=expect)


def _writes(emulator: EmulatorProcess) -> dict[str, int]:
    """The POST, PUT and DELETE requests the emulator served since its stats were last reset."""
    return {key: n for key, n in emulator.stats()["requests"].items() if key.split(" ")[0] in WRITES}


def _schemas(postgres: PostgresServer, conninfo: str) -> list[str]:
    database = conninfo.rsplit("/", 1)[1].split("?", 1)[0]
    rows = postgres.sql(database, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'blaxel%' ORDER BY nspname")
    return [row[0] for row in rows]


def _change_model_outside_terraform(emulator: EmulatorProcess, name: str, runtime_model: str) -> None:
    """A PUT of the model with another runtime model, as someone at the console (or another tool) would make."""
    url = f"{emulator.base_url}/models/{name}"
    model = requests.get(url, headers=emulator.headers(), timeout=10).json()
    model["spec"]["runtime"]["model"] = runtime_model
    body = {"metadata": model["metadata"], "spec": model["spec"]}
    requests.put(url, json=body, headers=emulator.headers(), timeout=10).raise_for_status()


def test_cdktf_deploy_of_each_environment_with_its_outputs_and_environments_diff_and_status_read_only_on_postgres(
    tmp_path: Path, env: dict[str, str], emulator: EmulatorProcess, postgres: PostgresServer, state_pg: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    config = json.loads((EXAMPLE / "cdktf.json").read_text())
    config["app"] = f"{PYTHON} {EXAMPLE / 'main.py'}"
    (project / "cdktf.json").write_text(json.dumps(config))
    outputs = project / "outputs.json"
    deploy = [str(CDKTF), "deploy", "--auto-approve", "--outputs-file", str(outputs)]
    # What the commands get: the deploy's BL_* and BLAXEL_STATE_PG, and no secret (TF_VAR_OPENAI_API_KEY unset).
    inspecting = {name: value for name, value in env.items() if not name.startswith("TF_VAR_")}

    # Before anything is deployed: what prod has that staging has not, from the synthesized stacks alone.
    diff = _environments(project, inspecting, "diff", "staging", "prod", expect=(2,))
    print(f"--- environments diff staging prod ---\n{diff.stdout}")
    assert "+ model chat-next" in diff.stdout
    assert '+ policy policy-eu-only   only in prod (name "eu-only")' in diff.stdout
    assert 'flavors   [{"name": "t4", "type": "cpu"}] -> [{"name": "a100", "type": "gpu"}]' in diff.stdout
    assert "chat-staging" not in diff.stdout  # names differ only by the environment's suffix: left out
    assert _environments(project, inspecting, "diff", "staging", "staging").stdout == "staging -> staging: the same\n"

    # prod was never deployed: status says so, and leaves no schema, state row or lock in PostgreSQL.
    never = _environments(project, inspecting, "status", "prod")
    assert never.stdout.splitlines()[1].split() == ["prod", "pg", "0", "not", "deployed"]
    assert _schemas(postgres, state_pg) == []
    assert _advisory_locks(postgres) == 0

    run([*deploy, "dev", "staging"], cwd=project, env={**env, **LOCK_TIMEOUT})  # two first deploys: see README
    assert sorted(json.loads(outputs.read_text())) == ["dev", "staging"]
    emulator.reset_stats()

    in_sync = _environments(project, inspecting, "status", "dev", "staging")
    assert [line.split()[:5] for line in in_sync.stdout.splitlines()[1:3]] == [
        ["dev", "pg", "3", "in", "sync"],
        ["staging", "pg", "3", "in", "sync"],
    ]

    _change_model_outside_terraform(emulator, "chat-staging", "gpt-4.1-mini")
    emulator.reset_stats()
    drifted = _environments(project, inspecting, "status", "dev", "staging", expect=(2,))
    print(f"--- environments status dev staging, after a change outside Terraform ---\n{drifted.stdout}")
    assert f"```text\n{drifted.stdout}```" in (EXAMPLE / "README.md").read_text(), "the README shows this output"
    lines = drifted.stdout.splitlines()
    assert lines[1].split()[:5] == ["dev", "pg", "3", "in", "sync"]
    assert lines[2].split()[:4] == ["staging", "pg", "3", "drifted,"]
    assert '~ model chat: changed outside Terraform, runtime.model "gpt-4.1" -> "gpt-4.1-mini"' in drifted.stdout
    report = json.loads(_environments(project, inspecting, "status", "dev", "staging", "--json", expect=(2,)).stdout)
    dev, staging = report["environments"]
    assert (dev["name"], dev["status"], staging["name"], staging["status"]) == ("dev", "in_sync", "staging", "drifted")
    assert staging["drift"] == [
        {
            "address": "blaxel_model.chat_22ADE1FF",
            "resource": "model chat",
            "type": "blaxel_model",
            "action": "update",
            "attributes": [{"attribute": "runtime.model", "old": "gpt-4.1", "new": "gpt-4.1-mini"}],
        }
    ]
    assert [change["action"] for change in staging["pending"]] == ["update"]
    assert _writes(emulator) == {}, "environments diff and status must send nothing that changes the API"

    # A deploy of staging started while status checks it is neither refused nor kept waiting (no lock timeout):
    # the status's first read is held 15 s by the emulator, so the deploy runs inside its plan.
    emulator.set_faults([{"method": "GET", "path": "/v0/*", "delay": 15, "count": 1}])
    status = subprocess.Popen(
        [str(BLAXEL_CONSTRUCTS), "environments", "status", "staging"],
        cwd=project,
        env=inspecting,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until(lambda: emulator.faults()["rules"][0]["fired"] == 1, timeout=WAIT_SECONDS, what="status to read")
        run([*deploy, "staging"], cwd=project, env=env)
        assert status.poll() is None, "the deploy ran while status was planning staging"
        assert _models(emulator)["chat-staging"]["spec"]["runtime"]["model"] == "gpt-4.1"  # the drift undone
        run([*deploy, "prod"], cwd=project, env=env)
        output, _ = status.communicate(timeout=120)
    finally:
        if status.poll() is None:
            status.kill()
            status.wait()
    assert status.returncode in (0, 2), output
    assert _advisory_locks(postgres) == 0

    values = json.loads(outputs.read_text())
    assert sorted(values) == ["prod"]
    assert values["prod"]["chat_url"].endswith("/models/chat")
    assert values["prod"]["chat_status"] == "DEPLOYED"
    models = _models(emulator)
    assert sorted(models) == [
        "chat",
        "chat-dev",
        "chat-next",
        "chat-staging",
        "summarize",
        "summarize-dev",
        "summarize-staging",
    ]
    assert models["chat"]["spec"]["flavors"] == [{"name": "a100", "type": "gpu"}]
    assert models["chat-next"]["metadata"]["labels"]["environment"] == "prod"
    for schema in ("blaxel_dev", "blaxel_staging", "blaxel_prod"):
        assert _states(postgres, state_pg, schema) == ["default"]

    for name in ("dev", "staging", "prod"):  # in the working directories cdktf initialised
        Workdir(project / "cdktf.out" / "stacks" / name, env).destroy()
    assert _models(emulator) == {}
