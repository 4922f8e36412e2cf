"""Draw the threshold trade-off of each pipeline: OOS recall against in-scope accuracy.

Without out-of-scope test messages (BANKING77) there is no OOS recall, so the plot shows
in-scope accuracy and the rate of answerable messages handed off against the threshold.
Each pipeline's own threshold is marked.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

# Files only, no display: the benchmark runs headless.
matplotlib.use("Agg")
import matplotlib.pyplot as plt

Sweep = list[dict[str, float]]


def _at(sweep: Sweep, threshold: float) -> dict[str, float]:
    return min(sweep, key=lambda row: abs(row["threshold"] - threshold))


def tradeoff(curves: dict[str, tuple[Sweep, float]], path: Path, title: str) -> Path:
    """Writes a PNG with one curve per pipeline and a marker at its threshold."""
    has_oos = any(row["oos_recall"] is not None for sweep, _ in curves.values() for row in sweep)
    fig, ax = plt.subplots(figsize=(7, 5), dpi=110)
    for name, (sweep, threshold) in curves.items():
        mark = _at(sweep, threshold)
        if has_oos:
            (line,) = ax.plot(
                [100 * r["in_scope_accuracy"] for r in sweep],
                [100 * r["oos_recall"] for r in sweep],
                label=name,
            )
            ax.plot(
                100 * mark["in_scope_accuracy"],
                100 * mark["oos_recall"],
                "o",
                color=line.get_color(),
                markersize=8,
            )
            ax.annotate(
                f"threshold {threshold:g}: {100 * mark['in_scope_accuracy']:.1f} / "
                f"{100 * mark['oos_recall']:.1f}",
                (100 * mark["in_scope_accuracy"], 100 * mark["oos_recall"]),
                textcoords="offset points",
                xytext=(-150, -14),
                fontsize=8,
            )
        else:
            thresholds = [r["threshold"] for r in sweep]
            (line,) = ax.plot(
                thresholds,
                [100 * r["in_scope_accuracy"] for r in sweep],
                label=f"{name}: in-scope accuracy",
            )
            ax.plot(
                thresholds,
                [100 * r["in_scope_handoff_rate"] for r in sweep],
                "--",
                color=line.get_color(),
                label=f"{name}: answerable messages handed off",
            )
            ax.axvline(threshold, color=line.get_color(), linestyle=":", linewidth=1)
            ax.plot(threshold, 100 * mark["in_scope_accuracy"], "o", color=line.get_color())
    if has_oos:
        ax.set_xlabel("in-scope accuracy (%)")
        ax.set_ylabel("out-of-scope recall (%)")
    else:
        ax.set_xlabel("confidence threshold")
        ax.set_ylabel("%")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
