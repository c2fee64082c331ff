"""``install_provider``: the wrapper Terraform launches, and the bytecode that keeps each launch short."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from blaxel_constructs.provider import plugin_server
from blaxel_constructs.provider.install import install_provider


def test_installing_writes_an_executable_wrapper_that_runs_this_python(tmp_path: Path) -> None:
    executable = install_provider(tmp_path / "plugins", python="/opt/python/bin/python3")

    assert os.access(executable, os.X_OK)
    assert executable.name.startswith("terraform-provider-blaxel_v")
    assert "exec /opt/python/bin/python3 -m blaxel_constructs.provider.main" in executable.read_text()


def test_installing_byte_compiles_the_package_even_where_imports_write_no_bytecode(tmp_path: Path) -> None:
    compiled = Path(importlib.util.cache_from_source(plugin_server.__file__))
    compiled.unlink(missing_ok=True)

    install_provider(tmp_path / "plugins")

    assert compiled.is_file()
    assert compiled.stat().st_mtime >= Path(plugin_server.__file__).stat().st_mtime
