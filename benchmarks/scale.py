"""Benchmarks 3 and 5: how apply, refresh and destroy grow with the stack, and the API calls each endpoint cost.

At each size (10, 100 and 1,000 endpoints; ``--quick``: up to 100), two Terraform working directories
with the same graph of independent resources, run with Terraform's default parallelism (10):

- this project: ``blaxel_model`` resources against an emulator process whose deployments take
  ``deploy`` seconds and deletions ``delete`` seconds, through this checkout's provider, installed
  privately (``ProviderInstall``);
- the anchor: ``terraform_data`` resources whose create-time ``local-exec`` sleeps the deployment time and
  whose destroy-time ``local-exec`` sleeps the deletion time: the same waits with no API and no provider
  (``terraform_data`` is built into Terraform).

Each side runs ``apply``, ``plan -refresh-only`` and ``destroy``, one after the other (``init`` is not
timed). 1,000 endpoints deploy in 0.2 s and delete in 0.1 s to keep the run short; smaller stacks take
2 s and 1 s. The emulator's ``/_emulator/stats`` are reset before our apply and read after our destroy:
creates, deletes, GETs and PUTs per endpoint, and whether any request was sent twice (no faults are
injected, so nothing should be retried). A thread samples the peak resident memory (``VmHWM``) of every
provider process Terraform starts (recognised by this benchmark's private ``HOME``).

Our apply runs with ``TF_LOG_PROVIDER=DEBUG``: the provider's own ``timing`` lines (one per launch and
one per operation) reach Terraform's log, and Terraform's core log stays off (at 1,000 resources its debug
log would itself slow the apply). ``breakdown`` splits our extra time at the largest size with them.

At the largest size a third directory measures Terraform itself: ``terraform_data`` resources with the
same sleeps whose state is as large as ours (an ``input`` object padded so that each resource takes as
many bytes of state as one ``blaxel_model``, calibrated on one resource first). Terraform writes the
whole state after every resource it applies or destroys, so its own cost per resource grows with the
state's size; that anchor shows how much of our extra time is Terraform's, with no provider at all.

The rows are for the load of the machine the run had: on a busy machine forking 1,000 ``sleep``
processes slows the anchor as much as anything slows the provider.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import breakdown
from benchmarks.report import Row, ratio
from blaxel_constructs.emulator.process import EmulatorProcess
from blaxel_constructs.testing import ProviderInstall, Workdir, base_env, hcl_header

__all__ = ["QUICK_SIZES", "SIZES", "WORKLOADS", "run"]

SIZES = (10, 100, 1000)
QUICK_SIZES = (10, 100)
#: Deployment and deletion seconds per size: short ones at 1,000 keep the whole run within minutes.
WORKLOADS: Mapping[int, tuple[float, float]] = {10: (2.0, 1.0), 100: (2.0, 1.0), 1000: (0.2, 0.1)}
APPLY_RATIO = 1.3
REFRESH_RATIO = 2.0
DESTROY_RATIO = 1.3
MEMORY_MB = 100.0
#: The largest size from this one on also measures terraform_data with a state as large as ours.
SIZED_ANCHOR_FROM = 1000
#: From 100 to 1,000 endpoints no row may grow more than this (linear growth would be 10x).
GROWTH = 12.0
_TIMEOUT = 900
BENCHMARK = "3 scale"

_BLAXEL_RESOURCE = """
resource "blaxel_model" "m%(i)04d" {
  name    = "bench-%(i)04d"
  runtime = { type = "openai", model = "gpt-4.1" }
}
"""
_ANCHOR_RESOURCE = """
resource "terraform_data" "m%(i)04d" {
  input = "bench-%(i)04d"
  provisioner "local-exec" {
    command = "sleep %(deploy)g"
  }
  provisioner "local-exec" {
    when    = destroy
    command = "sleep %(delete)g"
  }
}
"""


def _sized_anchor_resource(i: int, deploy: float, delete: float, entries: int, padding: int) -> str:
    """A ``terraform_data`` with the same sleeps whose state per resource is about as large as a model's.

    Its ``input`` (stored twice in the state: as ``input`` and as ``output``, each with its type) is an
    object of ``entries`` short strings and one of ``padding`` characters.
    """
    values = [f'a{k:02d} = "bench-{i:04d}"' for k in range(entries)]
    values.append(f'pad = "{"x" * max(0, padding)}"')
    return (
        f'resource "terraform_data" "m{i:04d}" {{\n  input = {{ {", ".join(values)} }}\n'
        f'  provisioner "local-exec" {{\n    command = "sleep {deploy:g}"\n  }}\n'
        f'  provisioner "local-exec" {{\n    when    = destroy\n    command = "sleep {delete:g}"\n  }}\n}}\n'
    )


def _state_bytes_per_resource(workdir: Workdir, size: int) -> float:
    """Bytes of state per resource: the state file's size over the number of resources."""
    return (workdir.path / "terraform.tfstate").stat().st_size / max(1, size)


def _first_entry(workdir: Workdir) -> tuple[int, int]:
    """The first resource's entry in the local state file: its bytes as Terraform writes them (two-space
    indents, each line four spaces in: the entry sits in the top-level object's ``resources`` list), and
    how many attributes it holds. The file, not ``terraform show -json``'s view of it."""
    state = json.loads((workdir.path / "terraform.tfstate").read_text())
    for resource in state.get("resources", []):
        text = json.dumps(resource, indent=2)
        instances = resource.get("instances") or [{}]
        return len(text) + 4 * (text.count("\n") + 1), len(instances[0].get("attributes", {}))
    return 0, 0


class _ProviderMemory:
    """Samples ``VmHWM`` (peak RSS) of the provider processes whose environment holds ``HOME=<home>``.

    Cheap enough not to disturb what it measures on two cores: a provider is recognised once (command line
    and environment), and only its ``status`` is read at each sample; any other process is looked at again
    only after ``_RECHECK`` seconds, since one seen between its fork and its ``exec`` (Terraform starting
    the wrapper, the wrapper ``exec``-ing Python) does not look like a provider yet.
    """

    _RECHECK = 0.5

    def __init__(self, home: Path, interval: float = 0.05) -> None:
        self._marker = f"HOME={home}".encode()
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        #: pid -> True for a provider, else when it was last found not to be one (monotonic seconds).
        self._seen: dict[int, bool | float] = {}
        self.peak_kb: dict[int, int] = {}

    def __enter__(self) -> _ProviderMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            for name in os.listdir("/proc"):
                if not name.isdigit():
                    continue
                pid = int(name)
                known = self._seen.get(pid)
                if known is True:
                    self._sample(pid)
                elif known is None or time.monotonic() - known > self._RECHECK:
                    ours = self._is_provider(pid)
                    self._seen[pid] = True if ours else time.monotonic()
                    if ours:
                        self._sample(pid)

    def _is_provider(self, pid: int) -> bool:
        try:
            if b"blaxel_constructs.provider.main" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                return False
            return self._marker in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            return False  # gone already, or not ours to read

    def _sample(self, pid: int) -> None:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    kb = int(line.split()[1])
                    self.peak_kb[pid] = max(kb, self.peak_kb.get(pid, 0))
        except (OSError, ValueError):
            return  # the process ended meanwhile

    @property
    def peak_mb(self) -> float:
        return max(self.peak_kb.values(), default=0) / 1024


@dataclass
class SizeResult:
    """One size's wall times (seconds), both sides, and what our side cost."""

    size: int
    deploy: float
    delete: float
    ours: dict[str, float]
    anchor: dict[str, float]
    stats: dict[str, Any]
    peak_mb: float
    peaks_by_process: list[float]
    apply_log: list[str]
    #: At the largest size: terraform_data with a state as large as ours (seconds per phase), and the sizes.
    sized: dict[str, float] | None = None
    state_bytes: dict[str, float] | None = None


def _timed(workdir: Workdir, *args: str, log: Path | None = None) -> float:
    """Wall seconds of one terraform command; with ``log``, the provider's debug lines (only) go there."""
    if log is not None:
        workdir.env["TF_LOG_PROVIDER"], workdir.env["TF_LOG_PATH"] = "DEBUG", str(log)
    started = time.perf_counter()
    try:
        workdir.terraform(*args, "-no-color", "-input=false", timeout=_TIMEOUT)
    finally:
        workdir.env.pop("TF_LOG_PROVIDER", None)
        workdir.env.pop("TF_LOG_PATH", None)
    return time.perf_counter() - started


def _measure_sized_anchor(
    root: Path, env: dict[str, str], size: int, deploy: float, delete: float, ours_entry: int, attributes: int
) -> tuple[dict[str, float], float]:
    """Apply, refresh-only plan and destroy of ``terraform_data`` whose state is as large as ours.

    The padding is calibrated first: one such resource without padding is applied (no sleeps), and each
    character of padding adds two bytes (it is stored as ``input`` and as ``output``). Returns the seconds
    per phase and the sized anchor's state bytes per resource.
    """
    probe = Workdir(root / "sized-anchor-calibration", env)
    probe.path.mkdir()
    probe.init()
    # A quarter of our attribute count: each entry is stored four times (value and type, input and output).
    for entries in dict.fromkeys((max(1, attributes // 4), 1)):
        probe.write("main.tf", _sized_anchor_resource(0, 0, 0, entries, 0))
        probe.terraform("apply", "-auto-approve", "-no-color", "-input=false", timeout=_TIMEOUT)
        base, _ = _first_entry(probe)
        if base <= ours_entry:
            break
    padding = max(0, (ours_entry - base) // 2)
    sized = Workdir(root / "sized-anchor", env)
    sized.path.mkdir()
    sized.write("main.tf", "".join(_sized_anchor_resource(i, deploy, delete, entries, padding) for i in range(size)))
    sized.init()
    times = {"apply": _timed(sized, "apply", "-auto-approve")}
    sized_bytes = _state_bytes_per_resource(sized, size)
    times["refresh"] = _timed(sized, "plan", "-refresh-only")
    times["destroy"] = _timed(sized, "destroy", "-auto-approve")
    return times, sized_bytes


def measure(size: int, deploy: float, delete: float, *, sized_anchor: bool = False) -> SizeResult:
    """Apply, refresh-only plan and destroy of ``size`` endpoints, and of as many ``terraform_data``.

    With ``sized_anchor``, also of as many ``terraform_data`` whose state is as large as ours.
    """
    with tempfile.TemporaryDirectory(prefix=f"bench-scale-{size}-") as tmp:
        root = Path(tmp)
        install = ProviderInstall.create(root / "provider")
        home = root / "home"
        home.mkdir()
        with EmulatorProcess(root / "emulator.db", deploy_seconds=deploy) as emulator:
            emulator.configure(delete_seconds=delete)
            ours = Workdir(root / "blaxel", base_env(install, home=home, extra=emulator.client_env()))
            ours.path.mkdir()
            ours.write("main.tf", hcl_header() + "".join(_BLAXEL_RESOURCE % {"i": i} for i in range(size)))
            anchor = Workdir(root / "anchor", base_env(install, home=home))
            anchor.path.mkdir()
            anchor.write(
                "main.tf",
                "".join(_ANCHOR_RESOURCE % {"i": i, "deploy": deploy, "delete": delete} for i in range(size)),
            )
            ours.init()
            anchor.init()

            times: dict[str, dict[str, float]] = {"ours": {}, "anchor": {}}
            times["anchor"]["apply"] = _timed(anchor, "apply", "-auto-approve")
            state_bytes = {"anchor": _state_bytes_per_resource(anchor, size)}
            emulator.reset_stats()
            with _ProviderMemory(home) as memory:
                times["ours"]["apply"] = _timed(ours, "apply", "-auto-approve", log=root / "ours-apply.log")
                state_bytes["ours"] = _state_bytes_per_resource(ours, size)
                ours_entry, attributes = _first_entry(ours)
                times["anchor"]["refresh"] = _timed(anchor, "plan", "-refresh-only")
                times["ours"]["refresh"] = _timed(ours, "plan", "-refresh-only")
                times["anchor"]["destroy"] = _timed(anchor, "destroy", "-auto-approve")
                times["ours"]["destroy"] = _timed(ours, "destroy", "-auto-approve")
            stats = emulator.stats()
            apply_log = (root / "ours-apply.log").read_text(errors="replace").splitlines()
        sized = None
        if sized_anchor:
            env = base_env(install, home=home)
            sized, state_bytes["sized_anchor"] = _measure_sized_anchor(
                root, env, size, deploy, delete, ours_entry, attributes
            )
    return SizeResult(
        size,
        deploy,
        delete,
        times["ours"],
        times["anchor"],
        stats,
        memory.peak_mb,
        sorted(round(kb / 1024, 1) for kb in memory.peak_kb.values()),
        apply_log,
        sized,
        {k: round(v, 1) for k, v in state_bytes.items()},
    )


def _compact(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The stats without the per-name maps of creates and deletes (one line per model): totals and maximum."""
    compact = dict(stats)
    for key in ("models_created", "models_deleted"):
        counts: Mapping[str, int] = stats[key]
        compact[key] = {
            "models": len(counts),
            "total": sum(counts.values()),
            "most_for_one_name": max(counts.values(), default=0),
        }
    return compact


def _requests(stats: Mapping[str, Any], method: str, size: int) -> float:
    requests: Mapping[str, int] = stats["requests"]
    return sum(n for key, n in requests.items() if key.startswith(f"{method} /v0/models")) / size


_TARGETS = {"apply": APPLY_RATIO, "refresh": REFRESH_RATIO, "destroy": DESTROY_RATIO}
_LABELS = {"apply": "terraform apply", "refresh": "terraform plan -refresh-only", "destroy": "terraform destroy"}


def _wall_rows(result: SizeResult) -> list[Row]:
    rows = []
    for phase, target in _TARGETS.items():
        ours, anchor = result.ours[phase], result.anchor[phase]
        shown = ratio(ours, anchor)
        waits = f"{result.deploy:g} s deploys" if phase == "apply" else f"{result.delete:g} s deletes"
        what = f"{_LABELS[phase]}, {result.size:,} endpoints" + ("" if phase == "refresh" else f" ({waits})")
        rows.append(
            Row(
                BENCHMARK,
                f"{what}: wall time",
                ours,
                "s",
                f"<= {target:g}x terraform_data",
                shown is not None and shown <= target,
                anchor=anchor,
                anchor_name=f"{result.size:,} terraform_data",
                ratio=shown,
                digits=1,
                size=result.size,
            )
        )
    return rows


def _growth_rows(results: Sequence[SizeResult]) -> list[Row]:
    by_size = {result.size: result for result in results}
    if 100 not in by_size or 1000 not in by_size:
        return []
    small, large = by_size[100], by_size[1000]
    rows = []
    for phase in _TARGETS:
        growth = large.ours[phase] / small.ours[phase]
        rows.append(
            Row(
                BENCHMARK,
                f"{_LABELS[phase]}: growth from 100 to 1,000 endpoints",
                growth,
                "x",
                f"<= {GROWTH:g}x",
                growth <= GROWTH,
                anchor=large.anchor[phase] / small.anchor[phase],
                anchor_name="terraform_data",
                digits=2,
                size=1000,
            )
        )
    return rows


def _cost_rows(result: SizeResult) -> list[Row]:
    size, stats = result.size, result.stats
    creates = sum(stats["models_created"].values()) / size
    deletes = sum(stats["models_deleted"].values()) / size
    posts = _requests(stats, "POST", size)
    delete_requests = _requests(stats, "DELETE", size)
    puts = _requests(stats, "PUT", size)
    gets = _requests(stats, "GET", size)
    failures = {code: n for code, n in stats["statuses"].items() if not code.startswith("2") and code != "404"}
    retried = posts != creates or delete_requests != deletes or bool(failures) or stats["faults"]["injected"] > 0
    return [
        Row(
            "4 provider start-up",
            f"provider peak memory serving apply/refresh/destroy of {size:,}",
            result.peak_mb,
            "MB",
            f"< {MEMORY_MB:g} MB",
            0 < result.peak_mb < MEMORY_MB,
            digits=1,
            size=size,
        ),
        Row("5 API calls", f"creates per endpoint (apply of {size:,})", creates, "", "= 1", creates == 1, size=size),
        Row("5 API calls", f"deletes per endpoint (destroy of {size:,})", deletes, "", "= 1", deletes == 1, size=size),
        Row(
            "5 API calls",
            "POSTs / PUTs / DELETEs per endpoint",
            f"{posts:g} / {puts:g} / {delete_requests:g}",
            "",
            "1 / 0 / 1, no retries",
            not retried and puts == 0,
            size=size,
        ),
        Row(
            "5 API calls",
            "GETs per endpoint (apply + refresh + destroy)",
            gets,
            "",
            "for scale",
            None,
            digits=2,
            size=size,
        ),
    ]


def _breakdown_row(result: SizeResult) -> tuple[Row, dict[str, Any]]:
    facts = breakdown.parse_log(result.apply_log)
    split = breakdown.split(
        facts,
        ours=result.ours["apply"],
        anchor=result.anchor["apply"],
        sized_anchor=result.sized["apply"] if result.sized else None,
        operation_seconds=result.deploy,
    )
    row = Row(
        "6 where the time goes",
        f"apply of {result.size:,}: our extra time over terraform_data, largest part",
        split["largest"],
        "",
        "for scale",
        None,
        anchor=f"{split['extra_seconds']:.1f} s extra in all",
        size=result.size,
    )
    row.notes.append(
        f"Where the time goes (apply of {result.size:,}, {split['extra_seconds']:.1f} s over terraform_data): "
        + breakdown.describe(split)
        + f"; {split['launches']} provider launches, handshakes after "
        + ", ".join(f"{s:.2f}" for s in split["launch_seconds"])
        + " s."
    )
    return row, split


def _sized_anchor_rows(result: SizeResult) -> list[Row]:
    """Ours against ``terraform_data`` carrying a state as large as ours: what Terraform alone costs."""
    if result.sized is None or result.state_bytes is None:
        return []
    bytes_note = (
        f"state per resource: ours {result.state_bytes['ours']:,.0f} B, terraform_data "
        f"{result.state_bytes['anchor']:,.0f} B, sized terraform_data "
        f"{result.state_bytes.get('sized_anchor', 0):,.0f} B"
    )
    rows = []
    for phase in _TARGETS:
        rows.append(
            Row(
                BENCHMARK,
                f"{_LABELS[phase]}, {result.size:,}: against terraform_data with a state as large as ours",
                result.ours[phase],
                "s",
                "for scale (Terraform alone)",
                None,
                anchor=result.sized[phase],
                anchor_name=f"{result.size:,} sized terraform_data",
                ratio=ratio(result.ours[phase], result.sized[phase]),
                digits=1,
                size=result.size,
            )
        )
    rows[0].notes.append(
        f"Terraform alone, at {result.size:,}: terraform_data with the same sleeps and a state as large as ours "
        f"took {result.sized['apply']:.1f} s to apply, {result.sized['refresh']:.1f} s to refresh and "
        f"{result.sized['destroy']:.1f} s to destroy, against {result.anchor['apply']:.1f}, "
        f"{result.anchor['refresh']:.1f} and {result.anchor['destroy']:.1f} s with its small state ({bytes_note})."
    )
    return rows


def run(sizes: Sequence[int] = SIZES) -> tuple[list[Row], dict[str, Any]]:
    results = []
    for size in sizes:
        deploy, delete = WORKLOADS.get(size, WORKLOADS[max(WORKLOADS)])
        sized = size == max(sizes) and size >= SIZED_ANCHOR_FROM
        print(
            f"  {size:,} endpoints ({deploy:g} s deploys, {delete:g} s deletes"
            + (", and terraform_data with a state as large as ours" if sized else "")
            + ") ...",
            flush=True,
        )
        results.append(measure(size, deploy, delete, sized_anchor=sized))
    rows = [row for result in results for row in _wall_rows(result)]
    rows.extend(_growth_rows(results))
    largest = results[-1]
    rows.extend(_sized_anchor_rows(largest))
    rows.extend(_cost_rows(largest))
    where, split = _breakdown_row(largest)
    rows.append(where)
    for row in rows:
        if row.met is False and row.benchmark == BENCHMARK:
            row.notes.append(
                f"{row.metric}: missed; the where-the-time-goes note names the parts of our extra time "
                "(README 'Benchmarks' says what bounds each)."
            )
    details = {
        "parallelism": 10,
        "sizes": [
            {
                "size": result.size,
                "deploy_seconds": result.deploy,
                "delete_seconds": result.delete,
                "ours_seconds": {k: round(v, 2) for k, v in result.ours.items()},
                "anchor_seconds": {k: round(v, 2) for k, v in result.anchor.items()},
                "sized_anchor_seconds": (
                    {k: round(v, 2) for k, v in result.sized.items()} if result.sized is not None else None
                ),
                "state_bytes_per_resource": result.state_bytes,
                "provider_peak_mb": round(result.peak_mb, 1),
                "provider_peak_mb_by_process": result.peaks_by_process,
                "stats": _compact(result.stats),
            }
            for result in results
        ],
        "breakdown": {"size": largest.size, **split},
    }
    return rows, details
