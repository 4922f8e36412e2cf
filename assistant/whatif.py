"""`make whatif`: what the stored conversations would have done under another config.

Reads the conversations active in the last N days from Rasa's tracker store (the SQLite file
of ``make run``, or any SQLAlchemy URL of a ``type: SQL`` store), optionally re-parses every
customer message with another trained model, replays them with assistant/replay.py under the
thresholds of the given config, prints handoffs per trigger then vs now, the change in
containment and the conversations whose outcome changes, and draws a bar chart.

    python -m assistant.whatif --config config.yml [--model m.tar.gz] [--days 7]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assistant.replay import Replayed, Summary, replay, summarize
from assistant.thresholds import Thresholds, ThresholdsError, load_thresholds

DAY = 86400.0
Events = list[dict[str, Any]]
Parse = Callable[[str], dict[str, Any]]


def _engine(tracker_db: str) -> sa.engine.Engine:
    url = tracker_db if "://" in tracker_db else f"sqlite:///{tracker_db}"
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise SystemExit(f"whatif: no tracker store at {tracker_db} (run the product first)")
    return sa.create_engine(url)


def load_conversations(tracker_db: str, days: float, now: float | None = None) -> dict[str, Events]:
    """Every stored event of the conversations with an event in the last ``days`` days."""
    since = (now if now is not None else time.time()) - days * DAY
    engine = _engine(tracker_db)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT sender_id, data FROM events WHERE sender_id IN (SELECT sender_id"
                    " FROM events GROUP BY sender_id HAVING max(timestamp) >= :since)"
                    " ORDER BY sender_id, id"
                ),
                {"since": since},
            ).all()
    finally:
        engine.dispose()
    conversations: dict[str, Events] = {}
    for sender_id, data in rows:
        conversations.setdefault(sender_id, []).append(json.loads(data))
    return conversations


def reparsed(events: Events, parse: Parse) -> Events:
    """The events with every typed customer message parsed again (buttons keep theirs)."""
    out = []
    for event in events:
        text = event.get("text")
        if event.get("event") == "user" and isinstance(text, str) and not text.startswith("/"):
            event = {**event, "parse_data": parse(text)}
        out.append(event)
    return out


def model_parser(model: str) -> Parse:
    """Parse with a trained model, as the assistant would (its custom components included)."""
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Rasa logs every parse at debug level; the report is the output here.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(model)
    loop = asyncio.new_event_loop()
    return lambda text: loop.run_until_complete(agent.parse_message(text))


def report(summary: Summary, console_url: str) -> str:
    lines = [f"{summary.conversations} conversations replayed", ""]
    lines.append(f"{'trigger':<24}{'then':>6}{'now':>6}{'change':>8}")
    for kind in summary.triggers:
        then, now = summary.then[kind], summary.now[kind]
        lines.append(f"{kind:<24}{then:>6}{now:>6}{now - then:>+8}")
    total_then, total_now = sum(summary.then.values()), sum(summary.now.values())
    lines.append(f"{'all handoffs':<24}{total_then:>6}{total_now:>6}{total_now - total_then:>+8}")
    before = summary.containment(summary.contained_then)
    after = summary.containment(summary.contained_now)
    lines += [
        "",
        f"containment {100 * before:.1f}% then, {100 * after:.1f}% now "
        f"({100 * (after - before):+.1f} points)",
        "",
        f"{len(summary.changed)} conversations would end differently:",
    ]
    lines += [_changed(conversation, console_url) for conversation in summary.changed]
    return "\n".join(lines)


def _changed(conversation: Replayed, console_url: str) -> str:
    steps = []
    for stretch in conversation.stretches:
        if stretch.then != stretch.now:
            kept = "kept by the assistant"
            then = stretch.then or kept
            now = f"{stretch.now} ({stretch.now_detail})" if stretch.now else kept
            steps.append(f"{then} -> {now}")
    link = f"{console_url.rstrip('/')}/agent#conversation={conversation.sender_id}"
    return f"  {conversation.sender_id}: {'; '.join(steps)}\n    {link}"


def plot(summary: Summary, path: Path, title: str) -> Path:
    """Bars of handoffs per trigger, then and now."""
    import matplotlib

    matplotlib.use("Agg")  # files only: runs headless
    import matplotlib.pyplot as plt

    kinds = summary.triggers or ["(none)"]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    xs = range(len(kinds))
    ax.bar([x - 0.2 for x in xs], [summary.then[k] for k in kinds], 0.4, label="then")
    ax.bar([x + 0.2 for x in xs], [summary.now[k] for k in kinds], 0.4, label="now")
    ax.set_xticks(list(xs), kinds, rotation=20, ha="right")
    ax.set_ylabel("handoffs")
    before = 100 * summary.containment(summary.contained_then)
    after = 100 * summary.containment(summary.contained_now)
    ax.set_title(f"{title}\ncontainment {before:.1f}% -> {after:.1f}%")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def run(
    conversations: Mapping[str, Events],
    thresholds: Thresholds,
    domain_path: str | Path = "domain.yml",
    parse: Parse | None = None,
) -> Summary:
    from rasa.shared.core.domain import Domain

    slots = Domain.load(str(domain_path)).slots
    return summarize(
        replay(cid, reparsed(events, parse) if parse else events, slots, thresholds)
        for cid, events in conversations.items()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make whatif", description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True, help="config.yml with the changed thresholds")
    parser.add_argument("--model", help="re-parse the messages with this trained model")
    parser.add_argument("--days", type=float, default=7.0, help="conversations of the last N days")
    parser.add_argument("--tracker-db", default="var/tracker.db", help="file or SQLAlchemy URL")
    parser.add_argument("--domain", default="domain.yml")
    parser.add_argument("--console", default="http://127.0.0.1:8000", help="console base URL")
    parser.add_argument("--plot", default="results/whatif.png")
    args = parser.parse_args(argv)
    if args.days <= 0:
        parser.error("--days must be above 0")
    try:
        thresholds = load_thresholds(args.config)
    except ThresholdsError as error:
        parser.error(str(error))
    conversations = load_conversations(args.tracker_db, args.days)
    parse = model_parser(args.model) if args.model else None
    summary = run(conversations, thresholds, args.domain, parse)
    print(report(summary, args.console))
    drawn = plot(summary, Path(args.plot), f"what if: {args.config}")
    print(f"\nplot: {drawn}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
