"""Each turn's answer, and the question it ends with, read from the events."""

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from assistant.turns import answers, last_questions

ASK = "What is your order number?"
EVENTS = [
    UserUttered("where order"),
    BotUttered(ASK),
    UserUttered("not have number"),
    ActionExecuted("utter_default"),
    BotUttered("Sorry, I can't help with that here."),
    BotUttered(ASK),
    UserUttered("thanks"),
    BotUttered("You're welcome."),
]


def test_each_answer_joins_what_the_assistant_said_after_one_message():
    assert answers(EVENTS) == [
        ASK,
        f"Sorry, I can't help with that here. {ASK}",
        "You're welcome.",
    ]


def test_each_answer_counts_only_the_question_it_ends_with():
    assert last_questions(EVENTS) == [ASK, ASK, ""]


def test_nothing_said_yet_is_no_turn():
    assert answers([UserUttered("hi")]) == [] and last_questions([UserUttered("hi")]) == []
