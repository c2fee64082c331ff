"""The two charts of ``make bench``, drawn with matplotlib next to ``results.json``.

- ``scale.png``: wall time against endpoints (log-log), ours and ``terraform_data``, for apply,
  refresh-only plan and destroy (benchmark 3);
- ``waiting.png``: median overshoot against median GETs, for each waiting strategy and each range of
  deployment times (benchmark 2).

matplotlib is a benchmark dependency only (``requirements-bench.lock``, the ``bench`` extra), imported
here and nowhere else; without it (a benchmark run outside ``make bench``) no chart is drawn and the run
says so. Each chart is drawn only from what this run measured.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["SCALE_CHART", "WAITING_CHART", "draw"]

SCALE_CHART = "scale.png"
WAITING_CHART = "waiting.png"
_PHASES = (("apply", "apply"), ("refresh", "refresh-only plan"), ("destroy", "destroy"))
_MARKERS = {"this project": "o", "fixed 5 s": "s", "StateChangeConf": "^"}


def draw(details: Mapping[str, Any], directory: Path) -> list[Path]:
    """Draw the charts whose benchmarks ran; the paths written."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (make bench installs it): no charts drawn", file=sys.stderr)
        return []
    written = []
    if "scale" in details:
        written.append(_scale(plt, details["scale"], directory / SCALE_CHART))
    if "waiting" in details:
        written.append(_waiting(plt, details["waiting"], directory / WAITING_CHART))
    return written


def _scale(plt: Any, scale: Mapping[str, Any], path: Path) -> Path:
    from matplotlib import ticker

    sizes = [entry["size"] for entry in scale["sizes"]]
    figure, axes = plt.subplots(1, 3, figsize=(13, 4.2), sharex=True)
    for axis, (key, title) in zip(axes, _PHASES, strict=True):
        ours = [entry["ours_seconds"][key] for entry in scale["sizes"]]
        anchor = [entry["anchor_seconds"][key] for entry in scale["sizes"]]
        axis.plot(sizes, ours, marker="o", label="blaxel_model (this project)")
        axis.plot(sizes, anchor, marker="s", linestyle="--", label="terraform_data (anchor)")
        sized = [(e["size"], e["sized_anchor_seconds"][key]) for e in scale["sizes"] if e.get("sized_anchor_seconds")]
        if sized:
            axis.plot(
                [size for size, _ in sized],
                [seconds for _, seconds in sized],
                marker="D",
                linestyle="none",
                color="tab:green",
                label="terraform_data, state as large as ours (Terraform alone)",
            )
        axis.set_xscale("log")
        axis.set_yscale("log")
        for side in (axis.xaxis, axis.yaxis):
            side.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:,g}"))
            side.set_minor_formatter(ticker.NullFormatter())
        axis.set_title(title)
        axis.set_xlabel("endpoints")
        axis.grid(True, which="both", alpha=0.3)
        for size, seconds in zip(sizes, ours, strict=True):
            axis.annotate(f"{seconds:.1f} s", (size, seconds), textcoords="offset points", xytext=(4, 4), fontsize=8)
    axes[0].set_ylabel("wall time (s)")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8, frameon=False)
    workloads = ", ".join(
        f"{entry['size']:,}: {entry['deploy_seconds']:g} s deploys / {entry['delete_seconds']:g} s deletes"
        for entry in scale["sizes"]
    )
    figure.suptitle(f"Wall time against endpoints, parallelism {scale['parallelism']} ({workloads})", fontsize=10)
    figure.tight_layout(rect=(0, 0.06, 1, 1))  # room for the legend below the three charts
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _waiting(plt: Any, waiting: Mapping[str, Any], path: Path) -> Path:
    medians: Mapping[str, Mapping[str, Mapping[str, float]]] = waiting["medians"]
    figure, axis = plt.subplots(figsize=(7, 4.6))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, (label, strategies) in enumerate(medians.items()):
        for strategy, values in strategies.items():
            axis.scatter(
                values["median_gets"],
                values["median_overshoot_seconds"],
                marker=_MARKERS.get(strategy, "o"),
                color=colors[index % len(colors)],
                s=60,
                label=f"{strategy}, {label}",
            )
    axis.set_xlabel("median GETs per deployment")
    axis.set_ylabel("median overshoot (s)")
    axis.set_title(f"Waiting: lateness against GETs ({waiting['draws_per_range']} draws per range)", fontsize=10)
    axis.grid(True, alpha=0.3)
    axis.legend(fontsize=7, ncol=1, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
