"""``python -m benchmarks``: run every benchmark, print one table, write ``benchmarks/results.json``.

Options: ``--only startup,synth,waiting,environments,adoption,scale`` runs a subset; ``--quick`` measures the
scale curve up to 100 endpoints, synth at 1,000 only and one import pair (a few minutes, to check the harness);
``--update-readme`` also rewrites the generated part of the README's "Benchmarks" section (charts and table);
``--output PATH`` writes the JSON elsewhere, and the charts beside it. The benchmarks run one after the other,
fastest and most CPU-sensitive first, so that none disturbs another's timing.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks import plots
from benchmarks.report import REPO, Row, machine, machine_line, text_table, update_readme, write_results

BENCHMARKS = ("startup", "synth", "waiting", "environments", "adoption", "scale")
RESULTS = REPO / "benchmarks" / "results.json"


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=f"comma-separated subset of {BENCHMARKS}")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    parser.add_argument("--update-readme", action="store_true", help="rewrite the README's benchmark table")
    parser.add_argument("--quick", action="store_true", help="sizes up to 100, synth at 1,000 only")
    return parser.parse_args(argv)


def _options(name: str, *, quick: bool) -> dict[str, Any]:
    """Keyword arguments of one benchmark's ``run`` for a quick or a full run."""
    if not quick:
        return {}
    from benchmarks import scale, synth

    options: dict[str, dict[str, Any]] = {
        "scale": {"sizes": scale.QUICK_SIZES},
        "synth": {"sizes": synth.QUICK_SIZES, "quick": True},
        "environments": {"quick": True},
        "adoption": {"quick": True},
    }
    return options.get(name, {})


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)  # --output may name a directory not made yet
    info = machine()
    print(f"machine: {machine_line(info)}", flush=True)
    started = time.monotonic()
    rows: list[Row] = []
    details: dict[str, Any] = {}
    for name in BENCHMARKS:
        if name not in chosen:
            continue
        print(f"running {name} ...", flush=True)
        began = time.monotonic()
        module = importlib.import_module(f"benchmarks.{name}")
        run: Callable[..., tuple[list[Row], dict[str, Any]]] = module.run
        found, detail = run(**_options(name, quick=args.quick))
        detail["seconds"] = round(time.monotonic() - began, 1)
        rows.extend(found)
        details[name] = detail
        print(f"  done in {detail['seconds']:.0f} s", flush=True)
    total = time.monotonic() - started
    rows.sort(key=lambda row: row.benchmark)  # stable: by benchmark number, each in its own order
    charts = plots.draw(details, args.output.parent)
    notes = [note for row in rows for note in row.notes]

    print()
    print(text_table(rows))
    print()
    unmet = [row for row in rows if row.met is False]
    if unmet:
        print(f"{len(unmet)} target(s) not met: {'; '.join(row.metric for row in unmet)}.")
    else:
        print("Every target met.")
    for note in notes:
        print(f"- {note}")
    print(f"Total {total:.0f} s. Results written to {args.output}.")
    write_results(args.output, rows, info, details, total)
    for chart in charts:
        print(f"Chart written to {chart}.")
    if args.update_readme:
        update_readme(REPO / "README.md", rows, info, notes, charts)
        print("README.md benchmark table updated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
