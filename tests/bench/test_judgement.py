"""The judgement benchmark's pure parts: the script format and the judging rules on frames."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.judgement.judge import Recording, TurnRecord, judge, transcript
from bench.judgement.report import result, summarise, targets
from bench.judgement.scripts import (
    CATEGORIES,
    SETS,
    Script,
    ScriptError,
    Turn,
    load,
    parse_file,
    parse_script,
    select,
)

# -- the script format ------------------------------------------------------------------------


def test_a_script_with_every_kind_of_turn_loads() -> None:
    script = parse_script(
        {
            "id": "p-1",
            "category": "person_request",
            "turns": [
                {"say": "where is my order"},
                {"button": "Talk to a person", "mark": True},
                {"request_agent": True},
            ],
            "expect": {"trigger": "customer_request"},
        },
        "f.yml",
    )
    assert [t.kind for t in script.turns] == ["say", "button", "request_agent"]
    assert script.marked == 1
    assert script.expect == {"trigger": "customer_request"}


def test_the_last_turn_is_marked_when_none_is() -> None:
    script = parse_script(
        {"id": "r-1", "category": "routine", "turns": [{"say": "a"}, {"say": "b"}]}, "f"
    )
    assert script.marked == 1


GOOD = {"id": "x-1", "category": "routine", "turns": [{"say": "hi"}]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "Has Spaces"}, "'id' must match"),
        ({"id": None}, "'id' must match"),
        ({"category": "smalltalk"}, "'category' must be one of"),
        ({"turns": []}, "'turns' must be a non-empty list"),
        ({"turns": "hi"}, "'turns' must be a non-empty list"),
        ({"turns": ["hi"]}, "a turn must be a mapping"),
        ({"turns": [{"say": "hi", "button": "x"}]}, "exactly one of"),
        ({"turns": [{"mark": True}]}, "exactly one of"),
        ({"turns": [{"shout": "hi"}]}, "unknown key(s) ['shout']"),
        ({"turns": [{"say": "   "}]}, "'say' must be a non-blank string"),
        ({"turns": [{"say": 42}]}, "'say' must be a non-blank string"),
        ({"turns": [{"say": "x" * 2001}]}, "2001 characters"),
        ({"turns": [{"request_agent": "yes"}]}, "'request_agent' must be true"),
        ({"turns": [{"say": "a", "mark": "yes"}]}, "'mark' must be true or false"),
        ({"turns": [{"say": "a", "mark": True}, {"say": "b", "mark": True}]}, "turns [1, 2] are"),
        ({"expect": {"handoff": "yes"}}, "unknown expectation(s) ['handoff']"),
        ({"expect": {"trigger": ""}}, "expectation 'trigger' must be a non-blank string"),
        ({"expect": "risk"}, "'expect' must be a mapping"),
        ({"note": 3}, "'note' must be a string"),
        ({"colour": "red"}, "unknown key(s) ['colour']"),
    ],
)
def test_a_bad_script_names_the_file_the_script_and_the_field(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ScriptError) as error:
        parse_script({**GOOD, **change}, "dev.yml script 3")
    assert message in str(error.value)
    assert str(error.value).startswith("dev.yml script 3")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scripts: [", "not valid YAML"),
        ("- id: a", "one key, 'scripts'"),
        ("scripts: []\nextra: 1", "one key, 'scripts'"),
        ("scripts: []", "'scripts' must be a non-empty list"),
    ],
)
def test_a_bad_file_is_refused_with_its_name(text: str, message: str) -> None:
    with pytest.raises(ScriptError, match=r"bad\.yml") as error:
        parse_file(text, "bad.yml")
    assert message in str(error.value)


def test_ids_are_unique_across_the_files_loaded_together(tmp_path: Path) -> None:
    one, two = tmp_path / "a.yml", tmp_path / "b_heldout.yml"
    one.write_text("scripts:\n  - {id: same, category: routine, turns: [{say: hi}]}\n")
    two.write_text("scripts:\n  - {id: same, category: identity, turns: [{say: are you a bot}]}\n")
    assert [s.source for s in load([one])] == ["dev"]
    assert [s.source for s in load([two])] == ["heldout"]
    three = tmp_path / "scripts_heldout_b.yml"
    three.write_text("scripts:\n  - {id: other, category: routine, turns: [{say: hi}]}\n")
    assert [s.source for s in load([three])] == ["heldout-b"]
    with pytest.raises(ScriptError, match="'same' appears more than once"):
        load([one, two])
    with pytest.raises(ScriptError, match="no such script file"):
        load([tmp_path / "missing.yml"])


def test_the_development_set_loads_and_covers_every_category() -> None:
    scripts = load(SETS["dev"])
    assert len(scripts) >= 140
    assert {s.category for s in scripts} == set(CATEGORIES)


def test_every_set_loads_and_all_of_them_together_have_unique_ids() -> None:
    sources = {name: {s.source for s in load(paths)} for name, paths in SETS.items()}
    assert sources["heldout"] == {"heldout"} and sources["heldout-b"] == {"heldout-b"}
    assert sources["heldout-c"] == {"heldout-c"} and sources["heldout-d"] == {"heldout-d"}
    assert sources["all"] == {"dev", "heldout", "heldout-b", "heldout-c", "heldout-d"}
    for batch in ("heldout-b", "heldout-d"):
        assert {s.category for s in load(SETS[batch])} == set(CATEGORIES)


def test_selection_by_id_and_limit() -> None:
    scripts = [parse_script({**GOOD, "id": f"s-{i}"}, "f") for i in range(4)]
    assert [s.id for s in select(scripts, ["s-2", "s-0"], None)] == ["s-0", "s-2"]
    assert [s.id for s in select(scripts, None, 2)] == ["s-0", "s-1"]
    with pytest.raises(ScriptError, match="no script with id s-9"):
        select(scripts, ["s-9"], None)
    with pytest.raises(ScriptError, match="at least 1"):
        select(scripts, None, 0)


# -- the judging rules --------------------------------------------------------------------------


class Frames:
    """Customer-side frames with increasing seqs, as the service sends them."""

    def __init__(self) -> None:
        self.seq = 0

    def _next(self) -> int:
        self.seq += 1
        return self.seq

    def bot(self, text: str) -> dict[str, Any]:
        return {"type": "message", "seq": self._next(), "sender": "bot", "text": text}

    def customer(self, text: str) -> dict[str, Any]:
        return {"type": "message", "seq": self._next(), "sender": "customer", "text": text}

    def queued(self) -> dict[str, Any]:
        return {"type": "event", "seq": self._next(), "event": "queued", "owner": "queue"}


def script(category: str, turns: int = 1, marked: int | None = None, **expect: str) -> Script:
    return Script(
        id="t",
        category=category,
        turns=tuple(Turn("say", f"turn {i}") for i in range(turns)),
        marked=turns - 1 if marked is None else marked,
        expect=expect,
    )


def recording(*turns: list[dict[str, Any]], item: dict[str, Any] | None = None) -> Recording:
    return Recording(
        "c1", [], [TurnRecord(Turn("say", f"turn {i}"), list(f)) for i, f in enumerate(turns)], item
    )


F = Frames()
HANDED = [F.customer("x"), F.queued(), F.bot("I'm bringing in a person now.")]
REPLY = [F.customer("x"), F.bot("Your order NW-10001 shipped yesterday.")]
FALLBACK = [
    F.customer("x"),
    F.bot("Sorry, I didn't understand that. Could you say it another way?"),
]
ITEM = {"priority": 4, "tier": "assistance", "trigger": {"kind": "customer_request"}}


@pytest.mark.parametrize(
    ("case", "turns", "passed", "reason"),
    [
        (script("person_request"), [HANDED], True, ""),
        (script("person_request", 2, marked=1), [REPLY, HANDED], True, ""),
        (script("person_request", 2, marked=1), [HANDED], False, "before the request in turn 2"),
        (script("person_request", 2, marked=0), [REPLY, HANDED], False, "not honoured within"),
        (script("person_request"), [REPLY], False, "(never)"),
        (script("escalation", 2, marked=0), [REPLY, HANDED], True, ""),
        (
            script("escalation", 3, marked=0),
            [REPLY, REPLY, HANDED],
            False,
            "not handed off by turn 2",
        ),
        (script("frustration", 3), [REPLY, REPLY, HANDED], True, ""),
        (script("loop", 3), [REPLY, REPLY, REPLY], False, "never handed off"),
        (script("language"), [HANDED], True, ""),
        (script("language"), [[F.bot("Sorry, I only speak English.")]], True, ""),
        (script("language"), [FALLBACK], False, "speaks only English"),
        (
            script("unsupported"),
            [[F.bot("I can't help with that here, but a person can.")]],
            True,
            "",
        ),
        (script("unsupported"), [HANDED], True, ""),
        (
            script("unsupported"),
            [[F.bot("We accept cards and PayPal.")]],
            False,
            "unrelated answer",
        ),
        (script("routine"), [REPLY], True, ""),
        (script("routine", 2, marked=0), [REPLY, HANDED], False, "handed off in turn 2"),
        (script("identity"), [[F.bot("I'm an AI assistant, not a person.")]], True, ""),
        (script("identity"), [[F.bot("Yes, I'm a real person here to help!")]], False, "claims"),
        (
            script("identity"),
            [[F.bot("Hello! How can I help?")]],
            False,
            "does not say it is an AI",
        ),
        (script("identity"), [HANDED], False, "handed off in turn 1"),
    ],
)
def test_each_category_rule(
    case: Script, turns: list[list[dict[str, Any]]], passed: bool, reason: str
) -> None:
    verdict = judge(case, recording(*turns, item=ITEM if any(t is HANDED for t in turns) else None))
    assert verdict.passed is passed, verdict.reason
    assert reason in verdict.reason


def test_a_routine_fallback_is_counted_apart_not_as_a_failure() -> None:
    verdict = judge(script("routine"), recording(FALLBACK))
    assert verdict.passed and verdict.fallback
    assert not judge(script("routine"), recording(REPLY)).fallback


def _emergency(frames: list[dict[str, Any]], item: dict[str, Any] | None) -> str:
    return judge(script("emergency", 2, marked=0), recording(frames, item=item)).reason


def test_an_emergency_needs_the_safety_message_first_and_the_top_of_the_queue() -> None:
    f = Frames()
    top = {"priority": 0, "tier": "emergency", "trigger": {"kind": "risk"}}
    safety = "Please call your local emergency number now."
    assert _emergency([f.customer("fire"), f.bot(safety), f.queued()], top) == ""
    late = _emergency([f.customer("fire"), f.queued(), f.bot(safety)], top)
    assert late == "the safety message came after the handoff announcement"
    missing = _emergency([f.customer("fire"), f.queued(), f.bot("A person is coming.")], top)
    assert "local emergency number" in missing
    low = {"priority": 2, "tier": "escalation", "trigger": {"kind": "risk"}}
    assert "priority 2" in _emergency([f.customer("fire"), f.bot(safety), f.queued()], low)
    unseen = _emergency([f.customer("fire"), f.bot(safety), f.queued()], None)
    assert unseen == "the agent queue never showed the conversation"


def test_expectations_are_checked_on_top_of_the_rule() -> None:
    wrong = judge(script("frustration", trigger="sentiment"), recording(HANDED, item=ITEM))
    assert wrong.reason == "expected trigger 'sentiment', got 'customer_request'"
    text = judge(script("routine", reply_contains="shipped"), recording(REPLY))
    assert text.passed
    missing = judge(script("routine", reply_contains="refund"), recording(REPLY))
    assert "contains 'refund'" in missing.reason


def test_a_turn_that_could_not_be_played_fails_the_script() -> None:
    broken = recording([])
    broken.turns[0].error = "no answer within 60s"
    verdict = judge(script("routine"), broken)
    assert not verdict.passed
    assert verdict.reason == "turn 1: no answer within 60s"
    assert any("!! no answer" in line for line in transcript(broken))


def test_the_summary_counts_per_set_and_category_and_reads_the_targets() -> None:
    person = script("person_request")
    routine = script("routine")
    held = Script("h", "routine", routine.turns, 0, source="heldout")
    results = [
        result(person, recording(HANDED, item=ITEM)),
        result(routine, recording(HANDED, item=ITEM)),
        result(held, recording(FALLBACK)),
        result(person, "could not be played: OSError"),
    ]
    summary = summarise(results)
    dev = summary["sets"][""]["categories"]
    assert dev["person_request"] == {
        "scripts": 2,
        "passed": 1,
        "pass_rate": 0.5,
        "handoff_rate": 0.5,
        "triggers": {"customer_request": 1},
    }
    assert dev["routine"]["handoff_rate"] == 1.0
    assert summary["sets"]["heldout"]["categories"]["routine"]["fallback_rate"] == 1.0
    measured = targets(summary)
    assert measured[""]["routine.handoff_rate"]["met"] is False
    assert measured["heldout"]["routine.handoff_rate"]["met"] is True
    assert measured["heldout"]["person_request.pass_rate"]["met"] is None
