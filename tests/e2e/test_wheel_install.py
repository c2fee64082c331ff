"""The package as a team uses it: a wheel built from this checkout, installed by two people in two places.

Alice and Bob each install the wheel into a virtual environment of their own, at different paths outside
the checkout, with different HOMEs, and run ``blaxel-constructs install-provider``. The lock file Alice's
``terraform init`` writes is accepted by Bob's (the provider package is the same bytes for both). Alice
then deploys an app of her own, a copy of the quickstart in a directory outside the repository with the
``cdktf.json`` the README's install section gives, with no ``--skip-provider-lock`` and no registry to
reach (``HTTPS_PROXY`` points nowhere), upgrades to a newer wheel and deploys again, and destroys.

The wheel is built once for the module and the two venvs are shared by its tests; the last test upgrades
Alice's venv, so it stays last.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from blaxel_constructs import __version__
from blaxel_constructs.constructs.provider_lock import LOCK_FILE, lock_entry
from blaxel_constructs.provider_package import package_hash
from tests.e2e.test_multi_env_readme import section
from tests.support.emulator_process import EmulatorProcess
from tests.support.terraform import CDKTF, NO_REGISTRY, REPO, Workdir, hcl_header, require_tools, run
from tests.support.wheel import WheelVenv, build_wheel

pytestmark = pytest.mark.e2e

QUICKSTART = REPO / "examples" / "quickstart" / "main.py"
STACK = "quickstart"
OPENAI_KEY = "sk-wheel-test-key"
MODEL = """
resource "blaxel_model" "chat" {
  name    = "team-chat"
  runtime = { type = "openai", model = "gpt-4.1" }
}
output "status" { value = blaxel_model.chat.status }
"""


def _bumped(version: str) -> str:
    major, minor, patch = (int(part) for part in re.findall(r"\d+", version)[:3])
    return f"{major}.{minor}.{patch + 1}"


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory holding the wheel of this checkout, built once for the module."""
    require_tools()
    root = tmp_path_factory.mktemp("wheels")
    build_wheel(root / "dist", root)
    return root / "dist"


@pytest.fixture(scope="module")
def alice(wheels: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WheelVenv]:
    """Alice's venv (with cdktf, for her app), her HOME, and the provider installed where Terraform looks."""
    root = tmp_path_factory.mktemp("alice")
    (wheel,) = wheels.glob("*.whl")
    venv = WheelVenv.create(root / "venvs" / "blaxel", root / "home", wheel, extras="cdktf")
    venv.run("blaxel-constructs", "install-provider", cwd=root)
    yield venv


@pytest.fixture(scope="module")
def bob(wheels: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WheelVenv]:
    """Bob's venv, elsewhere and named otherwise, with his own HOME (a CI runner would be the same)."""
    root = tmp_path_factory.mktemp("bob")
    (wheel,) = wheels.glob("*.whl")
    venv = WheelVenv.create(root / "work" / "infra" / ".venv", root / "home", wheel)
    venv.run("blaxel-constructs", "install-provider", cwd=root)
    yield venv


def _launcher(venv: WheelVenv, version: str = __version__) -> Path:
    plugins = venv.home / ".terraform.d" / "plugins" / "registry.terraform.io" / "blaxel-constructs" / "blaxel"
    (launcher,) = (plugins / version).glob(f"*/terraform-provider-blaxel_v{version}")
    return launcher


def test_both_commands_print_the_version_and_exit_0_at_once(bob: WheelVenv, tmp_path: Path) -> None:
    assert bob.run("blaxel-constructs", "--version", cwd=tmp_path).stdout == f"blaxel-constructs {__version__}\n"
    provider = bob.run("terraform-provider-blaxel", "--version", cwd=tmp_path)
    assert provider.stdout == f"terraform-provider-blaxel {__version__}\n"
    launched = run([str(_launcher(bob)), "--version"], cwd=tmp_path, env=bob.env(), timeout=5)
    assert launched.stdout == f"terraform-provider-blaxel {__version__}\n"


def test_a_lock_file_written_with_one_install_is_accepted_by_another_install_at_another_path(
    alice: WheelVenv, bob: WheelVenv, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    assert str(alice.path) not in _launcher(alice).read_text()
    assert _launcher(alice).read_bytes() == _launcher(bob).read_bytes()
    first = Workdir(tmp_path / "alice-checkout", alice.env({"TF_LOG": "WARN", **emulator.client_env()}))
    first.path.mkdir()
    first.write("main.tf", hcl_header() + MODEL)
    initialised = first.init()
    lock = (first.path / LOCK_FILE).read_text()
    assert f'"{package_hash(__version__)}"' in lock
    assert lock.endswith(lock_entry())
    assert "[WARN]" not in initialised.stderr, initialised.stderr  # nothing in the plugin directory bothers it

    second = Workdir(tmp_path / "bob-checkout", bob.env(emulator.client_env()))
    second.path.mkdir()
    for name in ("main.tf", LOCK_FILE):  # what a clone of Alice's repository holds
        shutil.copy(first.path / name, second.path / name)
    second.init()
    second.apply()

    assert second.resource("blaxel_model.chat")["status"] == "DEPLOYED"
    assert (second.path / LOCK_FILE).read_text() == lock
    second.destroy()


def test_an_app_outside_the_repository_deploys_from_the_wheel_then_after_an_upgrade_deploys_again(
    alice: WheelVenv, emulator: EmulatorProcess, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    app = alice.home / "assistant"
    app.mkdir()
    shutil.copy(QUICKSTART, app / "main.py")
    (app / "cdktf.json").write_text(_readme_cdktf_json())
    env = alice.env({**emulator.client_env(), **NO_REGISTRY, "TF_VAR_OPENAI_API_KEY": OPENAI_KEY})
    outputs = app / "outputs.json"
    deploy = [str(CDKTF), "deploy", STACK, "--auto-approve", "--outputs-file", str(outputs)]

    run(deploy, cwd=app, env=env)

    assert json.loads(outputs.read_text())[STACK]["status"] == "DEPLOYED"
    stack_dir = app / "cdktf.out" / "stacks" / STACK
    assert (stack_dir / LOCK_FILE).read_text().endswith(lock_entry(__version__))

    newer = _bumped(__version__)
    scratch = tmp_path_factory.mktemp("upgrade")
    alice.pip("install", "--quiet", "--no-deps", str(build_wheel(scratch / "dist", scratch, version=newer)))
    alice.run("blaxel-constructs", "install-provider", cwd=app)  # the README's upgrade step

    upgraded = run(deploy, cwd=app, env=env)

    assert "No changes" in upgraded.output
    assert json.loads(outputs.read_text())[STACK]["status"] == "DEPLOYED"
    assert json.loads((stack_dir / "cdk.tf.json").read_text())["terraform"]["required_providers"]["blaxel"] == {
        "source": "blaxel-constructs/blaxel",
        "version": newer,
    }
    lock = (stack_dir / LOCK_FILE).read_text()
    assert f'version     = "{newer}"' in lock and __version__ not in lock.replace(newer, "")
    run([str(CDKTF), "destroy", STACK, "--auto-approve"], cwd=app, env=env)
    assert emulator.stats()["models_deleted"] == {"quickstart-gpt": 1}


def _readme_cdktf_json() -> str:
    """The ``cdktf.json`` of the README's install section, as a user copies it."""
    blocks = re.findall(r"^```json\n(.*?)^```$", section((REPO / "README.md").read_text(), "Install"), re.M | re.S)
    assert len(blocks) == 1, "the README's install section shows one cdktf.json"
    json.loads(blocks[0])
    return str(blocks[0])
