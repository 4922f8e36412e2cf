"""Score the shipped sentiment trigger on airline complaint tweets.

    python -m bench.sentiment [--data ../shared/data/airline_sentiment/Tweets.csv] [--plot out.png]

A tweet counts as "negative" when the product's score (the function the sentiment component
uses: VADER's compound pushed down by the frustration signals) is at or below the handoff
policy's ``sentiment_threshold``, i.e. when the sentiment trigger would bring in a person.
Prints precision, recall and F1 of "negative" against the human labels, how often the trigger
fires on neutral and on positive tweets, and as its last line one JSON object with those
numbers.

The frustration weights in config.yml were tuned on the even rows of the file (0, 2, 4, ...);
``splits`` reports the even ("tuned") and odd ("held_out") rows apart, each with VADER alone
("before") and with the signals ("after"), and ``signal_counts`` how often each signal fired.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "airline_sentiment" / "Tweets.csv"
SMOKE_ROWS = 300
SWEEP = [round(-1 + i / 50, 2) for i in range(101)]


def load_tweets(path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(text, label) pairs from the ``text`` and ``airline_sentiment`` columns."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [(row["text"], row["airline_sentiment"]) for row in csv.DictReader(handle)]
    return rows[:limit] if limit else rows


def score(labels: Sequence[str], compounds: Sequence[float], threshold: float) -> dict[str, Any]:
    """Quality of "fires iff compound <= threshold" as a detector of negative tweets."""
    fires = [c <= threshold for c in compounds]
    negative = [label == "negative" for label in labels]
    tp = sum(f and n for f, n in zip(fires, negative, strict=True))
    fired = sum(fires)
    precision = tp / fired if fired else None
    recall = tp / sum(negative) if any(negative) else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0

    def fire_rate(kind: str) -> float | None:
        of_kind = [f for f, label in zip(fires, labels, strict=True) if label == kind]
        return sum(of_kind) / len(of_kind) if of_kind else None

    not_negative = [f for f, n in zip(fires, negative, strict=True) if not n]
    return {
        "threshold": threshold,
        "negative_precision": precision,
        "negative_recall": recall,
        "negative_f1": f1,
        "handoff_rate_neutral": fire_rate("neutral"),
        "handoff_rate_positive": fire_rate("positive"),
        "handoff_rate_not_negative": sum(not_negative) / len(not_negative)
        if not_negative
        else None,
        "handoff_rate_all": fired / len(fires) if fires else None,
    }


def plot(labels: Sequence[str], compounds: Sequence[float], threshold: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [score(labels, compounds, t) for t in SWEEP]
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)
    for key, label in [
        ("negative_precision", "precision of negative"),
        ("negative_recall", "recall of negative"),
        ("handoff_rate_not_negative", "handoffs on neutral/positive tweets"),
    ]:
        # No handoff at all leaves precision undefined: a gap, not a zero.
        ax.plot(
            SWEEP, [float("nan") if r[key] is None else 100 * r[key] for r in rows], label=label
        )
    ax.axvline(threshold, color="grey", linestyle=":", label=f"shipped threshold {threshold:g}")
    ax.set_xlabel("VADER compound threshold (hand off at or below)")
    ax.set_ylabel("%")
    ax.set_title(f"Airline tweets (n={len(labels)}): sentiment handoff trigger", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.sentiment")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument(
        "--threshold", type=float, help="override the policy's sentiment_threshold from config.yml"
    )
    parser.add_argument("--smoke", action="store_true", help=f"first {SMOKE_ROWS} tweets only")
    parser.add_argument("--plot", type=Path, help="write the threshold sweep plot here (PNG)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from assistant.sentiment import score as product_score
    from assistant.thresholds import load_thresholds

    thresholds = load_thresholds(args.config)
    threshold = args.threshold if args.threshold is not None else thresholds.sentiment_threshold
    tweets = load_tweets(args.data, SMOKE_ROWS if args.smoke else None)
    started = time.perf_counter()
    scored = [product_score(text, thresholds) for text, _ in tweets]
    seconds = time.perf_counter() - started
    compounds = [float(s["score"]) for s in scored]  # type: ignore[arg-type]
    vader = [float(s["compound"]) for s in scored]  # type: ignore[arg-type]
    labels = [label for _, label in tweets]
    result = score(labels, compounds, threshold)
    result["before"] = score(labels, vader, threshold)
    result["splits"] = {
        name: {
            "before": score(labels[start::2], vader[start::2], threshold),
            "after": score(labels[start::2], compounds[start::2], threshold),
        }
        for name, start in (("tuned", 0), ("held_out", 1))
    }
    counts: dict[str, int] = {}
    for item in scored:
        for signal in item["signals"]:  # type: ignore[union-attr]
            counts[str(signal)] = counts.get(str(signal), 0) + 1
    result["signal_counts"] = counts
    # The risk check escalates a customer asking for something at a milder level.
    result["at_angry_sentiment"] = score(labels, compounds, thresholds.angry_sentiment)
    result.update(
        n=len(tweets),
        n_negative=labels.count("negative"),
        n_neutral=labels.count("neutral"),
        n_positive=labels.count("positive"),
        score_seconds=round(seconds, 2),
    )
    if args.plot:
        plot(labels, compounds, threshold, args.plot)
    rounded = _rounded(result)
    for key, value in rounded.items():
        print(f"{key}: {value}")
    print(json.dumps(rounded), flush=True)
    return rounded


if __name__ == "__main__":
    main()
