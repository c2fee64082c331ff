"""Synthesis writes each stack's ``.terraform.lock.hcl`` entry for the provider, merged with what is there.

Run on both frameworks (cdktf in ``.venv``, cdktn in ``.venv-cdktn``). That ``terraform init`` accepts the
entry and leaves the file as it is, is checked end to end (``tests/e2e/test_provider_lock.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from blaxel_constructs import BlaxelProvider, __version__
from blaxel_constructs.constructs.provider_lock import LOCK_FILE, lock_entry, merged_lock_file
from blaxel_constructs.provider_package import package_hash
from tests.support.cdk import App, TerraformStack

from .conftest import Synth

HEADER = '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n'
RANDOM = """provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.3"
  constraints = "~> 3.6"
  hashes = [
    "h1:zG9uFP8l9u+yGZZvi5Te7PV62j50azpgwPunq2vTm1E=",
    "zh:04ceb65210251339f07cd4611885d242cd4d0c7306e86dda9785396807c00451",
  ]
}
"""
AWS = RANDOM.replace("hashicorp/random", "hashicorp/aws").replace("3.6.3", "5.0.0")


def _stack_dir(outdir: Path, name: str) -> Path:
    return outdir / "stacks" / name


def test_synthesizing_an_app_writes_the_provider_entry_beside_each_stacks_terraform_json(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path / "out"))
    for name in ("dev", "prod"):
        BlaxelProvider(TerraformStack(app, name), "blaxel")

    app.synth()

    for name in ("dev", "prod"):
        directory = _stack_dir(tmp_path / "out", name)
        assert (directory / "cdk.tf.json").is_file()
        assert (directory / LOCK_FILE).read_text() == f"{HEADER}\n{lock_entry()}"


def test_the_entry_pins_this_version_and_the_packages_hash() -> None:
    entry = lock_entry()

    assert entry.startswith('provider "registry.terraform.io/blaxel-constructs/blaxel" {\n')
    assert f'  version     = "{__version__}"\n  constraints = "{__version__}"\n' in entry
    assert f'    "{package_hash(__version__)}",\n' in entry


def test_a_stack_with_aliased_providers_is_wrapped_once_and_writes_one_entry(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path / "out"))
    stack = TerraformStack(app, "multi")
    BlaxelProvider(stack, "blaxel")
    wrapped = stack.synthesizer
    BlaxelProvider(stack, "shared", alias="shared")

    app.synth()

    assert stack.synthesizer is wrapped

    assert (_stack_dir(tmp_path / "out", "multi") / LOCK_FILE).read_text().count("provider ") == 1


def test_other_providers_entries_are_kept_and_every_block_is_sorted_by_address() -> None:
    existing = f"{HEADER}\n{RANDOM}\n{AWS}"

    merged = merged_lock_file(existing)

    assert merged == f"{HEADER}\n{lock_entry()}\n{AWS}\n{RANDOM}"


def test_a_file_that_already_holds_the_entry_is_left_as_it_is() -> None:
    with_more_hashes = lock_entry().replace("  ]\n", '    "zh:0123",\n  ]\n')

    assert merged_lock_file(f"{HEADER}\n{lock_entry()}") is None
    assert merged_lock_file(f"{HEADER}\n{with_more_hashes}\n{RANDOM}") is None


def test_an_entry_for_another_version_is_replaced(tmp_path: Path) -> None:
    old = lock_entry("0.0.1")

    merged = merged_lock_file(f"{HEADER}\n{old}\n{RANDOM}")

    assert merged == f"{HEADER}\n{lock_entry()}\n{RANDOM}"
    assert "0.0.1" not in (merged or "")


def test_synthesis_merges_into_the_lock_file_terraform_init_left(tmp_path: Path) -> None:
    directory = _stack_dir(tmp_path / "out", "app")
    directory.mkdir(parents=True)
    (directory / LOCK_FILE).write_text(f"{HEADER}\n{RANDOM}")
    app = App(outdir=str(tmp_path / "out"))
    BlaxelProvider(TerraformStack(app, "app"), "blaxel")

    app.synth()

    assert (directory / LOCK_FILE).read_text() == f"{HEADER}\n{lock_entry()}\n{RANDOM}"


def test_testing_synth_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app: App, synth: Synth) -> None:
    monkeypatch.chdir(tmp_path)
    stack = TerraformStack(app, "quiet")
    BlaxelProvider(stack, "blaxel")

    synth(stack)

    assert not list(tmp_path.rglob(LOCK_FILE))
