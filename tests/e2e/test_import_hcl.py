"""``blaxel-constructs import --format hcl`` end to end: a workspace made by another tool (raw HTTP, see
``tests/support/seeded_workspace.py``) brought under Terraform, against the real emulator process, the real
``terraform`` and the installed provider.

The generated directory's first plan only imports (every connection, policy and model; the model being deleted
is skipped), ``apply`` imports them all and the next plan is empty; no seeded secret reaches a generated file, a
plan or the state, and nothing (generation, plans, the import) writes to the API. With ``--take-over-secrets``
the first plan also updates each connection's ``secret_wo_version``, and nothing else. A rerun after new objects
appear keeps every address and every secret's variable; filters leave out what they say, naming a left-out
connection or policy by its name.

One seeded workspace serves the whole module, and ``terraform init`` runs once: later directories get a copy of
its ``.terraform`` and lock file (the same provider, the same version).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator_process import EmulatorProcess
from tests.support.seeded_workspace import (
    DELETING_MODEL,
    INCOMPLETE_MODEL,
    ODD_LABELS,
    SeededWorkspace,
    api,
    model_document,
    resource_writes,
    seeded_emulator,
)
from tests.support.terraform import ProviderInstall, Result, Workdir, base_env, run

pytestmark = pytest.mark.e2e

_PLAN_SUMMARY = re.compile(r"Plan: (\d+) to import, (\d+) to add, (\d+) to change, (\d+) to destroy\.")
_IMPORT_BLOCK = re.compile(r'import\s*\{\s*to\s*=\s*([\w.]+)\s+id\s*=\s*"([^"]*)"\s*\}')
_TF_VAR = re.compile(r"TF_VAR_[A-Z0-9_]+")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorProcess, SeededWorkspace]]:
    """The emulator holding the seeded workspace, shared by this module's tests."""
    with seeded_emulator(tmp_path_factory.mktemp("import-hcl-emulator")) as seeded:
        yield seeded


@pytest.fixture(scope="module")
def seeded(workspace: tuple[EmulatorProcess, SeededWorkspace]) -> SeededWorkspace:
    return workspace[1]


@pytest.fixture
def emulator(workspace: tuple[EmulatorProcess, SeededWorkspace]) -> EmulatorProcess:
    """The module's emulator, its stats reset: each test counts only its own requests."""
    process = workspace[0]
    process.reset_stats()
    return process


@pytest.fixture(scope="module")
def env(
    provider_install: ProviderInstall,
    workspace: tuple[EmulatorProcess, SeededWorkspace],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    """BL_* pointing at the module's emulator, the private provider install, this venv's bin first on PATH."""
    home = tmp_path_factory.mktemp("import-hcl-home")
    environment = base_env(provider_install, home=home, extra=workspace[0].client_env())
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    return environment


@pytest.fixture(scope="module")
def generate(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Result]:
    """Run ``blaxel-constructs import --format hcl --out DIR *args`` (in ``env`` changed by ``changes``: None
    removes a variable); checks the exit code (``expect``)."""
    cwd = tmp_path_factory.mktemp("import-hcl-cwd")

    def generate(
        out: Path, *args: str, expect: tuple[int, ...] = (0,), changes: dict[str, str | None] | None = None
    ) -> Result:
        command = [sys.executable, "-m", "blaxel_constructs.cli", "import", "--format", "hcl", "--out", str(out)]
        return run([*command, *args], cwd=cwd, env=_changed(env, changes or {}), expect=expect)

    return generate


@pytest.fixture(scope="module")
def initialised(
    workspace: tuple[EmulatorProcess, SeededWorkspace],
    env: dict[str, str],
    generate: Callable[..., Result],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """A generated directory after ``terraform init``: the ``.terraform`` and lock file every test copies."""
    path = tmp_path_factory.mktemp("import-hcl-init") / "adopted"
    generate(path)
    Workdir(path, env).init()
    return path


@pytest.fixture
def workdir(initialised: Path, env: dict[str, str]) -> Callable[[Path], Workdir]:
    """A Workdir for a generated directory, initialised by copying ``initialised``'s ``.terraform``."""

    def make(path: Path) -> Workdir:
        shutil.copytree(initialised / ".terraform", path / ".terraform", symlinks=True)
        shutil.copy2(initialised / ".terraform.lock.hcl", path / ".terraform.lock.hcl")
        return Workdir(path, env)

    return make


def _changed(env: dict[str, str], changes: dict[str, str | None]) -> dict[str, str]:
    """``env`` with ``changes`` applied: a None value removes the variable."""
    changed = {**env, **changes}
    return {key: value for key, value in changed.items() if value is not None}


def _summary(result: Result) -> tuple[int, int, int, int]:
    found = _PLAN_SUMMARY.search(result.stdout)
    assert found, f"no import plan summary in:\n{result.output}"
    imports, add, change, destroy = (int(group) for group in found.groups())
    return imports, add, change, destroy


def _imports(directory: Path) -> dict[str, str]:
    """``imports.tf`` as {resource address: the id imported}."""
    return dict(_IMPORT_BLOCK.findall((directory / "imports.tf").read_text()))


def _seeded_ids(seeded: SeededWorkspace) -> dict[str, str]:
    """The type each seeded name must be imported as."""
    return {
        **dict.fromkeys(seeded.connections, "blaxel_integration_connection"),
        **dict.fromkeys(seeded.policies, "blaxel_policy"),
        **dict.fromkeys(seeded.models, "blaxel_model"),
    }


def _generated_text(directory: Path) -> str:
    """Every file the generator wrote (not Terraform's own)."""
    return "\n".join(
        path.read_text() for path in sorted(directory.iterdir()) if path.is_file() and path.suffix in {".tf", ".py"}
    )


def _assert_no_secret(seeded: SeededWorkspace, *texts: str) -> None:
    for text in texts:
        for secret in seeded.secret_values:
            assert secret not in text


def _state_text(workdir: Workdir) -> str:
    return (workdir.path / "terraform.tfstate").read_text() + json.dumps(workdir.state())


def test_the_generated_hcl_imports_the_whole_workspace_then_plans_no_change_and_writes_nothing(
    emulator: EmulatorProcess,
    seeded: SeededWorkspace,
    generate: Callable[..., Result],
    workdir: Callable[[Path], Workdir],
    tmp_path: Path,
) -> None:
    out = tmp_path / "adopted"

    generated = generate(out)

    assert sorted(path.name for path in out.iterdir()) == ["imports.tf", "main.tf"]
    imports = _imports(out)
    assert {name: address.split(".")[0] for address, name in imports.items()} == _seeded_ids(seeded)
    assert len(set(imports)) == seeded.managed  # one address each, none shared
    main = (out / "main.tf").read_text()
    for skipped in (DELETING_MODEL, INCOMPLETE_MODEL):  # skipped, and said so
        assert f'"{skipped}"' not in main and f"model {skipped}" in generated.output
    assert "blaxel_integration_connection." in main and "blaxel_policy." in main  # models refer, not repeat names
    _assert_no_secret(seeded, main, (out / "imports.tf").read_text(), generated.output)
    terraform = workdir(out)

    plan = terraform.plan()

    assert _summary(plan) == (seeded.managed, 0, 0, 0)
    applied = terraform.apply()
    assert f"Resources: {seeded.managed} imported, 0 added, 0 changed, 0 destroyed." in applied.stdout
    terraform.plan("-detailed-exitcode")  # exit 0: nothing to do
    state = terraform.state()["values"]["root_module"]["resources"]
    assert sorted(resource["address"] for resource in state) == sorted(imports)
    values = {resource["values"]["name"]: resource["values"] for resource in state}
    assert values["gemini-flash"]["labels"] == ODD_LABELS
    assert values["gemini-flash"]["display_name"] == "Gemini ⚡ flash.v2 ${x}"
    assert values["chat1"]["display_name"] == 'Chat "one" (no dash)'
    assert (values["disabled-gpt"]["enabled"], values["disabled-gpt"]["status"]) == (False, "DEACTIVATED")
    assert values["sandbox-mistral"]["sandbox"] is True and values["mistral-sandbox"]["sandbox"] is True
    assert len(values["multi-flavor"]["flavors"]) == 3
    assert {values[name]["type"] for name in seeded.policies} == {"location", "flavor", "maxToken"}
    assert sorted(values["mistral-large"]["integration_connections"]) == ["mistral-sandbox", "openai-prod"]
    _assert_no_secret(seeded, plan.output, applied.output, _state_text(terraform))
    assert resource_writes(emulator) == {}


def test_taking_over_the_secrets_adds_one_secret_version_update_per_connection_and_nothing_else(
    emulator: EmulatorProcess,
    seeded: SeededWorkspace,
    generate: Callable[..., Result],
    workdir: Callable[[Path], Workdir],
    tmp_path: Path,
) -> None:
    out = tmp_path / "takeover"
    # OAuth client credentials this time, instead of the API key: the token requests are the only POSTs allowed.
    oauth: dict[str, str | None] = {"BL_API_KEY": None, "BL_CLIENT_CREDENTIALS": emulator.client_credentials}

    generated = generate(out, "--take-over-secrets", changes=oauth)

    variables = sorted(set(_TF_VAR.findall(generated.stdout)))
    assert len(variables) >= len(seeded.connections), generated.stdout
    _assert_no_secret(seeded, _generated_text(out), generated.output)
    terraform = workdir(out)
    terraform.env = _changed(terraform.env, {**oauth, **{name: f"rotated-{i}" for i, name in enumerate(variables)}})

    plan = terraform.plan("-out=adopt.tfplan")

    assert _summary(plan) == (seeded.managed, 0, len(seeded.connections), 0)
    shown: dict[str, Any] = json.loads(terraform.terraform("show", "-json", "adopt.tfplan").stdout)
    updates = {}
    for change in shown["resource_changes"]:
        assert "importing" in change["change"], change["address"]
        actions = change["change"]["actions"]
        if actions == ["no-op"]:
            continue
        assert actions == ["update"], change["address"]
        before, after = change["change"]["before"], change["change"]["after"]
        unknown = change["change"].get("after_unknown") or {}
        updates[change["address"]] = sorted(
            key for key in after if key not in unknown and after[key] != before.get(key)
        )
    assert sorted(updates) == sorted(a for a in _imports(out) if a.startswith("blaxel_integration_connection."))
    assert set(map(tuple, updates.values())) == {("secret_wo_version",)}
    _assert_no_secret(seeded, plan.output, json.dumps(shown))
    assert emulator.stats()["requests"].get("POST /v0/oauth/token", 0) >= 2  # the generator's and the provider's
    assert resource_writes(emulator) == {}


def test_a_rerun_after_new_objects_appear_keeps_every_existing_address_and_secret_variable(
    emulator: EmulatorProcess, seeded: SeededWorkspace, generate: Callable[..., Result], tmp_path: Path
) -> None:
    first = tmp_path / "first"
    variables_before = set(_TF_VAR.findall(generate(first, "--take-over-secrets").stdout))
    before = _imports(first)
    # Names that sort before existing ones and map to the same identifier characters ("chat--1" beside "chat-1"
    # and "chat1"): an identifier derived from listing order or from a counter would move. The connection
    # "anthropic" with the key "mainApiKey" meets "anthropic-main" and its "apiKey" if variables are joined naively.
    added_models = ("chat--1", "0-new", "4o--mini")
    added_connections = {"anthropic--main": "apiKey", "anthropic": "mainApiKey"}
    for name, key in added_connections.items():
        body = {"metadata": {"name": name}, "spec": {"integration": "anthropic", "secret": {key: "x"}}}
        api(emulator, "POST", "/integrations/connections", body)
    for name in added_models:
        api(emulator, "POST", "/models", model_document(name, {"type": "openai", "model": "gpt-4.1"}))
    try:
        emulator.reset_stats()

        variables_after = set(_TF_VAR.findall(generate(first, "--force", "--take-over-secrets").stdout))

        after = _imports(first)
        assert {address: name for address, name in after.items() if name in before.values()} == before
        assert sorted(set(after.values()) - set(before.values())) == sorted((*added_models, *added_connections))
        assert len(after) == seeded.managed + len(added_models) + len(added_connections)
        assert variables_before < variables_after  # every TF_VAR_ name kept, the newcomers' added
        assert len(variables_after) == len(variables_before) + len(added_connections)
        assert resource_writes(emulator) == {}
    finally:
        emulator.configure(delete_seconds=0)
        for name in added_models:
            api(emulator, "DELETE", f"/models/{name}")
        for name in added_connections:
            api(emulator, "DELETE", f"/integrations/connections/{name}")


def test_filters_by_kind_name_and_label_name_left_out_connections_and_policies_by_their_name(
    emulator: EmulatorProcess,
    seeded: SeededWorkspace,
    generate: Callable[..., Result],
    workdir: Callable[[Path], Workdir],
    tmp_path: Path,
) -> None:
    one_model = tmp_path / "one-model"
    generate(one_model, "--kind", "model", "--name", "4o-mini")

    assert list(_imports(one_model).values()) == ["4o-mini"]
    main = (one_model / "main.tf").read_text()
    assert "blaxel_integration_connection." not in main and "blaxel_policy." not in main
    for name in ("openai-prod", "eu-only", "token-cap"):
        assert f'"{name}"' in main
    assert _summary(workdir(one_model).plan()) == (1, 0, 0, 0)

    team_ml = tmp_path / "team-ml"
    generate(team_ml, "--label", "team=ml")

    assert sorted(_imports(team_ml).values()) == ["4o-mini", "hf-private", "hf-tokens", "openai-prod", "token-cap"]
    main = (team_ml / "main.tf").read_text()
    assert '"eu-only"' in main  # named by 4o-mini, left out by the label
    assert _summary(workdir(team_ml).plan()) == (5, 0, 0, 0)

    policies = tmp_path / "policies"
    generate(policies, "--kind", "policy")
    assert sorted(_imports(policies).values()) == sorted(seeded.policies)

    chats = tmp_path / "chats"
    generate(chats, "--name", "chat*", "--name", "mistral-*")
    assert sorted(_imports(chats).values()) == ["chat-1", "chat1", "mistral-large", "mistral-sandbox"]
    assert resource_writes(emulator) == {}


def test_an_existing_directory_is_refused_without_force_and_accepted_with_it(
    generate: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "existing"
    out.mkdir()
    (out / "keep.tf").write_text("# mine\n")

    refused = generate(out, expect=(1,))

    assert "--force" in refused.output
    assert sorted(path.name for path in out.iterdir()) == ["keep.tf"]
    generate(out, "--force")
    assert {"imports.tf", "main.tf"} <= {path.name for path in out.iterdir()}
    empty = tmp_path / "empty"
    empty.mkdir()
    generate(empty)  # an existing empty directory needs no --force
    assert sorted(path.name for path in empty.iterdir()) == ["imports.tf", "main.tf"]
    generate(tmp_path / "bad", "--kind", "agent", expect=(2,))
