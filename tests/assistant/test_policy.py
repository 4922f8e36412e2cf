"""The handoff policy reads the tracker, and predicts action_handoff with the trigger attached."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policy import HandoffPolicy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain():
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture
def policy(tmp_path):
    return HandoffPolicy.create(
        HandoffPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("handoff_policy"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def user(text, intent, confidence=0.95, sentiment=None, ranking=None):
    parse_data = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": ranking or [],
        "entities": [],
    }
    if sentiment is not None:
        parse_data["sentiment"] = {"compound": sentiment}
    return [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": intent, "confidence": confidence}, [], parse_data),
    ]


def predict(policy, domain, events):
    tracker = DialogueStateTracker.from_events("c1", events, domain.slots)
    return policy.predict_action_probabilities(tracker, domain)


def predicted(prediction, domain):
    if max(prediction.probabilities) == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def trigger(prediction):
    [event] = prediction.optional_events
    assert isinstance(event, SlotSet) and event.key == "handoff_trigger"
    return event.value


def test_an_explicit_request_is_honoured_at_once(policy, domain):
    prediction = predict(policy, domain, user("/request_human", "request_human", 1.0))
    assert predicted(prediction, domain) == "action_handoff"
    assert trigger(prediction)["kind"] == "customer_request"


def test_an_explicit_request_wins_over_an_active_form(policy, domain):
    prediction = predict(policy, domain, user("/request_human", "request_human", 1.0))
    assert prediction.is_no_user_prediction


def test_a_very_low_confidence_uses_the_best_real_intent_from_the_ranking(policy, domain):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "track_order", "confidence": 0.12},
    ]
    prediction = predict(policy, domain, user("hmm blorp", "nlu_fallback", 0.45, 0.0, ranking))
    assert trigger(prediction)["kind"] == "nlu_confidence"
    assert (trigger(prediction)["value"], trigger(prediction)["threshold"]) == (0.12, 0.2)


def test_one_message_not_understood_asks_to_rephrase_instead(policy, domain):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "track_order", "confidence": 0.3},
    ]
    prediction = predict(policy, domain, user("hmm", "nlu_fallback", 0.45, 0.0, ranking))
    assert predicted(prediction, domain) is None


def test_two_messages_not_understood_in_a_row_hand_off(policy, domain):
    events = [
        *user("blorp", "nlu_fallback", 0.45),
        ActionExecuted("utter_ask_rephrase"),
        *user("zork", "nlu_fallback", 0.45),
    ]
    prediction = predict(policy, domain, events)
    assert trigger(prediction)["kind"] == "low_confidence_streak"
    assert trigger(prediction)["value"] == 2


def test_a_negative_sentiment_from_the_nlu_hands_off_with_its_score(policy, domain):
    prediction = predict(policy, domain, user("whatever", "complaint", sentiment=-0.75))
    assert (trigger(prediction)["kind"], trigger(prediction)["value"]) == ("sentiment", -0.75)


def test_sentiment_is_scored_from_the_text_when_the_nlu_output_is_missing(policy, domain):
    prediction = predict(
        policy, domain, user("This is terrible, I hate you, worst shop ever", "complaint")
    )
    assert trigger(prediction)["kind"] == "sentiment"


def test_too_many_turns_without_the_goal_met_hand_off(policy, domain):
    events = []
    for _ in range(6):
        events += [
            *user("what's the weather", "chitchat_weather"),
            ActionExecuted("utter_chitchat_weather"),
        ]
    prediction = predict(policy, domain, events[:-1])
    assert (trigger(prediction)["kind"], trigger(prediction)["value"]) == ("turns", 6)


def test_a_met_goal_starts_the_turn_count_again(policy, domain):
    events = []
    for turn in range(6):
        events += user("what's the weather", "chitchat_weather")
        events.append(SlotSet("goal_met", True) if turn == 2 else ActionExecuted("utter_x"))
    assert predicted(predict(policy, domain, events[:-1]), domain) is None


def test_a_risk_tier_set_by_an_action_hands_off(policy, domain):
    events = [
        *user("I'm filing a chargeback", "chargeback"),
        ActionExecuted("action_assess_risk"),
        SlotSet("risk_tier", "escalation"),
        SlotSet("risk_reasons", ["chargeback needs a person"]),
    ]
    prediction = predict(policy, domain, events)
    assert (trigger(prediction)["kind"], trigger(prediction)["value"]) == ("risk", "escalation")
    assert "chargeback" in trigger(prediction)["detail"]


def test_an_automation_tier_lets_the_bot_continue(policy, domain):
    events = [
        *user("where is my order", "track_order"),
        ActionExecuted("action_track_order"),
        SlotSet("risk_tier", "automation"),
    ]
    assert predicted(predict(policy, domain, events), domain) is None


def test_after_the_handoff_the_bot_listens(policy, domain):
    events = [
        *user("/request_human", "request_human", 1.0),
        ActionExecuted("action_handoff"),
        SlotSet("handoff_status", "delivered"),
    ]
    assert predicted(predict(policy, domain, events), domain) == "action_listen"


def test_after_a_failed_handoff_the_rules_decide(policy, domain):
    events = [
        *user("/request_human", "request_human", 1.0),
        ActionExecuted("action_handoff"),
        SlotSet("handoff_status", "failed"),
    ]
    assert predicted(predict(policy, domain, events), domain) is None


def test_a_hand_back_is_left_to_the_rules(policy, domain):
    assert predicted(predict(policy, domain, user("/handback", "handback", 1.0)), domain) is None


def test_imminent_danger_hands_off_at_once_as_an_emergency(policy, domain):
    text = "The space heater I bought from you is smoking and sparking right now"
    prediction = predict(policy, domain, user(text, "harm_complaint"))
    assert predicted(prediction, domain) == "action_handoff"
    assert trigger(prediction)["value"] == "emergency"
    assert trigger(prediction)["detail"] == "emergency: imminent danger: smoke and sparks"


def test_imminent_danger_mid_form_wins_over_the_form(policy, domain):
    events = [
        *user("where is my order", "track_order"),
        ActionExecuted("order_form"),
        *user("hang on, the charger just caught fire", "inform"),
    ]
    prediction = predict(policy, domain, events)
    assert predicted(prediction, domain) == "action_handoff"
    assert prediction.is_no_user_prediction
    assert trigger(prediction)["value"] == "emergency"


def test_the_emergency_intent_alone_hands_off_as_an_emergency(policy, domain):
    prediction = predict(
        policy, domain, user("please come quickly, it's an emergency", "emergency")
    )
    assert trigger(prediction)["detail"] == "emergency: imminent danger reported"


def test_a_negated_danger_word_does_not_hand_off(policy, domain):
    prediction = predict(policy, domain, user("no smoke, it just won't start", "emergency"))
    assert predicted(prediction, domain) is None
