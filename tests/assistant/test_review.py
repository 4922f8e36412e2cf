"""`make review`: items from both databases, decisions, and a redacted, deduplicated export."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from assistant import pii
from assistant.review import cli, export, responses
from assistant.review.items import AGENT, UNKNOWN, Item, from_tracker, merged
from assistant.tracker_store import SQLiteTrackerStore

ROOT = Path(__file__).resolve().parents[2]
INTENTS = {"track_order", "start_return", "inform"}


@pytest.fixture(scope="module")
def redact():
    nlp = pii.build_nlp()
    return lambda text: pii.redact(text, nlp)[0]


def fallback(text, guess="track_order", row_id=1, sender="c1"):
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": guess, "confidence": 0.3}]
    data = {"text": text, "parse_data": {"intent": ranking[0], "intent_ranking": ranking}}
    return (row_id, sender, {**data, "timestamp": 10.0})


# -- items ---------------------------------------------------------------------------------


def test_a_not_understood_message_is_suggested_as_the_classifiers_best_real_guess():
    [item] = from_tracker([fallback("wheres my stuff")])
    assert (item.item_id, item.text, item.suggested) == (
        "tracker:1",
        "wheres my stuff",
        "track_order",
    )


def test_buttons_and_understood_messages_are_not_review_items():
    understood = (2, "c1", {"text": "hi", "parse_data": {"intent": {"name": "greet"}}})
    assert from_tracker([fallback("/request_human"), understood]) == []


def test_a_fallback_with_no_real_guess_is_suggested_as_unknown():
    row = (1, "c1", {"text": "zzz", "parse_data": {"intent": {"name": "nlu_fallback"}}})
    assert from_tracker([row])[0].suggested == UNKNOWN


def test_the_same_message_marked_by_an_agent_is_one_item_with_the_agents_intent():
    guess = Item("tracker:1", "c1", "Wheres my stuff", "track_order", "assistant", 1.0)
    label = Item("label:c1:3", "c1", "wheres my stuff", "start_return", AGENT, 2.0)
    assert merged([guess], [label]) == [label]


# -- export --------------------------------------------------------------------------------


def test_the_export_redacts_personal_data_into_annotated_stand_ins(redact):
    text = "my email is dana.k@mail.com, card 4242 4242 4242 4242, call +44 20 7946 0958"
    result = export.build([("inform", text)], [], INTENTS, redact)
    [example] = result.examples["inform"]
    assert "dana.k" not in example and "4242" not in example and "7946" not in example
    assert example == (
        "my email is [someone@example.com](email), card [4111 1111 1111 1111](card_number),"
        " call [555-010-0199](phone)"
    )


def test_the_stand_ins_are_found_again_as_the_same_entities(redact):
    """So the annotations stay true for the spaCy pipeline that `rasa test` checks."""
    nlp = pii.build_nlp()
    for kind, stand_in in export.STAND_INS.items():
        [ent] = nlp(export.plain(stand_in)).ents
        assert ent.label_ == kind.lower()


@pytest.mark.parametrize(
    "text",
    [
        "where is my order",  # in data/nlu/orders.yml
        "Where is my order??",  # the same words
        "where is my orderr",  # a near-duplicate
    ],
)
def test_duplicates_and_near_duplicates_of_existing_examples_are_dropped(redact, text):
    existing = export.existing_examples(ROOT / "data" / "nlu")
    result = export.build([("track_order", text)], existing, INTENTS, redact)
    assert result.examples == {}
    assert result.duplicates == [(text, "where is my order")]


def test_a_message_accepted_twice_is_exported_once(redact):
    accepted = [("track_order", "parcel gone walkabout"), ("track_order", "Parcel gone walkabout!")]
    result = export.build(accepted, [], INTENTS, redact)
    assert result.examples == {"track_order": ["parcel gone walkabout"]}


def test_an_intent_the_domain_does_not_have_waits(redact):
    result = export.build([("gift_wrap", "can you wrap it")], [], INTENTS, redact)
    assert (result.examples, result.waiting) == ({}, [("gift_wrap", "can you wrap it")])


def test_the_export_is_rasa_nlu_data_with_its_entities(redact):
    result = export.build(
        [("track_order", "parcel gone walkabout"), ("inform", "it's bob@example.org")],
        [],
        INTENTS,
        redact,
    )
    data = RasaYAMLReader().reads(export.to_yaml(result))
    examples = {(m.get("text"), m.get("intent")) for m in data.intent_examples}
    assert examples == {
        ("parcel gone walkabout", "track_order"),
        ("it's someone@example.com", "inform"),
    }
    assert [e["entity"] for m in data.entity_examples for e in m.get("entities")] == ["email"]


def test_an_export_with_nothing_accepted_is_still_valid_rasa_data():
    assert RasaYAMLReader().reads(export.to_yaml(export.Export())).intent_examples == []


# -- suggested responses -------------------------------------------------------------------


def test_a_reply_typed_in_three_conversations_for_one_intent_is_suggested(redact):
    intents = {"a": "start_return", "b": "start_return", "c": "start_return", "d": "inform"}
    replies = [
        ("a", "I've started the return, the label is in your email."),
        ("b", "I've started the return, the label is in your email"),
        ("c", "I have started the return, the label is in your email."),
        ("d", "I've started the return, the label is in your email."),
        ("a", "Anything else?"),
        ("b", "Anything else?"),
    ]
    [found] = responses.suggest(intents, replies, redact)
    assert (found.intent, found.conversations) == ("start_return", 3)
    assert found.text == "I've started the return, the label is in your email."


def test_a_suggested_reply_is_redacted(redact):
    intents = {c: "inform" for c in "abc"}
    replies = [(c, "write to help.desk@northwind.example") for c in "abc"]
    assert responses.suggest(intents, replies, redact)[0].text == "write to [EMAIL_1]"


# -- the command, on real databases ---------------------------------------------------------


def handoff_ddl() -> str:
    """The handoff store's own tables (handoff/store/schema.py is plain text, no imports)."""
    spec = importlib.util.spec_from_file_location("schema", ROOT / "handoff/store/schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ddl("sqlite")


@pytest.fixture
async def stores(tmp_path):
    domain = Domain.load(ROOT / "domain.yml")
    tracker_db = tmp_path / "tracker.db"
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "track_order", "confidence": 0.3},
    ]
    events = [ActionExecuted("action_listen")]
    for text in ("parcel gone walkabout, mail me at dana@example.com", "where is my order"):
        parse = {"intent": ranking[0], "intent_ranking": ranking, "entities": []}
        events.append(UserUttered(text, ranking[0], [], parse))
    store = SQLiteTrackerStore(domain, db=str(tracker_db))
    await store.save(DialogueStateTracker.from_events("conv-1", events, domain.slots))
    store.engine.dispose()
    handoff_db = tmp_path / "handoff.db"
    with sqlite3.connect(handoff_db) as db:
        db.executescript(handoff_ddl())
        db.execute(
            "INSERT INTO messages VALUES ('conv-2', 4, 'message', 'customer', 'x', ?, 1.0)",
            (json.dumps({"text": "the box came crushed"}),),
        )
        db.execute("INSERT INTO nlu_labels VALUES ('conv-2', 'complaint', '[4]', 'ana', 2.0)")
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    (nlu / "orders.yml").write_text((ROOT / "data/nlu/orders.yml").read_text())
    return [
        "--tracker-db",
        str(tracker_db),
        "--database",
        f"sqlite:///{handoff_db}",
        "--nlu-dir",
        str(nlu),
        "--domain",
        str(ROOT / "domain.yml"),
    ], nlu / export.LEARNED


def run(args, *extra, answers=()):
    said: list[str] = []
    replies = iter(answers)
    code = cli.main([*extra, *args], ask=lambda _: next(replies), say=said.append)
    return code, "\n".join(said)


async def test_review_lists_items_grouped_by_intent_with_their_conversation(stores):
    args, _ = stores
    code, out = run(args, "list")
    assert code == 0
    assert out.index("complaint  (1)") < out.index("track_order  (2)")
    assert "'the box came crushed'  (marked by an agent)" in out
    assert "/agent#conversation=conv-1" in out
    assert "'parcel gone walkabout, mail me at [EMAIL_1]'" in out  # redacted, as agents see it


async def test_a_decisions_file_exports_the_accepted_redacted_and_not_duplicated(stores, tmp_path):
    args, learned = stores
    decisions = tmp_path / "decisions.yml"
    decisions.write_text(
        yaml.safe_dump(
            [
                {"item": "tracker:2", "decision": "accept"},
                {"item": "tracker:3", "decision": "accept"},  # "where is my order": a duplicate
                {"item": "label:conv-2:4", "decision": "relabel", "intent": "start_return"},
            ]
        )
    )
    code, out = run(args, "decide", "--decisions", str(decisions))
    assert code == 0, out
    data = RasaYAMLReader().reads(learned.read_text())
    assert sorted((m.get("intent"), m.get("text")) for m in data.intent_examples) == [
        ("start_return", "the box came crushed"),
        ("track_order", "parcel gone walkabout, mail me at someone@example.com"),
    ]
    assert "dana@example.com" not in learned.read_text()
    assert "left out 'where is my order'" in out
    assert run(args, "list")[1] == "Nothing to review."


async def test_review_in_the_terminal_asks_item_by_item(stores):
    args, learned = stores
    code, out = run(args, "decide", answers=["x", "r", "gift_wrap", "a", "q"])
    assert code == 0, out
    assert "gift_wrap is new: add it to domain.yml to export it" in out
    assert "3 decisions kept" in out
    assert "waiting for intent gift_wrap in domain.yml" in out
    assert "left out 'where is my order'" in out  # accepted, but a duplicate
    assert not learned.exists()  # nothing to export yet, so no file


async def test_a_decision_on_an_unknown_item_is_a_clear_error(stores, tmp_path, capsys):
    args, _ = stores
    decisions = tmp_path / "decisions.yml"
    decisions.write_text(yaml.safe_dump([{"item": "tracker:99", "decision": "accept"}]))
    assert run(args, "decide", "--decisions", str(decisions))[0] == 2
    assert "no review item 'tracker:99'" in capsys.readouterr().err


async def test_a_missing_handoff_store_is_a_clear_error(stores, capsys):
    args, _ = stores
    args[3] = "sqlite:////nonexistent/handoff.db"
    assert run(args, "list")[0] == 2
    assert "no database at" in capsys.readouterr().err
