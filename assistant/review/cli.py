"""`make review`: designers accept, relabel or reject what the assistant misunderstood.

    python -m assistant.review list                       # the items, grouped by intent
    python -m assistant.review decide                     # one by one, in the terminal
    python -m assistant.review decide --decisions f.yml   # the same from a file
    python -m assistant.review export                     # rewrite data/nlu/learned.yml

A decisions file is a YAML list of ``{item: <id>, decision: accept|relabel|reject,
intent: <name, for relabel>}``. Every ``decide`` ends with an export and prints the
replies agents typed again and again, as suggested responses.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.review import export, responses, sources
from assistant.review.items import UNKNOWN, Item, grouped, merged

INTENT_NAME = r"[a-z][a-z0-9_]{0,63}"
Ask = Callable[[str], str]
Say = Callable[[str], None]


class ReviewError(Exception):
    """A bad decisions file or a bad answer."""


def _link(console: str, item: Item) -> str:
    return f"{console.rstrip('/')}/agent#conversation={item.conversation_id}"


def show(items: list[Item], console: str, say: Say) -> None:
    if not items:
        say("Nothing to review.")
        return
    for intent, group in grouped(items).items():
        say(f"{intent}  ({len(group)})")
        for item in group:
            who = "marked by an agent" if item.source == "agent" else "not understood"
            say(f"  [{item.item_id}] {item.text!r}  ({who})")
            say(f"      {_link(console, item)}")


def _valid_intent(name: Any) -> str:
    if not isinstance(name, str) or re.fullmatch(INTENT_NAME, name) is None:
        raise ReviewError(f"{name!r} is not an intent name (lowercase letters, digits, _)")
    return name


def _decision(item: Item, decision: str, intent: Any) -> tuple[Item, str, str | None]:
    if decision == "accept":
        if item.suggested == UNKNOWN:
            raise ReviewError(f"{item.item_id} has no suggested intent: relabel it")
        return item, decision, item.suggested
    if decision == "relabel":
        return item, decision, _valid_intent(intent)
    if decision == "reject":
        return item, decision, None
    raise ReviewError(f"{item.item_id}: decision must be accept, relabel or reject")


def from_file(path: Path, items: list[Item]) -> list[tuple[Item, str, str | None]]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ReviewError(f"cannot read {path}: {error}") from error
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ReviewError(f"{path} must be a list of {{item, decision, intent}}")
    by_id = {item.item_id: item for item in items}
    decided = []
    for entry in entries:
        item = by_id.get(entry.get("item"))
        if item is None:
            raise ReviewError(f"{path}: no review item {entry.get('item')!r}")
        decided.append(_decision(item, str(entry.get("decision")), entry.get("intent")))
    return decided


def interactively(
    items: list[Item], intents: set[str], console: str, ask: Ask, say: Say
) -> list[tuple[Item, str, str | None]]:
    decided = []
    for intent, group in grouped(items).items():
        for item in group:
            say(f"\n{item.text!r}\n  suggested: {intent}   {_link(console, item)}")
            while True:
                answer = ask("  [a]ccept  [r]elabel  [x] reject  [s]kip  [q]uit > ").strip()
                try:
                    if answer in ("q", "quit"):
                        return decided
                    if answer in ("s", "skip", ""):
                        break
                    if answer in ("a", "accept"):
                        decided.append(_decision(item, "accept", None))
                    elif answer in ("x", "reject"):
                        decided.append(_decision(item, "reject", None))
                    elif answer in ("r", "relabel"):
                        name = ask("  intent > ").strip()
                        decided.append(_decision(item, "relabel", name))
                        if name not in intents:
                            say(f"  {name} is new: add it to domain.yml to export it")
                    else:
                        raise ReviewError("answer a, r, x, s or q")
                    break
                except ReviewError as error:
                    say(f"  {error}")
    return decided


def _domain_intents(path: Path) -> set[str]:
    domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or []}


def redactor() -> Callable[[str], str]:
    """assistant/pii.py's redaction with its pipeline built once."""
    from assistant import pii

    nlp = pii.build_nlp()
    return lambda text: pii.redact(text, nlp)[0]


def write_export(
    args: argparse.Namespace, store: Any, intents: set[str], redact: Callable[[str], str], say: Say
) -> None:
    nlu_dir = Path(args.nlu_dir)
    result = export.build(
        sources.accepted(sources.decisions(store)),
        export.existing_examples(nlu_dir),
        intents,
        redact,
    )
    target = nlu_dir / export.LEARNED
    if result.examples or target.exists():
        target.write_text(export.to_yaml(result), encoding="utf-8")
    total = sum(len(v) for v in result.examples.values())
    say(f"\n{target}: {total} examples for {len(result.examples)} intents")
    for text, twin in result.duplicates:
        say(f"  left out {text!r}: same as the example {twin!r}")
    for intent, text in result.waiting:
        say(f"  waiting for intent {intent} in domain.yml: {text!r}")
    labelled = {label["conversation_id"]: label["intent"] for label in sources.labels(store)}
    found = responses.suggest(labelled, sources.agent_replies(store), redact, args.min_replies)
    if found:
        say(
            "\nReplies agents typed again and again (candidates for a response in data/responses/):"
        )
    for suggestion in found:
        say(
            f"  {suggestion.intent}: {suggestion.text!r} ({suggestion.conversations} conversations)"
        )


def main(argv: list[str] | None = None, ask: Ask = input, say: Say = print) -> int:
    parser = argparse.ArgumentParser(prog="make review", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("list", "decide", "export"))
    parser.add_argument("--decisions", help="a YAML file of decisions, instead of asking")
    parser.add_argument("--tracker-db", default="var/tracker.db", help="file or SQLAlchemy URL")
    parser.add_argument(
        "--database",
        default=os.environ.get("HANDOFF_DATABASE_URL", "sqlite:///var/handoff.db"),
        help="the handoff store (HANDOFF_DATABASE_URL)",
    )
    parser.add_argument("--nlu-dir", default="data/nlu")
    parser.add_argument("--domain", default="domain.yml")
    parser.add_argument("--console", default="http://127.0.0.1:8000")
    parser.add_argument("--min-replies", type=int, default=3, help="conversations per suggestion")
    args = parser.parse_args(argv)
    try:
        store = sources.engine(args.database)
        decided_ids = set(sources.decisions(store))
        redact = redactor()
        # Designers see, and the decisions keep, the text as agents see it: redacted.
        items = [
            dataclasses.replace(item, text=redact(item.text))
            for item in merged(
                sources.not_understood(sources.engine(args.tracker_db)), sources.labelled(store)
            )
            if item.item_id not in decided_ids
        ]
        intents = _domain_intents(Path(args.domain))
        if args.command == "list":
            show(items, args.console, say)
            return 0
        if args.command == "decide":
            if args.decisions:
                decided = from_file(Path(args.decisions), items)
            else:
                show(items, args.console, say)
                decided = interactively(items, intents, args.console, ask, say)
            say(f"{sources.record(store, decided)} decisions kept")
        write_export(args, store, intents, redact, say)
    except (sources.SourceError, ReviewError) as error:
        print(f"review: {error}", file=sys.stderr)
        return 2
    return 0
