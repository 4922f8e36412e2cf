"""The handoff policy reads the tracker, and predicts action_handoff with the trigger attached."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
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


def test_a_message_the_dialogue_could_not_answer_counts_as_not_understood(policy, domain):
    # "completely useless" was read as deny, which no rule answers there: the dialogue's
    # fallback. Three messages in a row got no answer; the customer is not left with a fourth.
    events = [
        *user("you are useless", "nlu_fallback", 0.45),
        ActionExecuted("utter_ask_rephrase"),
        *user("completely useless", "deny", 0.62),
        ActionExecuted("utter_default"),
        *user("pathetic", "nlu_fallback", 0.45),
    ]
    prediction = predict(policy, domain, events)
    assert trigger(prediction)["kind"] == "low_confidence_streak"
    assert trigger(prediction)["value"] == 3


def test_a_dialogue_fallback_then_a_message_understood_does_not_hand_off(policy, domain):
    events = [
        *user("completely useless", "deny", 0.62),
        ActionExecuted("utter_default"),
        *user("where is my order", "track_order", 0.9),
    ]
    assert predicted(predict(policy, domain, events), domain) is None


def test_one_dialogue_fallback_alone_does_not_hand_off(policy, domain):
    events = [
        *user("hello", "greet", 0.9),
        ActionExecuted("utter_greet"),
        *user("no", "deny", 0.9),
        ActionExecuted("utter_default"),
        *user("where is my order", "track_order", 0.9),
    ]
    assert predicted(predict(policy, domain, events), domain) is None


def test_a_negative_sentiment_from_the_nlu_hands_off_with_its_score(policy, domain):
    prediction = predict(policy, domain, user("whatever", "complaint", sentiment=-0.75))
    assert (trigger(prediction)["kind"], trigger(prediction)["value"]) == ("sentiment", -0.75)


def test_sentiment_is_scored_from_the_text_when_the_nlu_output_is_missing(policy, domain):
    prediction = predict(
        policy, domain, user("This is terrible, I hate you, worst shop ever", "complaint")
    )
    assert trigger(prediction)["kind"] == "sentiment"


# Six different questions: the same question again and again is a loop, not slow progress.
QUESTIONS = (
    "what's the weather",
    "do you like music",
    "tell me a joke",
    "who made you",
    "are you happy today",
    "what is the meaning of life",
)


def test_too_many_turns_without_the_goal_met_hand_off(policy, domain):
    events = []
    for question in QUESTIONS:
        events += [
            *user(question, "chitchat_weather"),
            ActionExecuted("utter_chitchat_weather"),
        ]
    prediction = predict(policy, domain, events[:-1])
    assert (trigger(prediction)["kind"], trigger(prediction)["value"]) == ("turns", 6)


def test_a_met_goal_starts_the_turn_count_again(policy, domain):
    events = []
    for turn, question in enumerate(QUESTIONS):
        events += user(question, "chitchat_weather")
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


def bot(text):
    return [ActionExecuted("utter_out_of_scope"), BotUttered(text)]


def test_the_same_answer_three_times_in_a_row_hands_off_as_a_loop(policy, domain):
    answer = "I can only help with Northwind Goods orders, returns and accounts."
    events = []
    for question in ("what's the weather", "tell me a joke", "who won the game"):
        events += [*user(question, "out_of_scope"), *bot(answer)]
    found = trigger(predict(policy, domain, events))
    assert (found["kind"], found["value"], found["threshold"]) == ("loop", 3, 3)


def test_the_same_answer_twice_lets_the_bot_continue(policy, domain):
    answer = "I can only help with Northwind Goods orders, returns and accounts."
    events = [*user("what's the weather", "out_of_scope"), *bot(answer)]
    events += [*user("tell me a joke", "out_of_scope"), *bot(answer)]
    assert predicted(predict(policy, domain, events), domain) is None


def test_the_customer_sending_the_same_message_three_times_hands_off(policy, domain):
    events = []
    for text in ("where is my parcel", "Where is my parcel?", "WHERE is my parcel"):
        events += [*user(text, "track_order"), *bot("Which order do you mean?")[:1]]
    events = events[:-1]
    found = trigger(predict(policy, domain, events))
    assert (found["kind"], found["value"]) == ("loop", 3)
    assert "customer sent the same message" in found["detail"]


def test_a_message_in_spanish_hands_off_with_the_language(policy, domain):
    prediction = predict(policy, domain, user("hola, dónde está mi pedido", "nlu_fallback", 0.3))
    assert predicted(prediction, domain) == "action_handoff"
    assert (trigger(prediction)["kind"], trigger(prediction)["value"]) == ("language", "es")


def test_the_language_is_not_judged_while_a_form_asks_for_an_address(policy, domain):
    events = [
        ActiveLoop("address_form"),
        *user("4 Rue de Rivoli, 75004 Paris, France", "inform", 0.9),
    ]
    assert predicted(predict(policy, domain, events), domain) is None


def test_frustration_signals_push_a_mild_message_into_a_handoff(policy, domain):
    prediction = predict(
        policy, domain, user("WHERE IS MY EXPRESS ORDER, IT IS A WEEK LATE", "track_order")
    )
    found = trigger(prediction)
    assert found["kind"] == "sentiment"
    assert "caps" in found["detail"] and "waiting" in found["detail"]


IN_ORDER_FORM = [
    ActionExecuted("action_listen"),
    UserUttered("where is my order", {"name": "track_order", "confidence": 0.9}),
    ActionExecuted("order_form"),
    ActiveLoop("order_form"),
    SlotSet("requested_slot", "order_id"),
]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("no, just get me a representative", "deny"),
        ("stop. real person please", "deny"),
        ("HUMAN!!!", "nlu_fallback"),
        ("let me speak to your manager", "complaint"),
        ("can someone call me back", "inform"),
        ("put me thru to a custmer servce persn", "nlu_fallback"),
    ],
)
def test_the_detector_honours_a_request_mid_form_whatever_the_intent(policy, domain, text, intent):
    prediction = predict(policy, domain, IN_ORDER_FORM + user(text, intent, 0.6))
    assert predicted(prediction, domain) == "action_handoff"
    assert trigger(prediction)["kind"] == "customer_request"
    assert prediction.is_no_user_prediction


def test_the_detector_finding_in_the_parse_data_is_used(policy, domain):
    events = user("anything", "inform", 0.9)
    events[-1].parse_data["person_request"] = {"matched": "agent", "callback": False}
    assert predicted(predict(policy, domain, events), domain) == "action_handoff"


def test_a_negated_request_for_a_person_does_not_hand_off(policy, domain):
    text = "I don't need a person, just tell me the status"
    prediction = predict(policy, domain, IN_ORDER_FORM + user(text, "track_order", 0.9))
    assert predicted(prediction, domain) is None


@pytest.mark.parametrize(
    "text",
    [
        "someone used my card without my permission, this is fraud",
        "I'M TALKING TO MY LAWYER",
        "I'll report you to trading standards",
    ],
)
def test_a_case_for_a_person_runs_the_risk_check_even_after_a_fallback(policy, domain, text):
    prediction = predict(policy, domain, IN_ORDER_FORM + user(text, "nlu_fallback", 0.3))
    assert predicted(prediction, domain) == "action_assess_risk"
    assert prediction.is_no_user_prediction


@pytest.mark.parametrize("in_form", [False, True])
def test_a_request_to_be_called_back_hands_off_with_callback_in_the_trigger(
    policy, domain, in_form
):
    events = (IN_ORDER_FORM if in_form else []) + user("can someone ring me back", "inform", 0.6)
    prediction = predict(policy, domain, events)
    assert predicted(prediction, domain) == "action_handoff"
    assert trigger(prediction)["callback"] is True


def test_the_detector_callback_finding_in_the_parse_data_is_used(policy, domain):
    events = user("anything", "inform", 0.9)
    events[-1].parse_data["person_request"] = {"matched": "call me", "callback": True}
    assert trigger(predict(policy, domain, events))["callback"] is True


ASK = "What is your order number? It looks like NW-10007."


def _form_asking(texts_before_ask):
    events = []
    for i, before in enumerate(texts_before_ask):
        events += user(f"message {i} that gives no number", "nlu_fallback", 0.3)
        events += [*bot(before), *bot(ASK)] if before else bot(ASK)
    return events


def test_a_form_asking_the_same_question_three_times_hands_off_as_a_loop(policy, domain):
    events = _form_asking(
        [None, "Sorry, I can't help with that here.", "Sorry, I didn't understand that."]
    )
    found = trigger(predict(policy, domain, events))
    assert (found["kind"], found["value"]) == ("loop", 3)


def test_a_question_asked_twice_lets_the_form_go_on(policy, domain):
    events = _form_asking([None, "Sorry, I can't help with that here."])
    assert predicted(predict(policy, domain, events), domain) is None


def test_answers_ending_with_the_same_statement_are_not_a_repeated_question(policy, domain):
    events = []
    for text, answer in (("track NW-10001", "shipped"), ("track NW-10002", "delivered")):
        events += [*user(text, "track_order"), *bot(f"Your order is {answer}."), *bot("Thanks.")]
    events += [*user("track NW-10003", "track_order"), *bot("Your order is late."), *bot("Thanks.")]
    assert predicted(predict(policy, domain, events), domain) is None


def _asking(form, slot, text, intent):
    return [
        *user("where is my order", "track_order"),
        ActionExecuted(form),
        ActiveLoop(form),
        SlotSet("requested_slot", slot),
        *bot(ASK),
        *user(text, intent, 0.5),
    ]


@pytest.mark.parametrize("intent", ["deny", "nlu_fallback"])
def test_a_customer_who_cannot_give_the_order_number_is_told_it_is_all_right(
    policy, domain, intent
):
    prediction = predict(policy, domain, _asking("order_form", "order_id", "not sure", intent))
    assert predicted(prediction, domain) == "utter_cannot_answer"
    # Wins over the form's stop rule for deny; the form asks again afterwards.
    assert prediction.is_no_user_prediction


def test_a_change_of_mind_while_the_form_asks_is_left_to_the_stop_rule(policy, domain):
    events = _asking("order_form", "order_id", "not sure, forget it", "deny")
    assert predicted(predict(policy, domain, events), domain) is None


def test_not_having_a_contact_to_leave_is_left_to_the_contact_form(policy, domain):
    events = _asking("contact_form", "contact", "I don't have one", "deny")
    assert predicted(predict(policy, domain, events), domain) is None


def test_not_sure_outside_a_form_is_left_to_the_rules(policy, domain):
    prediction = predict(policy, domain, user("not sure", "deny"))
    assert predicted(prediction, domain) is None


def test_a_second_message_not_understood_hands_off_even_when_it_says_so(policy, domain):
    events = [
        *_asking("order_form", "order_id", "blorp", "nlu_fallback"),
        ActionExecuted("utter_ask_rephrase"),
        *user("i can't find it", "nlu_fallback", 0.45),
    ]
    assert trigger(predict(policy, domain, events))["kind"] == "low_confidence_streak"


def test_a_slot_the_message_filled_is_left_to_the_forms_validation(policy, domain):
    events = [
        *_asking("address_form", "new_address", "dunno", "nlu_fallback"),
        # The address form takes any text; action_extract_slots ran before the policies.
        SlotSet("new_address", "dunno"),
    ]
    assert predicted(predict(policy, domain, events), domain) is None


def test_not_sure_of_the_new_address_is_told_a_person_can_help(policy, domain):
    events = _asking("address_form", "new_address", "not sure yet", "deny")
    assert predicted(predict(policy, domain, events), domain) == "utter_cannot_answer"
