"""Benchmarks 3 and 5: ``terraform apply`` of 100 endpoints, and the API calls each one cost.

Two Terraform working directories with the same graph, 100 independent resources, applied with
Terraform's default parallelism (10):

- this project: 100 ``blaxel_model`` resources against an emulator process whose deployments take
  ``DEPLOY_SECONDS`` (2 s), through this checkout's provider, installed privately (``ProviderInstall``);
- the anchor: 100 ``terraform_data`` resources whose ``local-exec`` provisioner sleeps the same 2 s: the
  same work with no API and no provider cost (``terraform_data`` is built into Terraform).

Then a refresh-only plan over the 100 endpoints, and a destroy. ``terraform init`` is not timed. The
emulator's ``/_emulator/stats`` are reset before the apply and read after the destroy: how many creates,
GETs, PUTs and DELETEs each endpoint cost over apply, refresh and destroy, and whether any request was
sent twice (no faults are injected, so nothing should be retried).

While Terraform runs, a thread samples the peak resident memory (``VmHWM``) of every provider process it
starts (recognised by the private ``HOME`` of this benchmark), for the start-up benchmark's memory target
under real load.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks.report import Row, ratio
from blaxel_constructs.emulator.process import EmulatorProcess
from blaxel_constructs.testing import ProviderInstall, Workdir, base_env, hcl_header

__all__ = ["DEPLOY_SECONDS", "ENDPOINTS", "run"]

ENDPOINTS = 100
DEPLOY_SECONDS = 2.0
APPLY_RATIO = 1.5
REFRESH_SECONDS = 10.0
MEMORY_MB = 80.0
_TIMEOUT = 600

_BLAXEL_HEADER = hcl_header()
_BLAXEL_RESOURCE = """
resource "blaxel_model" "m%(i)03d" {
  name    = "bench-%(i)03d"
  runtime = { type = "openai", model = "gpt-4.1" }
}
"""
_ANCHOR_RESOURCE = """
resource "terraform_data" "m%(i)03d" {
  input = "bench-%(i)03d"
  provisioner "local-exec" {
    command = "sleep %(seconds)g"
  }
}
"""


class _ProviderMemory:
    """Samples ``VmHWM`` (peak RSS) of the provider processes whose environment holds ``HOME=<home>``."""

    def __init__(self, home: Path, interval: float = 0.05) -> None:
        self._marker = f"HOME={home}".encode()
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_kb: dict[int, int] = {}

    def __enter__(self) -> _ProviderMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            for proc in Path("/proc").iterdir():
                if proc.name.isdigit():
                    self._sample(proc)

    def _sample(self, proc: Path) -> None:
        try:
            if b"blaxel_constructs.provider.main" not in (proc / "cmdline").read_bytes():
                return
            if self._marker not in (proc / "environ").read_bytes().split(b"\0"):
                return
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    kb = int(line.split()[1])
                    self.peak_kb[int(proc.name)] = max(kb, self.peak_kb.get(int(proc.name), 0))
        except (OSError, ValueError):
            return  # the process ended meanwhile, or is not ours to read

    @property
    def peak_mb(self) -> float:
        return max(self.peak_kb.values(), default=0) / 1024


def _timed(workdir: Workdir, *args: str) -> float:
    started = time.perf_counter()
    workdir.terraform(*args, "-no-color", "-input=false", timeout=_TIMEOUT)
    return time.perf_counter() - started


def _compact(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The stats without the per-name maps of creates and deletes (100 lines each): their totals and maximum."""
    compact = dict(stats)
    for key in ("models_created", "models_deleted"):
        counts: Mapping[str, int] = stats[key]
        compact[key] = {
            "models": len(counts),
            "total": sum(counts.values()),
            "most_for_one_name": max(counts.values(), default=0),
        }
    return compact


def _per_endpoint(stats: Mapping[str, Any], method: str) -> float:
    requests: Mapping[str, int] = stats["requests"]
    return sum(n for key, n in requests.items() if key.startswith(f"{method} /v0/models")) / ENDPOINTS


def run(count: int = ENDPOINTS) -> tuple[list[Row], dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-apply-") as tmp:
        root = Path(tmp)
        install = ProviderInstall.create(root / "provider")
        home = root / "home"
        home.mkdir()
        with EmulatorProcess(root / "emulator.db", deploy_seconds=DEPLOY_SECONDS) as emulator:
            env = base_env(
                install,
                home=home,
                extra=emulator.client_env(),
            )
            ours = Workdir(root / "blaxel", env)
            ours.path.mkdir()
            ours.write("main.tf", _BLAXEL_HEADER + "".join(_BLAXEL_RESOURCE % {"i": i} for i in range(count)))
            anchor = Workdir(root / "anchor", env)
            anchor.path.mkdir()
            anchor.write(
                "main.tf", "".join(_ANCHOR_RESOURCE % {"i": i, "seconds": DEPLOY_SECONDS} for i in range(count))
            )
            ours.init()
            anchor.init()

            anchor_apply = _timed(anchor, "apply", "-auto-approve")
            emulator.reset_stats()
            with _ProviderMemory(home) as memory:
                ours_apply = _timed(ours, "apply", "-auto-approve")
                after_apply = emulator.stats()
                refresh = _timed(ours, "plan", "-refresh-only")
                destroy = _timed(ours, "destroy", "-auto-approve")
            stats = emulator.stats()

    apply_ratio = ratio(ours_apply, anchor_apply)
    creates = sum(stats["models_created"].values()) / count
    deletes = sum(stats["models_deleted"].values()) / count
    posts = _per_endpoint(stats, "POST")
    delete_requests = _per_endpoint(stats, "DELETE")
    puts = _per_endpoint(stats, "PUT")
    gets = _per_endpoint(stats, "GET")
    failures = {code: n for code, n in stats["statuses"].items() if not code.startswith("2") and code != "404"}
    retried = posts != creates or delete_requests != deletes or bool(failures) or stats["faults"]["injected"] > 0
    rows = [
        Row(
            "3 apply at scale",
            f"terraform apply, {count} endpoints ({DEPLOY_SECONDS:g} s deploys): wall time",
            ours_apply,
            "s",
            f"<= {APPLY_RATIO}x terraform_data",
            apply_ratio is not None and apply_ratio <= APPLY_RATIO,
            anchor=anchor_apply,
            anchor_name=f"{count} terraform_data + local-exec sleep {DEPLOY_SECONDS:g}",
            ratio=apply_ratio,
            digits=1,
        ),
        Row(
            "3 apply at scale",
            f"terraform plan -refresh-only over {count}: wall time",
            refresh,
            "s",
            f"< {REFRESH_SECONDS:g} s",
            refresh < REFRESH_SECONDS,
            digits=1,
        ),
        Row(
            "3 apply at scale",
            f"terraform destroy, {count} endpoints: wall time",
            destroy,
            "s",
            "for scale",
            None,
            digits=1,
        ),
        Row(
            "4 provider start-up",
            f"provider peak memory serving apply/refresh/destroy of {count}",
            memory.peak_mb,
            "MB",
            f"< {MEMORY_MB:g} MB",
            0 < memory.peak_mb < MEMORY_MB,
            digits=1,
        ),
        Row("5 API calls", "creates per endpoint (apply)", creates, "", "= 1", creates == 1, digits=2),
        Row("5 API calls", "deletes per endpoint (destroy)", deletes, "", "= 1", deletes == 1, digits=2),
        Row(
            "5 API calls",
            "POSTs / PUTs / DELETEs per endpoint",
            f"{posts:g} / {puts:g} / {delete_requests:g}",
            "",
            "1 / 0 / 1, no retries",
            not retried and puts == 0,
        ),
        Row(
            "5 API calls",
            "GETs per endpoint (apply + refresh + destroy)",
            gets,
            "",
            "for scale",
            None,
            anchor=_per_endpoint(after_apply, "GET"),
            anchor_name="of which during apply",
            digits=2,
        ),
    ]
    details = {
        "endpoints": count,
        "deploy_seconds": DEPLOY_SECONDS,
        "apply_seconds": round(ours_apply, 2),
        "anchor_apply_seconds": round(anchor_apply, 2),
        "refresh_only_plan_seconds": round(refresh, 2),
        "destroy_seconds": round(destroy, 2),
        "stats_after_apply": _compact(after_apply),
        "stats_after_destroy": _compact(stats),
        "unexpected_statuses": failures,
        "provider_processes_sampled": len(memory.peak_kb),
        "provider_peak_mb_by_process": sorted(round(kb / 1024, 1) for kb in memory.peak_kb.values()),
    }
    return rows, details
