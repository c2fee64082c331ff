"""``install_provider`` and the launcher it installs: the same bytes everywhere, the Python found outside them.

The launcher is run here for real (``/bin/sh``), with a stand-in interpreter that prints which one it is
instead of starting the provider: these tests are about finding the interpreter, not about serving.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from blaxel_constructs import __version__
from blaxel_constructs.provider import plugin_server
from blaxel_constructs.provider.install import install_provider, os_arch
from blaxel_constructs.provider.main import launch
from blaxel_constructs.provider_package import launcher_script, package_files, package_hash, user_record


def _fake_python(path: Path) -> str:
    """An executable that stands for a venv's Python: it prints its own path and its arguments' count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('#!/bin/sh\necho "python $0 with $# arguments"\n')
    path.chmod(0o755)
    return str(path)


def _run(launcher: Path, home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], "HOME": str(home), **extra}
    return subprocess.run(
        [str(launcher), *args], env=env, capture_output=True, text=True, timeout=30, check=False, cwd=launcher.root
    )


def test_the_package_is_the_same_bytes_whichever_python_and_plugin_directory_it_is_installed_from(
    tmp_path: Path,
) -> None:
    first = install_provider(tmp_path / "a" / "plugins", python="/opt/a/bin/python", user_config=tmp_path / "ca")
    second = install_provider(tmp_path / "b" / "p", python="/home/b/.venv/bin/python3", user_config=tmp_path / "cb")

    assert first.read_bytes() == second.read_bytes() == launcher_script(__version__).encode()
    assert {p.name: p.read_bytes() for p in first.parent.iterdir()} == package_files(__version__)
    assert os.access(first, os.X_OK)
    assert first.name == f"terraform-provider-blaxel_v{__version__}"
    assert str(tmp_path) not in first.read_text()


def test_the_interpreter_is_recorded_beside_the_package_directory_and_for_the_user(tmp_path: Path) -> None:
    executable = install_provider(tmp_path / "plugins", python="/opt/a/bin/python", user_config=tmp_path / "config")

    beside = executable.parent.parent / f"{os_arch()}.python"
    assert beside.read_text() == "/opt/a/bin/python\n"
    assert user_record(__version__, tmp_path / "config").read_text() == "/opt/a/bin/python\n"


def test_installing_again_leaves_the_launcher_alone_in_the_package_directory(tmp_path: Path) -> None:
    executable = install_provider(tmp_path / "plugins", python="/opt/a/bin/python", user_config=tmp_path / "c")
    (executable.parent / "terraform-provider-blaxel_v0.1.tmp").write_text("left by an interrupted install")

    install_provider(tmp_path / "plugins", python="/opt/b/bin/python", user_config=tmp_path / "c")

    assert [p.name for p in executable.parent.iterdir()] == [executable.name]


def test_the_hash_is_the_go_dirhash_of_the_one_launcher_file() -> None:
    # Go's dirhash.Hash1: the SHA-256 of "<file sha256 hex>  <relative path>\n" lines, in base64.
    digest = hashlib.sha256(launcher_script(__version__).encode()).hexdigest()
    line = f"{digest}  terraform-provider-blaxel_v{__version__}\n"
    expected = "h1:" + base64.b64encode(hashlib.sha256(line.encode()).digest()).decode()

    assert package_hash(__version__) == expected
    assert package_hash("9.9.9") != expected


def test_the_launcher_runs_the_python_recorded_beside_its_physical_directory_through_a_symlink(
    tmp_path: Path,
) -> None:
    python = _fake_python(tmp_path / "venv" / "bin" / "python")
    executable = install_provider(tmp_path / "plugins", python=python, user_config=tmp_path / "config")
    linked = tmp_path / "work" / ".terraform" / "providers" / os_arch()  # what terraform init makes
    linked.parent.mkdir(parents=True)
    linked.symlink_to(executable.parent)
    home = tmp_path / "other-home"
    home.mkdir()

    result = _run(linked / executable.name, home, "one", "two")

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"python {python} with 5 arguments\n"  # -P -c <bootstrap>, then Terraform's arguments


def test_a_copied_package_directory_falls_back_to_the_per_user_record(tmp_path: Path) -> None:
    python = _fake_python(tmp_path / "venv" / "bin" / "python")
    home = tmp_path / "home"
    executable = install_provider(tmp_path / "plugins", python=python, user_config=home / ".config")
    copied = tmp_path / "work" / os_arch()
    shutil.copytree(executable.parent, copied)

    result = _run(copied / executable.name, home)

    assert result.stdout == f"python {python} with 3 arguments\n"


def test_blaxel_provider_python_wins_over_every_record(tmp_path: Path) -> None:
    recorded = _fake_python(tmp_path / "a" / "python")
    chosen = _fake_python(tmp_path / "b" / "python")
    executable = install_provider(tmp_path / "plugins", python=recorded, user_config=tmp_path / "config")

    result = _run(executable, tmp_path, BLAXEL_PROVIDER_PYTHON=chosen)

    assert result.stdout == f"python {chosen} with 3 arguments\n"


def test_when_the_recorded_python_is_gone_the_launcher_says_so_on_one_stdout_line_and_exits_1(
    tmp_path: Path,
) -> None:
    gone = tmp_path / "deleted-venv" / "bin" / "python"
    executable = install_provider(tmp_path / "plugins", python=str(gone), user_config=tmp_path / "config")

    result = _run(executable, tmp_path)

    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert f"the Python it was installed from, {gone}" in line
    assert 'Run "blaxel-constructs install-provider" from the virtual environment' in line


def test_without_any_record_the_launcher_names_where_it_looked(tmp_path: Path) -> None:
    executable = install_provider(tmp_path / "plugins", python="/x/python", user_config=tmp_path / "config")
    (executable.parent.parent / f"{os_arch()}.python").unlink()

    result = _run(executable, tmp_path / "home")

    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert "no record of the Python it was installed from" in line
    assert str(tmp_path / "home" / ".config" / "blaxel-constructs") in line


@pytest.mark.parametrize("flag", ["--version", "-version"])
def test_the_launcher_prints_its_version_without_any_python(tmp_path: Path, flag: str) -> None:
    executable = install_provider(tmp_path / "plugins", python="/no/such/python", user_config=tmp_path / "c")

    result = _run(executable, tmp_path, flag)

    assert (result.returncode, result.stdout) == (0, f"terraform-provider-blaxel {__version__}\n")


def test_a_launcher_of_another_version_refuses_to_serve_this_version_and_says_what_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        launch("0.0.9")

    assert stopped.value.code == 1
    line = capsys.readouterr().out.strip()
    assert line.startswith("terraform-provider-blaxel 0.0.9 cannot start: ")
    assert f"now has blaxel-constructs {__version__}" in line
    assert "blaxel-constructs install-provider" in line


def test_installing_byte_compiles_the_package_even_where_imports_write_no_bytecode(tmp_path: Path) -> None:
    compiled = Path(importlib.util.cache_from_source(plugin_server.__file__))
    compiled.unlink(missing_ok=True)

    install_provider(tmp_path / "plugins", user_config=tmp_path / "config")

    assert compiled.is_file()
    assert compiled.stat().st_mtime >= Path(plugin_server.__file__).stat().st_mtime
