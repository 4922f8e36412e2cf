"""Imminent danger in a message: what fires, what names it, and what a negation, a question or
a finished past event dismisses."""

import pytest

from assistant.danger import Danger, danger_of, read


@pytest.mark.parametrize(
    ("text", "signs"),
    [
        (
            "The space heater I bought from you is smoking and sparking right now",
            ("smoke", "sparks"),
        ),
        ("my kettle is on fire", ("fire",)),
        ("oh no the lamp just burst into flames", ("fire",)),
        ("my hand got cut on the blade and it won't stop bleeding", ("an injury",)),
        ("we can't put it out, the charger is on fire", ("fire",)),
        ("There are flames coming out of the toaster!!", ("fire",)),
        ("the charger caught fire", ("fire",)),
        ("there's smoke coming from the lamp", ("smoke",)),
        ("It's sparking at the plug", ("sparks",)),
        ("the blender smells like burning plastic", ("burning smell",)),
        ("there's a burning smell from the fan heater", ("burning smell",)),
        ("the cable is melting", ("melting",)),
        ("I can smell gas since you installed the cooker", ("gas",)),
        ("the new hob has a gas leak", ("gas",)),
        ("I just got a shock from the iron", ("electric shock",)),
        ("the battery pack exploded in the kitchen", ("explosion",)),
        ("my son is bleeding from the blade", ("an injury",)),
        ("I burned my hand on the grill just now", ("an injury",)),
        ("I want to kill myself", ("threat of self-harm",)),
        ("I just want to end it all", ("threat of self-harm",)),
        ("honestly I'm thinking about suicide", ("threat of self-harm",)),
        ("No, it's smoking right now!", ("smoke",)),
        ("It broke last week and now it is smoking", ("smoke",)),
        ("smoke, sparks and a burning smell", ("smoke", "sparks", "burning smell")),
    ],
)
def test_a_danger_said_as_happening_now_is_read_with_its_sign(text, signs):
    assert read(text).signs == signs


@pytest.mark.parametrize(
    "text",
    [
        "Is it safe if the heater runs all night?",
        "is it safe if it smokes a little the first time?",
        "What if it catches fire while I'm out?",
        "no smoke, it just won't turn on",
        "It isn't sparking any more, it simply doesn't work",
        "there was never any smoke",
        "my son cut himself on it last week",
        "it caught fire last month and I want a refund",
        "does the heater have a fire safety certificate? I'm asking if it could catch fire",
        "How do I stop the smoke alarm from beeping on low battery? Asking in case it matters",
        "I'd like to track my order",
        "",
    ],
)
def test_a_negated_hypothetical_or_past_danger_is_not_current(text):
    assert read(text).signs == ()


def test_a_dismissed_sign_is_kept_apart_from_current_ones():
    assert read("there is no smoke").dismissed == ("smoke",)
    assert read("there is no smoke").signs == ()


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("it's smoking", "track_order", Danger(("smoke",))),
        (
            "please help, there's something really wrong with it, come quick",
            "emergency",
            Danger(()),
        ),
        ("no smoke at all", "emergency", None),
        ("where is my parcel", "track_order", None),
        (None, None, None),
    ],
)
def test_rules_and_classifier_together_decide_the_danger(text, intent, expected):
    assert danger_of(text, intent) == expected


@pytest.mark.parametrize(
    ("signs", "reason", "self_harm"),
    [
        (("smoke", "sparks"), "imminent danger: smoke and sparks", False),
        (("fire", "smoke", "sparks"), "imminent danger: fire, smoke and sparks", False),
        (("threat of self-harm",), "imminent danger: threat of self-harm", True),
        ((), "imminent danger reported", False),
    ],
)
def test_the_reason_names_the_danger(signs, reason, self_harm):
    danger = Danger(signs)
    assert (danger.reason, danger.self_harm) == (reason, self_harm)


def test_text_that_is_not_a_string_is_refused():
    with pytest.raises(TypeError, match="text must be a string"):
        read(42)  # type: ignore[arg-type]
