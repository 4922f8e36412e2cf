"""`make whatif` replays recorded conversations (tracker store rows) under changed thresholds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant import whatif
from assistant.replay import RULE, replay
from assistant.thresholds import POLICY_NAME, Thresholds
from assistant.tracker_store import SQLiteTrackerStore

ROOT = Path(__file__).resolve().parents[2]
NOW = time.time()


@pytest.fixture(scope="module")
def domain():
    return Domain.load(ROOT / "domain.yml")


def said(text, intent, confidence, sentiment=0.0, ranking=None, ts=NOW):
    parse_data = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
        "entities": [],
        "sentiment": {"compound": sentiment},
        "language": {"code": "en", "confidence": 1.0},
    }
    return [
        ActionExecuted("action_listen", timestamp=ts),
        UserUttered(text, parse_data["intent"], [], parse_data, timestamp=ts),
    ]


def handoff(kind, ts=NOW):
    trigger = {"kind": kind, "value": None, "threshold": None, "detail": kind}
    return [
        SlotSet("handoff_trigger", trigger, timestamp=ts),
        ActionExecuted("action_handoff", timestamp=ts),
    ]


def answer(text, action="utter_default", ts=NOW):
    return [ActionExecuted(action, timestamp=ts), BotUttered(text, timestamp=ts)]


NOT_SURE = [
    {"name": "nlu_fallback", "confidence": 0.45},
    {"name": "track_order", "confidence": 0.3},
]
MONTH_AGO = NOW - 30 * 86400
RECORDED = {
    # Understood poorly (0.3): above today's nlu_handoff_confidence (0.2), so it was kept.
    "poorly-understood": said("hmm blorp order", "nlu_fallback", 0.45, ranking=NOT_SURE)
    + answer("Sorry, I did not get that."),
    # A negative message (-0.7) at today's sentiment_threshold (-0.6) brought in a person.
    "angry": said("this is awful and I am upset", "complaint", 0.9, -0.7) + handoff("sentiment"),
    "asked-for-a-person": said("let me talk to a human", "request_human", 0.97)
    + handoff("customer_request"),
    "greeting": said("hello there", "greet", 0.99) + answer("Hi!", "utter_greet"),
    # Outside the last 7 days: never replayed.
    "last-month": said("hmm blorp order", "nlu_fallback", 0.45, ranking=NOT_SURE, ts=MONTH_AGO)
    + answer("Sorry, I did not get that.", ts=MONTH_AGO),
}


@pytest.fixture
async def tracker_db(tmp_path, domain):
    path = str(tmp_path / "tracker.db")
    store = SQLiteTrackerStore(domain, db=path)
    for sender_id, events in RECORDED.items():
        await store.save(DialogueStateTracker.from_events(sender_id, events, domain.slots))
    store.engine.dispose()
    return path


def config_with(tmp_path, **changes):
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    policy = next(p for p in config["policies"] if p["name"] == POLICY_NAME)
    policy.update(changes)
    path = tmp_path / "whatif.yml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def run(tmp_path, tracker_db, capsys, **changes):
    plot = tmp_path / "whatif.png"
    argv = ["--config", config_with(tmp_path, **changes), "--tracker-db", tracker_db]
    assert whatif.main([*argv, "--days", "7", "--plot", str(plot)]) == 0
    assert plot.stat().st_size > 0
    return capsys.readouterr().out


def row(out, kind):
    """The (then, now, change) columns of one trigger's row."""
    line = next(line for line in out.splitlines() if line.startswith(kind + " "))
    return tuple(int(cell) for cell in line.split()[-3:])


def changed_ids(out):
    """The conversations listed as ending differently (their links are indented further)."""
    lines = out.splitlines()
    return [line.split(":")[0].strip() for line in lines if line[:4].strip() and line[:2] == "  "]


def test_the_current_thresholds_reproduce_every_recorded_decision(tmp_path, tracker_db, capsys):
    """Replayed under the config they ran with, no conversation ends differently."""
    out = run(tmp_path, tracker_db, capsys)
    assert "4 conversations replayed" in out
    assert "0 conversations would end differently" in out
    assert "containment 50.0% then, 50.0% now (+0.0 points)" in out


def test_a_raised_handoff_confidence_brings_in_a_person_for_the_poorly_understood(
    tmp_path, tracker_db, capsys
):
    out = run(tmp_path, tracker_db, capsys, nlu_handoff_confidence=0.35)
    assert changed_ids(out) == ["poorly-understood"]
    assert "kept by the assistant -> nlu_confidence" in out
    assert "/agent#conversation=poorly-understood" in out
    assert row(out, "nlu_confidence") == (0, 1, 1)
    assert "containment 50.0% then, 25.0% now (-25.0 points)" in out


def test_a_lowered_sentiment_threshold_keeps_the_angry_customer_with_the_assistant(
    tmp_path, tracker_db, capsys
):
    out = run(tmp_path, tracker_db, capsys, sentiment_threshold=-0.8)
    assert changed_ids(out) == ["angry"]
    assert "sentiment -> kept by the assistant" in out
    assert row(out, "sentiment") == (1, 0, -1)
    assert row(out, "customer_request") == (1, 1, 0)
    assert "containment 50.0% then, 75.0% now (+25.0 points)" in out


def test_a_rule_handoff_happens_whatever_the_thresholds(domain):
    events = [*said("talk to someone", "request_human", 0.97), ActionExecuted("action_handoff")]
    rows = [e.as_dict() for e in events]
    stretch = replay("c", rows, domain.slots, Thresholds()).stretches[0]
    assert stretch.then == RULE


def test_each_handoff_after_a_handback_is_replayed_on_its_own(domain):
    """A second handoff, after the person handed back, is a second stretch."""
    events = (
        said("let me talk to a human", "request_human", 0.97)
        + handoff("customer_request")
        + [ActionExecuted("action_handback")]
        + said("this is awful and I am upset", "complaint", 0.9, -0.7)
        + handoff("sentiment")
    )
    rows = [e.as_dict() for e in events]
    replayed = replay("c", rows, domain.slots, Thresholds(sentiment_threshold=-0.8))
    assert [(s.then, s.now) for s in replayed.stretches] == [
        ("customer_request", "customer_request"),
        ("sentiment", None),
    ]


def test_a_model_reparses_typed_messages_but_not_buttons():
    events = [
        {"event": "user", "text": "hmm", "parse_data": {"intent": {"name": "a"}}},
        {"event": "user", "text": "/request_human", "parse_data": {"intent": {"name": "b"}}},
    ]
    out = whatif.reparsed(events, lambda text: {"intent": {"name": f"new:{text}"}})
    assert [e["parse_data"]["intent"]["name"] for e in out] == ["new:hmm", "b"]


def test_a_missing_tracker_store_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="no tracker store"):
        whatif.load_conversations(str(tmp_path / "absent.db"), 7)
