"""The CI example (``examples/ci``) run as its workflow runs it, against the emulator and a real PostgreSQL.

The workflow file is read at test time: its jobs' ``env`` (with ``${{ secrets.X }}`` and ``${{ vars.X }}``
given test values) and its steps that call ``blaxel-ci.sh``, run in a copy of the repository laid out as in
a clone (``test_multi_env_readme``'s fixtures), in ``bash -e`` with stdin closed, as on a CI runner. The
state database is prepared by the SQL of the example's README. A team's life with it:

1. a pull request before anything is deployed: every environment plans against an empty state;
2. the push to main: ``apply-dev``, ``apply-staging``, ``apply-prod``, in the order of their ``needs``;
3. a pull request that changes dev: dev plans a change, staging and prod none, and nothing is written,
   neither to the API nor to the database, whose plan role cannot write at all.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.test_multi_env_readme import clone, postgres, shell_env, state_pg  # noqa: F401  (shared fixtures)
from tests.support.emulator_process import EmulatorProcess
from tests.support.postgres import PostgresServer
from tests.support.terraform import REPO

pytestmark = pytest.mark.e2e

CI = REPO / "examples" / "ci"
WORKFLOW = CI / "github-actions.yml"
SCRIPT = "examples/ci/blaxel-ci.sh"
READ_ONLY_KEY = "read-only-key"
OPENAI_KEY = "sk-ci-test-key"
APPLY_JOBS = ["apply-dev", "apply-staging", "apply-prod"]
MODELS = ["chat", "chat-dev", "chat-next", "chat-staging", "summarize", "summarize-dev", "summarize-staging"]
JOB_TIMEOUT = 300
_EXPRESSION = re.compile(r"\$\{\{\s*(\w+)\.(\w+)\s*\}\}")


def _workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    return loaded


@pytest.fixture
def ci_emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """The API, accepting the apply jobs' key and the plan job's read-only one."""
    with EmulatorProcess(tmp_path / "ci.db", deploy_seconds=0.2, extra_args=["--api-key", READ_ONLY_KEY]) as process:
        yield process


@pytest.fixture
def store(state_pg: str, postgres: PostgresServer) -> dict[str, str]:  # noqa: F811
    """The repository's secrets and variables: the README's two database roles, the two Blaxel keys."""
    database = state_pg.rsplit("/", 1)[1].split("?", 1)[0]
    (sql,) = re.findall(r"^```sql\n(.*?)^```$", (CI / "README.md").read_text(), re.MULTILINE | re.DOTALL)
    for statement in filter(None, (part.strip() for part in sql.replace("terraform_state", database).split(";"))):
        postgres.sql(database, statement)
    return {
        "secrets.BLAXEL_READ_ONLY_API_KEY": READ_ONLY_KEY,
        "vars.BLAXEL_STATE_PG_READ_ONLY": state_pg.replace("postgres@", "blaxel_ci_plan@"),
        "secrets.STATE_PG_READ_ONLY_PASSWORD": "trust-needs-none",
        "secrets.BL_API_KEY": "emulator-key",
        "secrets.OPENAI_API_KEY": OPENAI_KEY,
        "vars.BLAXEL_STATE_PG": state_pg.replace("postgres@", "blaxel_ci_apply@"),
        "secrets.STATE_PG_PASSWORD": "trust-needs-none",
    }


def _substituted(value: str, store: Mapping[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        key = f"{match.group(1)}.{match.group(2)}"
        assert key in store, f"the workflow uses {key}, which the README's table does not list"
        return store[key]

    return _EXPRESSION.sub(one, value)


def _run_job(name: str, *, clone: Path, shell_env: dict[str, str], store: Mapping[str, str], api: str) -> str:  # noqa: F811
    """Run the job's ``blaxel-ci.sh`` steps as the runner would, with the job's environment; all it printed."""
    workflow = _workflow()
    job = workflow["jobs"][name]
    env = {**shell_env, **{k: str(v) for k, v in workflow.get("env", {}).items()}}
    env.update({key: _substituted(str(value), store) for key, value in job.get("env", {}).items()})
    env["BL_API_URL"] = api  # the real API is the default; here, the emulator
    env["PATH"] = f"{clone / '.venv' / 'bin'}:{env['PATH']}"  # what `pip install -r requirements.txt` provides
    steps = [step["run"] for step in job["steps"] if SCRIPT in step.get("run", "")]
    assert len(steps) == 1, f"job {name} must run {SCRIPT} once"
    completed = subprocess.run(
        ["bash", "-e", "-c", steps[0]],
        cwd=clone,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=JOB_TIMEOUT,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, f"job {name} failed:\n{output[-6000:]}"
    return output


def _writes(emulator: EmulatorProcess) -> int:
    return sum(n for key, n in emulator.stats()["requests"].items() if not key.startswith("GET"))


def _as_plan_role(postgres: PostgresServer, conninfo: str, statement: str) -> subprocess.CompletedProcess[str]:  # noqa: F811
    command = [str(postgres.bin_dir / "psql"), "-X", "-v", "ON_ERROR_STOP=1", "-c", statement, conninfo]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_the_workflow_plans_pull_requests_and_applies_dev_then_staging_then_prod() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))
    jobs = workflow["jobs"]

    assert set(triggers) == {"pull_request", "push"} and triggers["push"] == {"branches": ["main"]}
    assert "pull_request" in jobs["plan"]["if"] and "environment" not in jobs["plan"]
    assert [jobs[name].get("environment") for name in APPLY_JOBS] == ["dev", "staging", "prod"]
    assert [jobs[name].get("needs") for name in APPLY_JOBS] == [None, "apply-dev", "apply-staging"]
    assert all("push" in jobs[name].get("if", "push") for name in APPLY_JOBS)
    for name in APPLY_JOBS:
        assert jobs[name]["env"]["TF_VAR_OPENAI_API_KEY"] == "${{ secrets.OPENAI_API_KEY }}"
        assert jobs[name]["env"]["BL_API_KEY"] == "${{ secrets.BL_API_KEY }}"
    assert "OPENAI" not in str(jobs["plan"]["env"]), "a pull request's plan gets no application secret"


def test_a_teams_life_with_the_workflow_against_the_emulator_and_postgresql(
    clone: Path,  # noqa: F811
    shell_env: dict[str, str],  # noqa: F811
    store: dict[str, str],
    ci_emulator: EmulatorProcess,
    postgres: PostgresServer,  # noqa: F811
) -> None:
    shutil.copytree(CI, clone / "examples" / "ci")
    job = {"clone": clone, "shell_env": shell_env, "store": store, "api": ci_emulator.base_url}

    first_plan = _run_job("plan", **job)  # a pull request before anything is deployed

    for environment in ("dev", "staging", "prod"):
        assert f"== {environment} has no state yet: planning against an empty state" in first_plan
        assert f"== {environment}: changes" in first_plan
    assert _writes(ci_emulator) == 0

    for name in APPLY_JOBS:  # the push to main, in the order of the jobs' needs
        applied = _run_job(name, **job)
        assert "Apply complete!" in applied
    models = ci_emulator.stats()["models_created"]
    assert sorted(models) == MODELS and set(models.values()) == {1}
    writes = _writes(ci_emulator)

    environments = clone / "examples" / "multi_env" / "environments.yaml"
    original = environments.read_text()
    changed = original.replace("    labels: {tier: dev}\n", "    labels: {tier: dev, owner: ci}\n", 1)
    assert changed != original
    environments.write_text(changed)  # a pull request that changes dev

    second_plan = _run_job("plan", **job)

    assert "== dev: changes" in second_plan
    assert "Plan: 0 to add, 3 to change, 0 to destroy." in second_plan  # the label, on its models and connection
    assert "== staging: no changes" in second_plan and "== prod: no changes" in second_plan
    assert _writes(ci_emulator) == writes, "a plan wrote to the API"
    assert OPENAI_KEY not in second_plan + first_plan
    reader = store["vars.BLAXEL_STATE_PG_READ_ONLY"]
    denied = _as_plan_role(postgres, reader, "DELETE FROM blaxel_dev.states")
    assert denied.returncode != 0 and "permission denied" in denied.stderr
    readable = _as_plan_role(postgres, reader, "SELECT count(*) FROM blaxel_prod.states")
    assert readable.returncode == 0, readable.stderr


def test_the_script_refuses_an_unknown_mode_saying_how_to_call_it(tmp_path: Path) -> None:
    usage = subprocess.run(
        [str(REPO / SCRIPT), "deploy", "dev"], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=30
    )

    assert usage.returncode == 64
    assert "usage:" in usage.stderr and "plan ENVIRONMENT... | apply ENVIRONMENT" in usage.stderr
