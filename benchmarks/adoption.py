"""Benchmark 7: ``blaxel-constructs import`` of a workspace of 1,000 models, and the first plan of what it wrote.

A workspace of 1,000 models is made the way another tool would make it: raw HTTP POSTs to the emulator (several
at once; deployments take no time), never through this project's client. Then:

- generation: ``blaxel-constructs import --format hcl --out DIR`` run as a user runs it, a new process each time
  (start-up, the paginated list, writing ``main.tf`` and ``imports.tf``), wall time; the target is under 10 s;
- the first plan: ``terraform plan`` of the generated directory, 1,000 ``import`` blocks (``init`` is not timed),
  against its anchor, ``terraform plan -refresh-only`` of the same 1,000 once ``apply`` has imported them: the
  same provider reading the same objects, with them already in state. The target is at most 2x the anchor.

Everything runs on the API version with cursor pagination (``BL_API_VERSION``, ``rules.PAGINATED_SINCE``): the
workspace is read in pages, as the real API serves a large one. Plans are measured in alternating pairs (import
plan, then refresh-only plan, on the same machine state) and the medians are reported; neither changes anything,
so each pair sees the same workspace and the same state. Nothing here writes to the API after the seeding: the
emulator's stats are checked, and a write is reported as a note.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import requests

from benchmarks.report import Row, ratio
from blaxel_constructs.document import rules
from blaxel_constructs.emulator.process import EmulatorProcess
from blaxel_constructs.testing import ProviderInstall, Workdir, base_env

__all__ = ["GENERATE_TARGET", "PLAN_TARGET", "SIZE", "run"]

SIZE: Final = 1000
#: Generations timed (each a new process) and (import plan, refresh-only plan) pairs; medians are reported.
RUNS: Final = 3
QUICK_RUNS: Final = 1
GENERATE_TARGET: Final = 10.0
PLAN_TARGET: Final = 2.0
BENCHMARK: Final = "7 import"
_SEED_THREADS: Final = 4
_TIMEOUT: Final = 900
_WRITES: Final = ("POST", "PUT", "DELETE")
_SUMMARY: Final = re.compile(r"Plan: [^\n]*|No changes\.")
_IMPORT_BLOCK: Final = re.compile(r"^import\s*\{", re.MULTILINE)


def _model(index: int) -> dict[str, Any]:
    """A model as ``bl apply`` would send it: varied runtimes, every tenth disabled, some labelled."""
    runtimes = (("openai", "gpt-4.1"), ("anthropic", "claude-3-5-haiku"), ("mistral", "mistral-small"))
    kind, model = runtimes[index % len(runtimes)]
    spec: dict[str, Any] = {"runtime": {"type": kind, "model": model}}
    if index % 10 == 0:
        spec["enabled"] = False
    metadata: dict[str, Any] = {"name": f"adopt-{index:04d}"}
    if index % 4 == 0:
        metadata["labels"] = {"team": f"team-{index % 7}"}
    return {"metadata": metadata, "spec": spec}


def _seed(emulator: EmulatorProcess, size: int) -> float:
    """POST ``size`` models by raw HTTP, a few at once; the seconds it took."""
    began = time.monotonic()
    url = f"{emulator.base_url}/models"

    def post(indexes: range) -> None:
        with requests.Session() as session:
            session.headers.update(emulator.headers())
            for index in indexes:
                session.post(url, json=_model(index), timeout=30).raise_for_status()

    with ThreadPoolExecutor(_SEED_THREADS) as pool:
        chunks = [range(start, size, _SEED_THREADS) for start in range(_SEED_THREADS)]
        list(pool.map(post, chunks))
    return time.monotonic() - began


def _generate(out: Path, env: Mapping[str, str], *extra: str) -> float:
    """Run the import command once (a new process) into ``out``; its wall time."""
    command = [sys.executable, "-m", "blaxel_constructs.cli", "import", "--format", "hcl", "--out", str(out), *extra]
    began = time.monotonic()
    completed = subprocess.run(
        command, cwd=out.parent, env=dict(env), capture_output=True, text=True, timeout=_TIMEOUT, check=False
    )
    seconds = time.monotonic() - began
    if completed.returncode != 0:
        raise RuntimeError(f"import exited {completed.returncode}:\n{completed.stdout}\n{completed.stderr}")
    return seconds


def _timed(action: Any, *args: str) -> float:
    began = time.monotonic()
    action(*args)
    return time.monotonic() - began


def _plan(workdir: Workdir, *args: str) -> tuple[float, str]:
    """``terraform plan *args``: its wall time and its summary line ("Plan: ..." or "No changes.")."""
    began = time.monotonic()
    result = workdir.plan(*args)
    seconds = time.monotonic() - began
    found = _SUMMARY.search(result.stdout)
    return seconds, found.group(0) if found else "(no summary)"


def _writes(emulator: EmulatorProcess) -> dict[str, int]:
    return {
        request: count
        for request, count in emulator.stats()["requests"].items()
        if request.split(" ", 1)[0] in _WRITES and "/oauth/" not in request
    }


def run(size: int = SIZE, runs: int = RUNS, quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    """Seed ``size`` models, time their generation ``runs`` times, then ``runs`` pairs of plans (module docstring)."""
    runs = QUICK_RUNS if quick else runs
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        root = Path(tmp)
        install = ProviderInstall.create(root / "provider")
        (root / "home").mkdir()
        with EmulatorProcess(root / "emulator.db", deploy_seconds=0.0) as emulator:
            env = base_env(install, home=root / "home", extra=emulator.client_env())
            env["BL_API_VERSION"] = rules.PAGINATED_SINCE
            seed_seconds = _seed(emulator, size)
            print(f"  seeded {size:,} models by raw HTTP in {seed_seconds:.1f} s", flush=True)
            emulator.reset_stats()
            out = root / "adopted"
            generate = [_generate(out, env, *(["--force"] if index else [])) for index in range(runs)]
            print(f"  generation: {', '.join(f'{s:.2f} s' for s in generate)}", flush=True)
            imports = len(_IMPORT_BLOCK.findall((out / "imports.tf").read_text()))
            workdir = Workdir(out, env)
            workdir.init()
            applied = Workdir(root / "adopted-state", env)
            shutil.copytree(out, applied.path, symlinks=True)
            apply_seconds = _timed(applied.apply)
            import_plans: list[float] = []
            refresh_plans: list[float] = []
            summaries: set[str] = set()
            for index in range(runs):
                seconds, summary = _plan(workdir)
                import_plans.append(seconds)
                summaries.add(summary)
                seconds, summary = _plan(applied, "-refresh-only")
                refresh_plans.append(seconds)
                summaries.add(summary)
                print(
                    f"  pair {index + 1}: import plan {import_plans[-1]:.2f} s, "
                    f"refresh-only plan {refresh_plans[-1]:.2f} s",
                    flush=True,
                )
            writes = _writes(emulator)
    generated = statistics.median(generate)
    import_plan, refresh_plan = statistics.median(import_plans), statistics.median(refresh_plans)
    plan_ratio = ratio(import_plan, refresh_plan)
    notes = []
    if writes:
        notes.append(f"Import: adoption wrote to the API: {writes}.")
    expected = {f"Plan: {size} to import, 0 to add, 0 to change, 0 to destroy.", "No changes."}
    if summaries != expected:
        notes.append(f"Import: the plans said {sorted(summaries)}, expected {sorted(expected)}.")
    if imports != size:
        notes.append(f"Import: the generated imports.tf holds {imports:,} import blocks, not {size:,}.")
    rows = [
        Row(
            benchmark=BENCHMARK,
            metric=f"blaxel-constructs import --format hcl of {size:,} models: wall time (a new process)",
            ours=generated,
            unit="s",
            target=f"< {GENERATE_TARGET:g} s",
            met=generated < GENERATE_TARGET and imports == size,
            size=size,
            notes=notes,
        ),
        Row(
            benchmark=BENCHMARK,
            metric=f"first terraform plan of the generated code ({size:,} imports): wall time",
            ours=import_plan,
            unit="s",
            target=f"<= {PLAN_TARGET:g}x refresh-only plan",
            met=plan_ratio is not None and plan_ratio <= PLAN_TARGET and not writes and summaries == expected,
            anchor=refresh_plan,
            anchor_name=f"plan -refresh-only of the same {size:,} in state",
            ratio=plan_ratio,
            size=size,
        ),
    ]
    detail = {
        "size": size,
        "runs": runs,
        "seed_seconds": seed_seconds,
        "generate_seconds": generate,
        "import_plan_seconds": import_plans,
        "refresh_only_plan_seconds": refresh_plans,
        "apply_import_seconds": apply_seconds,
        "import_blocks": imports,
        "plan_summaries": sorted(summaries),
        "api_writes": writes,
    }
    return rows, detail
