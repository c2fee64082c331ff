"""The multi-environment commands of the READMEs, run exactly as written: deploy every environment, see their
status and how two differ, destroy them all.

The ``sh`` blocks are read from ``examples/multi_env/README.md`` at test time, so the test fails as soon
as the README drifts from what works; the output the README shows under ``environments status`` and ``diff``
must be what they print. They run in a copy of the example laid out as in a clone (the
checkout's ``.venv`` and ``node_modules`` beside it, ``.build/terraformrc`` pointing at this checkout's
provider), in ``bash -e`` with stdin not a terminal, as in CI. Two values are substituted, through what
the README itself writes: the emulator's port (``--port 4010`` and ``BL_API_URL``) and the PostgreSQL
connection string (``BLAXEL_STATE_PG``), pointing at a real emulator process started by the README's
own command and at a real PostgreSQL server (``tests/support/postgres.py``). The root README's
"Multiple environments" section must carry the very same commands.
"""

from __future__ import annotations

import itertools
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
import requests

from tests.support.postgres import PostgresServer
from tests.support.terraform import CDKTF, REPO, ProviderInstall, base_env, run

pytestmark = pytest.mark.e2e

EXAMPLE = REPO / "examples" / "multi_env"
EXAMPLE_README = EXAMPLE / "README.md"
ROOT_README = REPO / "README.md"
#: What the README substitutes for the test: its emulator URL and its PostgreSQL connection string.
URL_VARIABLE = "BL_API_URL"
PG_VARIABLE = "BLAXEL_STATE_PG"
EMULATOR_COMMAND = "blaxel-constructs emulator"
INSPECT_COMMAND = "blaxel-constructs environments"
NEVER_DEPLOYED_LINE = "deploy staging prod"
SCRIPT_TIMEOUT = 600
#: Every model the example deploys: dev and staging two each, prod three (chat-next through its aliased provider).
MODELS = ["chat", "chat-dev", "chat-next", "chat-staging", "summarize", "summarize-dev", "summarize-staging"]
JS_STACK = re.compile(r"^\s+at \S+ \(.*:\d+:\d+\)$", re.MULTILINE)


# --- reading the README ---------------------------------------------------------------------------------


def sh_blocks(markdown: str) -> list[str]:
    """The fenced ``sh`` code blocks of ``markdown``, in order."""
    return [match.group(1) for match in re.finditer(r"^```sh\n(.*?)^```$", markdown, re.MULTILINE | re.DOTALL)]


def section(markdown: str, heading: str) -> str:
    """The text of the ``## heading`` section, its subsections included, up to the next ``## ``."""
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else len(markdown)]


def commands(block: str) -> list[str]:
    """The commands of a block: each line without its comment and surrounding blanks, empty lines dropped."""
    found = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            found.append(shlex.join(words))
    return found


def readme_blocks() -> tuple[str, str]:
    """The example README's emulator command, and its terminal session: every later ``sh`` block, in order."""
    emulator, *session = sh_blocks(EXAMPLE_README.read_text())
    assert EMULATOR_COMMAND in emulator, emulator
    assert session, "the README has no block after the emulator's"
    return emulator, "".join(session)


def inspections(markdown: str) -> list[tuple[str, str]]:
    """Each ``environments`` command block of ``markdown``, with the ``text`` block of output shown after it."""
    fences = list(re.finditer(r"^```(\w*)\n(.*?)^```$", markdown, re.MULTILINE | re.DOTALL))
    return [
        (block.group(2), following.group(2))
        for block, following in itertools.pairwise(fences)
        if block.group(1) == "sh"
        and following.group(1) == "text"
        and not markdown[block.end() : following.start()].strip()
        and INSPECT_COMMAND in block.group(2)
    ]


def inspected(script: str, directory: Path) -> str:
    """``script`` with each ``environments`` command's output and exit code kept in ``directory`` (``N.out``,
    ``N.rc``) instead of stopping the script at an exit code of 2, which means "differences"."""
    lines, index = [], 0
    for line in script.splitlines():
        if INSPECT_COMMAND in line:
            out, rc = directory / f"{index}.out", directory / f"{index}.rc"
            lines.append(f"set +e; {line} > {shlex.quote(str(out))} 2>&1; echo $? > {shlex.quote(str(rc))}; set -e")
            index += 1
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def substitute(block: str, name: str, value: str) -> str:
    """``block`` with the value of its one ``NAME=value`` assignment replaced by ``value`` (shell-quoted)."""
    pattern = re.compile(rf"(?<![\w]){name}=('[^']*'|\"[^\"]*\"|\S+)")
    assert len(pattern.findall(block)) == 1, f"the README must set {name} exactly once:\n{block}"
    return pattern.sub(lambda _: f"{name}={shlex.quote(value)}", block)


def assigned(block: str, name: str) -> str:
    """The value the block assigns to ``name``."""
    match = re.search(rf"(?<![\w]){name}=('[^']*'|\S+)", block)
    assert match, f"the README does not set {name}"
    return shlex.split(match.group(1))[0]


# --- the clone, the emulator and the database --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the module, in a temporary directory, stopped and removed afterwards."""
    with PostgresServer.start_new() as server:
        yield server


@pytest.fixture
def state_pg(postgres: PostgresServer) -> str:
    """A fresh database (the README's ``terraform_state``) for this test's remote state."""
    return postgres.create_database(f"terraform_state_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def clone(tmp_path: Path, provider_install: ProviderInstall) -> Path:
    """A repository root as ``make setup`` leaves it, holding a pristine copy of examples/multi_env."""
    root = tmp_path / "clone"
    (root / "examples").mkdir(parents=True)
    for name in (".venv", "node_modules", "package.json"):
        (root / name).symlink_to(REPO / name)
    (root / ".build").mkdir()
    shutil.copy(provider_install.cli_config, root / ".build" / "terraformrc")
    ignore = shutil.ignore_patterns("cdktf.out", ".terraform*", "*.tfstate*", "__pycache__", ".gen")
    shutil.copytree(EXAMPLE, root / "examples" / "multi_env", ignore=ignore)
    return root


@pytest.fixture
def shell_env(provider_install: ProviderInstall, tmp_path: Path) -> dict[str, str]:
    """A user's shell: PATH, a HOME of its own, no BL_* or TF_* variables, and not a CI runner.

    Only the flags that keep terraform, cdktf and jsii off the network and quiet are set (the suite's rule).
    """
    home = tmp_path / "home"
    home.mkdir()
    env = base_env(provider_install, home=home)
    for name in ("CI", "TF_IN_AUTOMATION", "TF_CLI_CONFIG_FILE", "BLAXEL_ENVIRONMENTS", "BLAXEL_STATE_PG"):
        env.pop(name, None)
    return env


def _first_line(stream: IO[str], lines: queue.Queue[str]) -> None:
    lines.put(stream.readline())
    for _ in stream:  # keep draining so the emulator never blocks on a full pipe
        pass


@pytest.fixture
def emulator_url(clone: Path, shell_env: dict[str, str]) -> Iterator[str]:
    """The README's emulator command, run from the clone's root on a free port; its URL once it serves.

    Stopped with SIGINT afterwards, as Ctrl-C in its terminal would.
    """
    block, _ = readme_blocks()
    (command,) = commands(block)
    port = _free_port()
    assert len(re.findall(r"--port 4010\b", command)) == 1, command
    process = subprocess.Popen(
        shlex.split(command.replace("--port 4010", f"--port {port}")),
        cwd=clone,
        env=shell_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=_first_line, args=(process.stdout, lines), daemon=True).start()
    try:
        url = lines.get(timeout=30).strip()
        assert url == f"http://127.0.0.1:{port}/v0", f"the emulator printed {url!r}"
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _emulator(url: str, what: str) -> Any:
    root = url.removesuffix("/v0")
    headers = {"Authorization": "Bearer emulator-key", "X-Blaxel-Workspace": "emulator"}
    response = requests.get(f"{url}/models" if what == "models" else f"{root}/_emulator/{what}", headers=headers)
    response.raise_for_status()
    return response.json()


def _states(postgres: PostgresServer, conninfo: str, schema: str) -> list[str]:
    database = conninfo.rsplit("/", 1)[1].split("?", 1)[0]
    return [row[0] for row in postgres.sql(database, f"SELECT name FROM {schema}.states ORDER BY name")]


def _run_script(script: str, *, clone: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the block as pasted into a shell at the clone's root, stopping at the first failing command."""
    path = clone.parent / "readme.sh"
    path.write_text(script)
    return subprocess.run(
        ["bash", "-e", "-x", str(path)],
        cwd=clone,
        env=env,
        stdin=subprocess.DEVNULL,  # not a terminal, as in CI
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT,
        check=False,
    )


def _readme_script(emulator_url: str, state_pg: str) -> str:
    emulator, script = readme_blocks()
    readme_url = assigned(script, URL_VARIABLE)
    readme_port = re.search(r"--port (\d+)", emulator)
    assert readme_port and readme_url == f"http://127.0.0.1:{readme_port.group(1)}/v0", (
        f"{URL_VARIABLE}={readme_url} is not the URL of the README's emulator command"
    )
    return substitute(substitute(script, URL_VARIABLE, emulator_url), PG_VARIABLE, state_pg)


# --- the tests ---------------------------------------------------------------------------------------------


def test_the_root_readme_runs_the_same_multi_environment_commands_as_the_example_readme() -> None:
    _, script = readme_blocks()
    root_section = section(ROOT_README.read_text(), "Multiple environments")
    root = sh_blocks(root_section)

    assert [command for block in root for command in commands(block)] == commands(script)
    assert readme_blocks()[0].strip() in ROOT_README.read_text()  # the emulator command it mentions
    assert inspections(root_section) == inspections(EXAMPLE_README.read_text())  # the same output shown


def test_the_example_readme_commands_deploy_dev_staging_and_prod_into_postgres_and_destroy_them_all(
    clone: Path, shell_env: dict[str, str], emulator_url: str, postgres: PostgresServer, state_pg: str
) -> None:
    script = _readme_script(emulator_url, state_pg)
    shown = inspections(EXAMPLE_README.read_text())
    assert [commands(command) for command, _ in shown] == [
        ["../../.venv/bin/blaxel-constructs environments status"],
        ["../../.venv/bin/blaxel-constructs environments diff staging prod"],
    ]
    kept = clone.parent / "inspections"
    kept.mkdir()

    completed = _run_script(inspected(script, kept), clone=clone, env=shell_env)

    output = completed.stdout + completed.stderr
    print(f"--- the README's commands ---\n{script}\n--- exit {completed.returncode} ---\n{output[-4000:]}")
    assert completed.returncode == 0, output
    printed = [((kept / f"{i}.out").read_text(), int((kept / f"{i}.rc").read_text())) for i in range(len(shown))]
    for (command, readme_output), (real_output, _) in zip(shown, printed, strict=True):
        print(f"--- {command.strip()} ---\n{real_output}")
        assert real_output == readme_output, f"{command.strip()} printed, unlike the README:\n{real_output}"
    assert [code for _, code in printed] == [0, 2]  # all in sync; staging and prod differ
    stats = _emulator(emulator_url, "stats")
    assert sorted(stats["models_created"]) == MODELS and set(stats["models_created"].values()) == {1}
    assert sorted(stats["models_deleted"]) == MODELS and set(stats["models_deleted"].values()) == {1}
    assert _emulator(emulator_url, "models") == []
    for schema in ("blaxel_dev", "blaxel_staging", "blaxel_prod"):
        assert _states(postgres, state_pg, schema) == ["default"]
    assert not [p for p in clone.rglob("*.tfstate") if ".terraform" not in p.parts], "the state went to PostgreSQL"
    assert "Error" not in output


def test_the_readme_destroy_line_also_succeeds_when_an_environment_was_never_deployed(
    clone: Path, shell_env: dict[str, str], emulator_url: str, state_pg: str
) -> None:
    script = _readme_script(emulator_url, state_pg)
    lines = [line for line in script.splitlines() if INSPECT_COMMAND not in line]
    kept = [line for line in lines if NEVER_DEPLOYED_LINE not in line]
    assert len(kept) == len(lines) - 1, f"the README has no single '{NEVER_DEPLOYED_LINE}' line"

    completed = _run_script("\n".join(kept) + "\n", clone=clone, env=shell_env)

    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    stats = _emulator(emulator_url, "stats")
    assert stats["models_created"] == stats["models_deleted"] == {"chat-dev": 1, "summarize-dev": 1}
    assert _emulator(emulator_url, "models") == []
    assert "already locked" not in output


def _project(clone: Path, yaml: str) -> tuple[Path, dict[str, str]]:
    environments = clone / "environments.yaml"
    environments.write_text(yaml)
    return clone / "examples" / "multi_env", {"BLAXEL_ENVIRONMENTS": str(environments)}


def _assert_clean(output: str, message: str) -> None:
    assert message in output, output
    assert "Traceback" not in output, output
    assert "jsii" not in output and "@jsii/kernel" not in output, output
    assert not JS_STACK.search(output), output


@pytest.mark.parametrize("how", ["python main.py", "cdktf synth", "cdktf deploy"])
def test_a_bad_field_in_environments_yaml_reaches_the_user_as_its_message_alone(
    clone: Path, shell_env: dict[str, str], how: str
) -> None:
    yaml = (EXAMPLE / "environments.yaml").read_text().replace("type: openai, model: gpt-4.1-mini", "type: opnai")
    example, extra = _project(clone, yaml)

    result = _app(how, example, {**shell_env, **extra})

    _assert_clean(
        result,
        "environments.yaml: field 'defaults.endpoints.chat.runtime.type' (for environment 'dev'): Input should be",
    )


@pytest.mark.parametrize("how", ["python main.py", "cdktf synth", "cdktf deploy"])
def test_a_policy_violation_reaches_the_user_as_its_message_alone(
    clone: Path, shell_env: dict[str, str], how: str
) -> None:
    original = (EXAMPLE / "environments.yaml").read_text()
    prod_chat = "        flavors: [{name: a100, type: gpu}]\n"
    yaml = original.replace(prod_chat, "        flavors: []\n        sandbox: true\n", 1)
    assert yaml != original
    example, extra = _project(clone, yaml)

    result = _app(how, example, {**shell_env, **extra})

    _assert_clean(result, "[prod/chat]: field 'sandbox': sandbox endpoints are not allowed in environment 'prod'")
    assert "[prod/chat]: field 'flavors': at least one flavor is required in environment 'prod'" in result


def _app(how: str, example: Path, env: dict[str, str]) -> str:
    """Run the example app the way ``how`` says; it must fail; what the user sees (stdout and stderr)."""
    env = {**env, "TF_CLI_CONFIG_FILE": str(example.parents[1] / ".build" / "terraformrc")}
    if how == "python main.py":
        args = [str(example.parents[1] / ".venv" / "bin" / "python"), "main.py"]
    elif how == "cdktf synth":
        args = [str(CDKTF), "synth"]
    else:
        args = [str(CDKTF), "deploy", "dev", "--auto-approve"]
    result = run(args, cwd=example, env={**env, "CDKTF_OUTDIR": str(example / "cdktf.out")}, expect=(1,))
    return result.output
