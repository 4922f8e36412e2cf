"""The facts of each turn: what the assistant made of the customer's message, and its goal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.goals import judge, matches
from assistant.signals import user_turn_signals
from assistant.thresholds import Thresholds, ThresholdsError, load_thresholds
from assistant.turn_channel import TurnRestInput
from assistant.turn_facts import turn_facts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def user(text: str, intent: str, confidence: float = 0.95, ranking=None) -> list:
    parse = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
        "entities": [],
    }
    return [ActionExecuted("action_listen"), UserUttered(text, parse["intent"], [], parse)]


def facts(domain: Domain, events: list, thresholds: Thresholds | None = None) -> dict | None:
    tracker = DialogueStateTracker.from_events("c1", events, domain.slots)
    return turn_facts(tracker, thresholds or Thresholds())


ASKED_ORDER = [
    *user("where is my order", "track_order"),
    SlotSet("request", "track_order"),
    ActionExecuted("order_form"),
    ActiveLoop("order_form"),
    SlotSet("requested_slot", "order_id"),
    BotUttered("Which order is it?"),
    ActionExecuted("action_listen"),
]


def test_a_form_asking_for_the_order_number_leaves_the_request_open(domain):
    found = facts(domain, ASKED_ORDER)
    assert found == {
        "intent": "track_order",
        "confidence": 0.95,
        "goal": "open",
        "topic": "orders",
        "order_ref": None,
        "email_hash": None,
    }


def test_the_order_looked_up_meets_the_goal_with_the_order_and_topic(domain):
    events = [
        *ASKED_ORDER,
        *user("nw 10007", "inform"),
        SlotSet("order_id", "nw 10007"),
        ActionExecuted("order_form"),
        ActiveLoop(None),
        ActionExecuted("action_track_order"),
        BotUttered("Order NW-10007 shipped on Monday."),
        SlotSet("goal_met", True),
    ]
    found = facts(domain, events)
    assert found is not None
    assert (found["goal"], found["intent"], found["topic"]) == ("met", "inform", "orders")
    assert found["order_ref"] == "NW-10007"


def test_a_message_not_understood_fails_and_names_the_intent_it_looked_like(domain):
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "greet", "confidence": 0.2}]
    events = [
        *user("qwfp zxcv", "nlu_fallback", 0.45, ranking),
        ActionExecuted("utter_ask_rephrase"),
        BotUttered("Sorry, I didn't understand that"),
    ]
    found = facts(domain, events)
    assert found is not None
    assert (found["goal"], found["intent"], found["confidence"]) == ("failed", "greet", 0.2)
    assert found["topic"] is None


def test_an_faq_answer_meets_the_goal_and_small_talk_has_nothing_to_judge(domain):
    faq = [
        *user("how long is shipping", "faq_shipping_times"),
        ActionExecuted("utter_faq_shipping_times"),
    ]
    assert facts(domain, faq)["goal"] == "met"  # type: ignore[index]
    hello = [*faq, *user("hi", "greet"), ActionExecuted("utter_greet")]
    assert facts(domain, hello)["goal"] == "none"  # type: ignore[index]


def test_out_of_scope_is_a_failed_turn(domain):
    events = [*user("write my essay", "out_of_scope"), ActionExecuted("utter_out_of_scope")]
    assert facts(domain, events)["goal"] == "failed"  # type: ignore[index]


def test_an_email_is_kept_only_as_its_hash(domain):
    events = [
        *ASKED_ORDER,
        *user("ana@example.com", "inform"),
        SlotSet("email", "Ana@Example.com "),
    ]
    found = facts(domain, events)
    assert found is not None
    assert len(found["email_hash"]) == 64
    assert "example" not in json.dumps(found)


def test_no_customer_message_yet_gives_no_facts(domain):
    assert facts(domain, [ActionExecuted("action_session_start")]) is None


def test_the_lists_of_goal_actions_come_from_the_config(tmp_path, domain):
    path = tmp_path / "config.yml"
    path.write_text(
        "policies:\n  - name: assistant.policy.HandoffPolicy\n"
        "    goal_met_actions: [utter_thank]\n"
        "    goal_open_actions: ['utter_confirm_*']\n"
        "    goal_failed_actions: [utter_chitchat_weather]\n"
    )
    thresholds = load_thresholds(path)
    events = [*user("is it sunny", "chitchat_weather"), ActionExecuted("utter_chitchat_weather")]
    assert facts(domain, events, thresholds)["goal"] == "failed"  # type: ignore[index]
    confirm = [*user("cancel it", "cancel_order"), ActionExecuted("utter_confirm_cancel")]
    assert facts(domain, confirm, thresholds)["goal"] == "open"  # type: ignore[index]
    # No longer listed, an FAQ answer meets nothing.
    faq = [
        *user("how long is shipping", "faq_shipping_times"),
        ActionExecuted("utter_faq_shipping_times"),
    ]
    assert facts(domain, faq, thresholds)["goal"] == "none"  # type: ignore[index]


def test_the_turn_trigger_counts_from_the_same_goal_actions(domain):
    thanked = [
        *user("where is it", "track_order"),
        *user("thanks", "thank"),
        ActionExecuted("utter_thank"),
    ]
    latest_events = [*thanked, *user("and my refund", "return_status")]
    latest = latest_events[-1]
    counted = user_turn_signals(latest_events, latest, Thresholds()).turns_without_goal
    reset = user_turn_signals(
        latest_events, latest, Thresholds(goal_met_actions=("utter_thank",))
    ).turns_without_goal
    assert (counted, reset) == (2, 1)


def test_the_project_config_lists_the_documented_defaults():
    loaded = load_thresholds(ROOT / "config.yml")
    default = Thresholds()
    for name in ("goal_met_actions", "goal_open_actions", "goal_failed_actions"):
        assert getattr(loaded, name) == getattr(default, name)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("utter_default", "must be a list"),
        ([""], "not an action name"),
        (["utter_*_x"], "may only end"),
    ],
)
def test_a_malformed_goal_list_is_refused_naming_it(raw, message):
    with pytest.raises(ThresholdsError, match=message):
        Thresholds.from_mapping({"goal_failed_actions": raw})


def test_a_name_ending_in_a_star_takes_every_name_it_starts():
    assert matches("utter_faq_opening_hours", ["utter_faq_*"])
    assert not matches("utter_faq", ["utter_faq_*"]) and not matches(None, ["*"])


def test_the_goal_met_wins_over_a_form_still_active():
    events = [SlotSet("goal_met", True), ActiveLoop("contact_form")]
    assert judge(events, "inform", "contact_form") == "met"
    assert judge([], "inform", "contact_form") == "open"


class FakeStore:
    def __init__(self, tracker: DialogueStateTracker | None) -> None:
        self.tracker = tracker
        self.reads = 0

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        self.reads += 1
        return self.tracker


class FakeAgent:
    def __init__(self, tracker: DialogueStateTracker | None) -> None:
        self.tracker_store = FakeStore(tracker)


async def test_the_channel_adds_the_turn_after_the_replies_with_one_tracker_read(domain):
    tracker = DialogueStateTracker.from_events("c1", ASKED_ORDER, domain.slots)
    agent = FakeAgent(tracker)

    async def handle(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Which order is it?")

    replies = await TurnRestInput().answer(agent, handle, "where is my order", "c1")
    assert [r.get("text") for r in replies] == ["Which order is it?", None]
    assert replies[-1]["custom"]["turn"]["goal"] == "open"
    assert agent.tracker_store.reads == 1


async def test_the_channel_answers_without_facts_when_rasa_or_the_read_fails(domain):
    async def fail(message: UserMessage) -> None:
        raise RuntimeError("model crashed")

    agent = FakeAgent(None)
    assert await TurnRestInput().answer(agent, fail, "hi", "c1") == []
    assert agent.tracker_store.reads == 0

    async def answer(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Hello!")

    class BrokenStore(FakeStore):
        async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
            raise OSError("disk gone")

    agent.tracker_store = BrokenStore(None)
    replies = await TurnRestInput().answer(agent, answer, "hi", "c1")
    assert [r["text"] for r in replies] == ["Hello!"]


class KeepingStore(FakeStore):
    """As assistant/tracker_store.py: the tracker just saved, taken once."""

    def __init__(self, kept: DialogueStateTracker, stored: DialogueStateTracker) -> None:
        super().__init__(stored)
        self.kept: DialogueStateTracker | None = kept

    def take_saved(self, sender_id: str) -> DialogueStateTracker | None:
        kept, self.kept = self.kept, None
        return kept


async def test_the_channel_takes_the_tracker_just_saved_for_this_message(domain):
    greeted = UserUttered("hi", {"name": "greet", "confidence": 1.0}, message_id="m-now")
    kept = DialogueStateTracker.from_events("c1", [greeted], domain.slots)
    stored = DialogueStateTracker.from_events("c1", ASKED_ORDER, domain.slots)
    agent = FakeAgent(None)
    agent.tracker_store = KeepingStore(kept, stored)
    channel = TurnRestInput()
    found = await channel.turn_element(agent, "c1", "m-now")
    assert found is not None and found["custom"]["turn"]["intent"] == "greet"
    assert agent.tracker_store.reads == 0
    # One kept for another message is not taken for this one: the store is read instead.
    agent.tracker_store.kept = kept
    other = await channel.turn_element(agent, "c1", "m-later")
    assert other is not None and other["custom"]["turn"]["intent"] == "track_order"
    assert agent.tracker_store.reads == 1
