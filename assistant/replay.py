"""Replay the handoff decisions of stored conversations under other thresholds.

A stored conversation (the events Rasa's tracker store keeps, as dicts) is cut into
*stretches*: each ends where the assistant handed off (or where the conversation ends), and
the next starts after it, since a person then talked with the customer. Each stretch is
replayed event by event into a fresh tracker; before every action the assistant ran, the
live policy's own :func:`assistant.step.next_step` is asked what it would do under the new
thresholds. A stretch's outcome *then* is the trigger of its recorded handoff (``rule`` when
a rule, not a trigger, handed off; None when the assistant kept it); *now* is the first
trigger that would fire in it, at the latest on the recorded handoff's step.

What the replay cannot know: when a handoff would now come earlier, the rest of the stretch
never happens; when a recorded handoff would now not fire, the customer's next messages are
unknown, so the stretch counts as kept by the assistant.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.signals import ACTION_HANDOFF, ACTION_SESSION_START, CONTROL_INTENTS
from assistant.step import next_step
from assistant.thresholds import Thresholds

# A handoff that a rule or a button predicted, not one of the triggers.
RULE = "rule"
TRIGGER_SLOT = "handoff_trigger"


@dataclass(frozen=True)
class Stretch:
    """One stretch of a conversation: the handoff recorded then and the one replayed now."""

    then: str | None
    now: str | None
    now_detail: str = ""


@dataclass(frozen=True)
class Replayed:
    """A conversation's stretches, oldest first, and when it was last active."""

    sender_id: str
    last_active: float
    stretches: tuple[Stretch, ...]

    @property
    def handed_off_then(self) -> bool:
        return any(s.then is not None for s in self.stretches)

    @property
    def handed_off_now(self) -> bool:
        return any(s.now is not None for s in self.stretches)

    @property
    def changed(self) -> bool:
        return any(s.then != s.now for s in self.stretches)


def _recorded_kind(stretch_events: Sequence[Event]) -> str:
    """The trigger the policy attached to the handoff that ends this stretch."""
    for event in reversed(stretch_events):
        if isinstance(event, SlotSet) and event.key == TRIGGER_SLOT:
            value = event.value
            if isinstance(value, Mapping) and isinstance(value.get("kind"), str):
                return str(value["kind"])
            return RULE
    return RULE


def _is_decision_point(event: Event, tracker: DialogueStateTracker) -> bool:
    """Rasa asked its policies before this action (session starts run without asking)."""
    return (
        isinstance(event, ActionExecuted)
        and event.action_name != ACTION_SESSION_START
        and tracker.latest_message is not None
        and bool(tracker.latest_message.intent_name)
    )


def replay(
    sender_id: str,
    event_dicts: Iterable[Mapping[str, Any]],
    slots: Sequence[Slot],
    thresholds: Thresholds,
) -> Replayed:
    """Replay one stored conversation under ``thresholds``."""
    events = [Event.from_parameters(dict(d)) for d in event_dicts]
    tracker = DialogueStateTracker(sender_id, slots)
    stretches: list[Stretch] = []
    stretch_events: list[Event] = []
    fired: tuple[str, str] | None = None
    last_active = 0.0
    for event in events:
        last_active = max(last_active, float(event.timestamp or 0.0))
        if fired is None and _is_decision_point(event, tracker):
            step = next_step(tracker, thresholds)
            if step.trigger is not None:
                fired = (step.trigger.kind, step.trigger.detail)
        ends_stretch = isinstance(event, ActionExecuted) and event.action_name == ACTION_HANDOFF
        if ends_stretch:
            then = _recorded_kind(stretch_events)
            # A rule's handoff does not depend on the thresholds: it happens now as well.
            now = fired or ((RULE, "a rule handed off") if then == RULE else None)
            stretches.append(Stretch(then, now[0] if now else None, now[1] if now else ""))
            stretch_events, fired = [], None
        else:
            stretch_events.append(event)
        tracker.update(event)
    if any(_customer_spoke(e) for e in stretch_events) or not stretches:
        stretches.append(Stretch(None, fired[0] if fired else None, fired[1] if fired else ""))
    return Replayed(sender_id, last_active, tuple(stretches))


def _customer_spoke(event: Event) -> bool:
    return isinstance(event, UserUttered) and event.intent_name not in CONTROL_INTENTS


@dataclass
class Summary:
    """Handoffs per trigger then and now, and containment, over replayed conversations."""

    conversations: int = 0
    then: Counter[str] = field(default_factory=Counter)
    now: Counter[str] = field(default_factory=Counter)
    contained_then: int = 0
    contained_now: int = 0
    changed: list[Replayed] = field(default_factory=list)

    @property
    def triggers(self) -> list[str]:
        return sorted(set(self.then) | set(self.now))

    def containment(self, contained: int) -> float:
        return contained / self.conversations if self.conversations else 0.0


def summarize(replayed: Iterable[Replayed]) -> Summary:
    summary = Summary()
    for conversation in replayed:
        summary.conversations += 1
        for stretch in conversation.stretches:
            if stretch.then is not None:
                summary.then[stretch.then] += 1
            if stretch.now is not None:
                summary.now[stretch.now] += 1
        summary.contained_then += not conversation.handed_off_then
        summary.contained_now += not conversation.handed_off_now
        if conversation.changed:
            summary.changed.append(conversation)
    return summary
