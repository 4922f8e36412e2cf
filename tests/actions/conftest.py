"""Fixtures for the action tests: a keyword tracker factory, a seeded demo shop, settings."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.shop import Shop

ROOT = Path(__file__).resolve().parents[2]
SEED_DAY = date(2026, 11, 23)
SLOTS = (
    "order_id",
    "email",
    "new_address",
    "contact",
    "request",
    "customer_id",
    "verified",
    "verification_method",
    "failed_attempts",
    "goal_met",
    "risk_tier",
    "risk_reasons",
    "draft",
    "handoff_trigger",
    "handoff_status",
    "handoff_id",
    "emergency",
    "agent_outcome",
    "agent_name",
    "ai_disclosed",
    "requested_slot",
    "session_started_metadata",
)


def make_tracker(
    *,
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str | None = None,
    confidence: float = 0.97,
    sentiment: float | None = None,
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    sender_id: str = "conv-1",
) -> Tracker:
    """A tracker as the action server receives it, with only what a test cares about."""
    latest: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    if sentiment is not None:
        latest["sentiment"] = {"compound": sentiment}
    all_slots = {name: None for name in SLOTS}
    all_slots["failed_attempts"] = 0
    all_slots.update(slots or {})
    if events is None:
        events = [
            {"event": "action", "name": "action_listen", "timestamp": 1.0},
            {"event": "user", "text": text, "timestamp": 2.0, "parse_data": latest},
        ]
    return Tracker(
        sender_id,
        all_slots,
        latest,
        events,
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def shop_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """A freshly seeded demo shop that every action in the test uses (via NW_SHOP_DB)."""
    path = tmp_path / "shop.db"
    monkeypatch.setenv("NW_SHOP_DB", str(path))
    monkeypatch.setenv("NW_RASA_CONFIG", str(ROOT / "config.yml"))
    shop = Shop(path)
    shop.ensure_seeded()
    return shop


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots the events set, last write wins."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [message.get("text") or "" for message in dispatcher.messages]


def in_processes(code: str, *args: str, count: int = 4) -> list[str]:
    """Run ``python -c code args`` in ``count`` processes at once; their outputs, sorted."""
    procs = [
        subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
        for _ in range(count)
    ]
    outputs = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
    assert all(p.returncode == 0 for p in procs)
    return outputs
