"""The first message says it is an AI and how to reach a person; a signed id verifies."""

from conftest import make_tracker, slot_events, texts

from actions.action_session_start import ActionSessionStart
from contract.customer_token import sign_customer_token

SECRET = "test-secret"


async def run(dispatcher, **kwargs):
    return await ActionSessionStart().run(dispatcher, make_tracker(**kwargs), {})


async def test_the_first_message_says_it_is_an_ai_and_how_to_reach_a_person(
    dispatcher, shop_db, monkeypatch
):
    monkeypatch.setenv("CUSTOMER_TOKEN_SECRET", SECRET)
    await run(dispatcher, text="/session_start", intent="session_start")
    [message] = dispatcher.messages
    assert "AI assistant" in message["text"] and "not a person" in message["text"]
    assert "talk to a person" in message["text"]
    assert message["buttons"] == [{"title": "Talk to a person", "payload": "/request_human"}]


async def test_a_valid_customer_token_marks_the_customer_verified(dispatcher, shop_db, monkeypatch):
    monkeypatch.setenv("CUSTOMER_TOKEN_SECRET", SECRET)
    token = sign_customer_token("C1003", SECRET)
    events = await run(dispatcher, text="/session_start", metadata={"customer_token": token})
    slots = slot_events(events)
    assert slots["customer_id"] == "C1003"
    assert slots["verified"] is True and slots["verification_method"] == "signed_token"
    assert texts(dispatcher)[0].startswith("Hi Dana!")


async def test_a_token_signed_with_another_secret_is_ignored(dispatcher, shop_db, monkeypatch):
    monkeypatch.setenv("CUSTOMER_TOKEN_SECRET", SECRET)
    token = sign_customer_token("C1003", "someone-else")
    events = await run(dispatcher, text="/session_start", metadata={"customer_token": token})
    assert "verified" not in slot_events(events)


async def test_the_disclosure_is_not_repeated_when_rasa_runs_the_action_twice(
    dispatcher, shop_db, monkeypatch
):
    monkeypatch.setenv("CUSTOMER_TOKEN_SECRET", SECRET)
    events = await run(dispatcher, text="/session_start", slots={"ai_disclosed": True})
    assert dispatcher.messages == []
    assert events[0]["event"] == "session_started"
    assert events[-1] == {
        "event": "action",
        "name": "action_listen",
        "policy": None,
        "confidence": None,
        "timestamp": None,
    }
