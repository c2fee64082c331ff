"""examples/multi_env with its state in a real PostgreSQL server: one stack per environment, locked, durable.

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


def test_cdktf_deploy_dev_then_staging_and_prod_each_stack_with_its_own_outputs(
    tmp_path: Path, env: dict[str, str], emulator: EmulatorProcess, postgres: PostgresServer, state_pg: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    config = json.loads((EXAMPLE / "cdktf.json").read_text())
    config["app"] = f"{PYTHON} {EXAMPLE / 'main.py'}"
    (project / "cdktf.json").write_text(json.dumps(config))
    outputs = project / "outputs.json"
    deploy = [str(CDKTF), "deploy", "--auto-approve", "--outputs-file", str(outputs)]

    run([*deploy, "dev"], cwd=project, env=env)
    assert sorted(json.loads(outputs.read_text())) == ["dev"]
    # Two environments deployed for the first time at once: Terraform's pg backend holds a database-wide
    # creation lock during the first apply of each, so the other one waits for it (README: lock timeout).
    run([*deploy, "staging", "prod"], cwd=project, env={**env, **LOCK_TIMEOUT})

    values = json.loads(outputs.read_text())
    assert sorted(values) == ["prod", "staging"]
    assert values["prod"]["chat_url"].endswith("/models/chat")
    assert values["prod"]["chat_status"] == "DEPLOYED"
    assert values["staging"]["chat_url"].endswith("/models/chat-staging")
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
