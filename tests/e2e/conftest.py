"""End-to-end fixtures: this checkout's provider installed privately, and Terraform working directories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.emulator_process import EmulatorProcess
from tests.support.terraform import ProviderInstall, Workdir, base_env, hcl_header, require_tools

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def provider_install(tmp_path_factory: pytest.TempPathFactory) -> ProviderInstall:
    """The provider of this checkout, installed once per test session into a private plugin directory."""
    require_tools()
    return ProviderInstall.create(tmp_path_factory.mktemp("provider"))


@pytest.fixture
def emulator_env(provider_install: ProviderInstall, emulator: EmulatorProcess, tmp_path: Path) -> dict[str, str]:
    """Environment for terraform/cdktf pointed at the test's emulator through the BL_* variables."""
    home = tmp_path / "home"
    home.mkdir()
    return base_env(
        provider_install,
        home=home,
        extra=emulator.client_env(),
    )


@pytest.fixture
def hcl(emulator_env: dict[str, str], tmp_path: Path) -> Callable[[str], Workdir]:
    """Make an initialised Terraform directory whose main.tf is the provider header plus ``body``."""

    def make(body: str, name: str = "hcl") -> Workdir:
        path = tmp_path / name
        path.mkdir(exist_ok=True)
        workdir = Workdir(path, emulator_env)
        workdir.write("main.tf", hcl_header() + body)
        workdir.init()
        return workdir

    return make
