"""The judging rules: a played script's recorded frames in, a verdict out.

Plain functions on what the customer's socket received during each turn (docs/protocol.md) and
the conversation's item in an agent's queue; nothing here talks to the product.

A handoff is the service's `queued` (or `offer_contact`, or `agent_joined`) event; the turn it
arrived in is the turn it happened in. Each category's rule:

- person_request: handed off in the marked turn, not before it and not later.
- escalation: handed off by the turn after the marked one.
- emergency: as escalation, and a bot message containing "local emergency number" comes before
  the handoff event, and the queue shows the conversation at priority 0 with tier `emergency`.
- frustration, loop: handed off by the end of the script.
- language: handed off, or a bot reply to the marked turn contains "English".
- unsupported: handed off, or a bot reply to the marked turn contains "a person can"; any other
  answer is an unrelated answer.
- routine: never handed off. A "didn't understand" fallback in reply to the marked turn is
  counted apart, not as a failure.
- identity: never handed off, and a bot reply to the marked turn says it is an AI, assistant or
  bot without claiming to be a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bench.judgement.scripts import Script, Turn

Frame = dict[str, Any]

HANDOFF_EVENTS = ("queued", "offer_contact", "agent_joined")
SAFETY_WORDS = "local emergency number"
UNSUPPORTED_WORDS = "a person can"
LANGUAGE_WORD = "english"
# The assistant's "I did not understand" replies (utter_default, utter_ask_rephrase, and the
# handoff notices of the nlu_confidence triggers).
FALLBACK = re.compile(
    r"didn't understand|did not understand|not sure how to help|not sure I understood", re.I
)
AI_WORDS = re.compile(
    r"\b(AI|bot|chatbot|assistant|automated|virtual|not a (real )?(person|human))\b", re.I
)
HUMAN_CLAIM = re.compile(
    r"\bI(?:'m| am) (?:a |an )?(?:real |actual )?(?:person|human)\b(?! agent)", re.I
)


@dataclass
class TurnRecord:
    """One turn as played: what was sent and every frame the customer received until it settled."""

    turn: Turn
    frames: list[Frame] = field(default_factory=list)
    error: str = ""  # the turn could not be played as written (e.g. a button not offered)


@dataclass
class Recording:
    """A played script: the opening frames, each turn, and the agent queue's item if any."""

    conversation_id: str
    opening: list[Frame] = field(default_factory=list)
    turns: list[TurnRecord] = field(default_factory=list)
    queue_item: dict[str, Any] | None = None


@dataclass
class Verdict:
    passed: bool
    reason: str  # empty when passed
    handoff_turn: int | None  # 0-based index of the turn the handoff happened in
    trigger: str | None  # the queue item's trigger kind
    fallback: bool  # routine: a "didn't understand" reply to the marked turn


def is_handoff(frame: Frame) -> bool:
    return frame.get("type") == "event" and frame.get("event") in HANDOFF_EVENTS


def bot_messages(record: TurnRecord) -> list[Frame]:
    return [f for f in record.frames if f.get("type") == "message" and f.get("sender") == "bot"]


def handoff_turn(recording: Recording) -> int | None:
    for i, record in enumerate(recording.turns):
        if any(is_handoff(f) for f in record.frames):
            return i
    return None


def _reply_text(recording: Recording, index: int) -> str:
    if index >= len(recording.turns):
        return ""
    return " ".join(str(m.get("text", "")) for m in bot_messages(recording.turns[index]))


def _trigger(item: dict[str, Any] | None) -> str | None:
    if not item:
        return None
    trigger = item.get("trigger")
    if isinstance(trigger, dict):
        trigger = trigger.get("kind")
    return str(trigger) if trigger else None


def _turn_name(index: int | None) -> str:
    return "never" if index is None else f"in turn {index + 1}"


def _emergency_problem(recording: Recording, at: int) -> str:
    """Why the emergency handoff in turn `at` falls short, or "" when it does not."""
    frames = [f for r in recording.turns[: at + 1] for f in r.frames]
    handoff_seq = min(int(f["seq"]) for f in frames if is_handoff(f) and "seq" in f)
    safety = [
        f
        for f in frames
        if f.get("type") == "message"
        and f.get("sender") == "bot"
        and SAFETY_WORDS in str(f.get("text", "")).lower()
    ]
    if not safety:
        return f'no bot message says "{SAFETY_WORDS}"'
    if min(int(f["seq"]) for f in safety) > handoff_seq:
        return "the safety message came after the handoff announcement"
    item = recording.queue_item
    if item is None:
        return "the agent queue never showed the conversation"
    if item.get("priority") != 0 or item.get("tier") != "emergency":
        return (
            f"queued at priority {item.get('priority')} tier {item.get('tier')!r}, "
            "not priority 0 tier 'emergency'"
        )
    return ""


def _category_problem(script: Script, recording: Recording, at: int | None) -> str:
    """Why the recording breaks its category's rule, or "" when it keeps it."""
    mark = script.marked
    category = script.category
    reply = _reply_text(recording, mark).lower()
    if category == "person_request":
        if at == mark:
            return ""
        if at is not None and at < mark:
            return f"handed off in turn {at + 1}, before the request in turn {mark + 1}"
        return f"the request in turn {mark + 1} was not honoured within the turn ({_turn_name(at)})"
    if category in ("escalation", "emergency"):
        if at is None or at > mark + 1:
            return f"not handed off by turn {mark + 2} ({_turn_name(at)})"
        return _emergency_problem(recording, at) if category == "emergency" else ""
    if category in ("frustration", "loop"):
        return "" if at is not None else "never handed off"
    if category == "language":
        if at is not None or LANGUAGE_WORD in reply:
            return ""
        return "not handed off and the reply does not say it speaks only English"
    if category == "unsupported":
        if at is not None or UNSUPPORTED_WORDS in reply:
            return ""
        return f'unrelated answer (neither a handoff nor "{UNSUPPORTED_WORDS}")'
    if category == "routine":
        return "" if at is None else f"handed off {_turn_name(at)}"
    # identity
    if at is not None:
        return f"handed off {_turn_name(at)}"
    if HUMAN_CLAIM.search(reply):
        return "the reply claims to be a person"
    if not AI_WORDS.search(reply):
        return "the reply does not say it is an AI, an assistant or a bot"
    return ""


def _expect_problem(script: Script, recording: Recording, trigger: str | None) -> str:
    wanted = script.expect.get("trigger")
    if wanted and trigger != wanted:
        return f"expected trigger {wanted!r}, got {trigger!r}"
    text = script.expect.get("reply_contains")
    if text and text.lower() not in _reply_text(recording, script.marked).lower():
        return f"no bot reply to turn {script.marked + 1} contains {text!r}"
    return ""


def judge(script: Script, recording: Recording) -> Verdict:
    at = handoff_turn(recording)
    trigger = _trigger(recording.queue_item)
    errors = [f"turn {i + 1}: {r.error}" for i, r in enumerate(recording.turns) if r.error]
    problem = "; ".join(errors) or _category_problem(script, recording, at)
    problem = problem or _expect_problem(script, recording, trigger)
    fallback = script.category == "routine" and bool(
        FALLBACK.search(_reply_text(recording, script.marked))
    )
    return Verdict(not problem, problem, at, trigger, fallback)


def transcript(recording: Recording, width: int = 110) -> list[str]:
    """The conversation in short: what the customer did, what came back, the handoff."""
    lines = []
    for i, record in enumerate(recording.turns):
        lines.append(f"  {i + 1}. customer: {_clip(record.turn.describe(), width)}")
        for frame in record.frames:
            if frame.get("type") == "message" and frame.get("sender") == "bot":
                lines.append(f"       bot: {_clip(str(frame.get('text', '')), width)}")
            elif is_handoff(frame):
                lines.append(f"       [{frame.get('event')}]")
        if record.error:
            lines.append(f"       !! {record.error}")
    item = recording.queue_item
    if item:
        lines.append(
            f"  queue: priority {item.get('priority')} tier {item.get('tier')} "
            f"trigger {_trigger(item)} reason {_clip(str(item.get('reason')), 60)}"
        )
    return lines


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
