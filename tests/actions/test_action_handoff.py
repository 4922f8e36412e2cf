"""The handoff action sends the full context to the handoff service and tells the customer why.

The service is a real aiohttp server on a free 127.0.0.1 port; the unreachable case points at
a port nothing listens on.
"""

import socket

import pytest
from aiohttp import web
from conftest import make_tracker, slot_events, texts

from actions.action_handoff import ActionHandoff
from actions.handoff_client import HandoffClient

TOKEN = "intake-secret"
TRIGGER = {
    "kind": "sentiment",
    "value": -0.82,
    "threshold": -0.6,
    "detail": "customer sentiment -0.82 is at or below -0.6",
}


def conversation():
    """Two customer turns and a bot turn, as Rasa sends them to the action server."""
    return [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {
            "event": "user",
            "text": "where is my refund for NW-10007",
            "timestamp": 2.0,
            "parse_data": {
                "intent": {"name": "return_status", "confidence": 0.93},
                "entities": [{"entity": "order_id", "value": "NW-10007"}],
                "sentiment": {"compound": -0.1},
            },
        },
        {"event": "bot", "text": "What email address did you use?", "timestamp": 3.0},
        {
            "event": "user",
            "text": "dana@example.com and this is a disgrace, I'm furious",
            "timestamp": 4.0,
            "parse_data": {
                "intent": {"name": "inform", "confidence": 0.88},
                "entities": [{"entity": "email", "value": "dana@example.com"}],
                "sentiment": {"compound": -0.82},
            },
        },
    ]


def tracker():
    return make_tracker(
        events=conversation(),
        text="dana@example.com and this is a disgrace, I'm furious",
        intent="inform",
        sentiment=-0.82,
        slots={
            "order_id": "NW-10007",
            "customer_id": "C1003",
            "verified": True,
            "verification_method": "order_email",
            "request": "return_status",
            "handoff_trigger": TRIGGER,
        },
        active_loop="order_form",
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    path = tmp_path / "outbox.db"
    monkeypatch.setenv("HANDOFF_INTAKE_TOKEN", TOKEN)
    monkeypatch.setenv("NW_HANDOFF_OUTBOX", str(path))
    return HandoffClient("http://127.0.0.1:1", TOKEN, path)


@pytest.fixture
def service_answer():
    """Fields the stand-in service adds to its answer (e.g. no agent online)."""
    return {}


@pytest.fixture
async def service(monkeypatch, outbox, service_answer):
    """A stand-in handoff service that records what it receives."""
    received = []

    async def intake(request):
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        body = await request.json()
        received.append(body)
        return web.json_response(
            {"handoff_id": body["handoff_id"], "status": "queued", "position": 1, **service_answer},
            status=201,
        )

    app = web.Application()
    app.router.add_post("/api/handoffs", intake)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    monkeypatch.setenv("HANDOFF_URL", f"http://127.0.0.1:{port}")
    yield received
    await runner.cleanup()


async def test_the_service_receives_every_turn_with_intent_and_sentiment(
    dispatcher, shop_db, service
):
    await ActionHandoff().run(dispatcher, tracker(), {})
    [context] = service
    assert [turn["sender"] for turn in context["turns"]] == ["customer", "bot", "customer"]
    assert context["turns"][2]["sentiment"] == -0.82
    assert context["turns"][0]["intent"] == "return_status"


async def test_the_context_carries_the_trigger_with_value_and_threshold(
    dispatcher, shop_db, service
):
    await ActionHandoff().run(dispatcher, tracker(), {})
    assert service[0]["trigger"]["kind"] == "sentiment"
    assert (service[0]["trigger"]["value"], service[0]["trigger"]["threshold"]) == (-0.82, -0.6)


async def test_the_context_carries_slots_verified_facts_risk_and_summary(
    dispatcher, shop_db, service
):
    await ActionHandoff().run(dispatcher, tracker(), {})
    context = service[0]
    assert context["slots"]["order_id"] == "NW-10007"
    assert context["customer"] == {
        "verified": True,
        "method": "order_email",
        "customer_id": "C1003",
        "name": "Dana Whitfield",
    }
    assert context["risk"]["tier"] == "escalation"
    assert context["risk"]["reasons"][0].startswith("angry customer (sentiment -0.82")
    assert context["topic"] == "refunds"
    assert "NW-10007" in context["summary"]


async def test_personal_data_reaches_the_service_only_as_placeholders(dispatcher, shop_db, service):
    await ActionHandoff().run(dispatcher, tracker(), {})
    assert "dana@example.com" not in str(service[0]["turns"])
    assert service[0]["redactions"][0]["value"] == "dana@example.com"


async def test_the_customer_is_told_a_person_is_coming_and_why(dispatcher, shop_db, service):
    events = await ActionHandoff().run(dispatcher, tracker(), {})
    [reply] = texts(dispatcher)
    assert "bringing in a person" in reply and "frustrating" in reply
    slots = slot_events(events)
    assert slots["handoff_status"] == "delivered"
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


async def test_an_unreachable_service_tells_the_customer_and_offers_a_contact(
    dispatcher, shop_db, outbox, monkeypatch
):
    monkeypatch.setenv("HANDOFF_URL", f"http://127.0.0.1:{free_port()}")
    events = await ActionHandoff().run(dispatcher, tracker(), {})
    [reply] = texts(dispatcher)
    assert "couldn't reach our team" in reply and "email address or phone number" in reply
    assert slot_events(events)["handoff_status"] == "failed"


async def test_an_unreachable_service_keeps_the_handoff_in_the_outbox_for_retry(
    dispatcher, shop_db, outbox, monkeypatch
):
    monkeypatch.setenv("HANDOFF_URL", f"http://127.0.0.1:{free_port()}")
    events = await ActionHandoff().run(dispatcher, tracker(), {})
    [waiting] = outbox.outbox()
    assert waiting["status"] == "pending"
    assert waiting["handoff_id"] == slot_events(events)["handoff_id"]


async def test_a_request_for_a_person_on_a_routine_case_gives_that_as_the_reason(
    dispatcher, shop_db, service
):
    tracker = make_tracker(text="/request_human", intent="request_human")
    await ActionHandoff().run(dispatcher, tracker, {})
    assert service[0]["risk"] == {
        "tier": "escalation",
        "reasons": ["the customer asked for a person"],
    }


def in_danger(text="The space heater I bought from you is smoking and sparking right now", **kw):
    return make_tracker(text=text, intent=kw.pop("intent", "harm_complaint"), **kw)


def said(dispatcher):
    """What the customer is told, in order: a domain response's name, or the text."""
    return [m.get("response") or m.get("text") for m in dispatcher.messages]


async def test_in_danger_the_safety_message_comes_before_the_handoff_announcement(
    dispatcher, shop_db, service
):
    events = await ActionHandoff().run(dispatcher, in_danger(), {})
    first, second = said(dispatcher)
    assert first == "utter_emergency_safety"
    assert "bringing in a person" in second and "safety comes first" in second
    assert slot_events(events)["emergency"] == "imminent danger: smoke and sparks"


async def test_in_danger_the_context_has_the_emergency_tier_and_the_danger_as_reason(
    dispatcher, shop_db, service
):
    await ActionHandoff().run(dispatcher, in_danger(), {})
    [context] = service
    assert context["risk"]["tier"] == "emergency"
    assert context["risk"]["reasons"][0] == "imminent danger: smoke and sparks"
    assert context["trigger"] == {
        "kind": "risk",
        "value": "emergency",
        "threshold": "assistance",
        "detail": "emergency: imminent danger: smoke and sparks",
    }


async def test_a_danger_mid_form_wins_over_the_trigger_recorded_and_ends_the_form(
    dispatcher, shop_db, service
):
    tracker = in_danger(
        "wait, the charger is on fire",
        intent="inform",
        slots={"handoff_trigger": TRIGGER},
        active_loop="order_form",
    )
    events = await ActionHandoff().run(dispatcher, tracker, {})
    assert said(dispatcher)[0] == "utter_emergency_safety"
    assert service[0]["risk"]["reasons"][0] == "imminent danger: fire"
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


async def test_a_threat_of_self_harm_gets_the_crisis_safety_message(dispatcher, shop_db, service):
    await ActionHandoff().run(
        dispatcher, in_danger("I want to kill myself", intent="emergency"), {}
    )
    assert said(dispatcher)[0] == "utter_emergency_safety_self_harm"
    assert service[0]["risk"]["reasons"][0] == "imminent danger: threat of self-harm"


@pytest.mark.parametrize(
    "answer",
    [{"agents_online": 0, "business_hours": True}, {"agents_online": 2, "business_hours": False}],
)
async def test_in_danger_with_nobody_to_take_it_the_customer_hears_what_happens_next(
    dispatcher, shop_db, service, service_answer, answer
):
    service_answer.update(answer)
    events = await ActionHandoff().run(dispatcher, in_danger(), {})
    assert said(dispatcher) == ["utter_emergency_safety", "utter_emergency_unstaffed"]
    assert slot_events(events)["handoff_status"] == "delivered"


async def test_in_danger_with_the_service_unreachable_safety_still_comes_first(
    dispatcher, shop_db, outbox, monkeypatch
):
    monkeypatch.setenv("HANDOFF_URL", f"http://127.0.0.1:{free_port()}")
    events = await ActionHandoff().run(dispatcher, in_danger(), {})
    first, second = said(dispatcher)
    assert first == "utter_emergency_safety" and "couldn't reach our team" in second
    assert slot_events(events)["handoff_status"] == "failed"


async def test_a_past_harm_is_an_escalation_without_the_safety_message(
    dispatcher, shop_db, service
):
    tracker = in_danger(
        "my son cut himself on it last week",
        slots={"risk_tier": "escalation", "risk_reasons": ["complaint about harm needs a person"]},
    )
    await ActionHandoff().run(dispatcher, tracker, {})
    assert "utter_emergency_safety" not in said(dispatcher)
    assert service[0]["risk"]["tier"] == "escalation"


LANGUAGE_TRIGGER = {
    "kind": "language",
    "value": "es",
    "threshold": "en",
    "detail": "the customer writes in a language other than English (es)",
}


def spanish_tracker():
    text = "hola, dónde está mi pedido"
    parse_data = {
        "intent": {"name": "nlu_fallback", "confidence": 0.3},
        "entities": [],
        "sentiment": {"compound": 0.0, "score": 0.0, "signals": []},
        "language": {"code": "es", "confidence": 1.0, "words": 5, "english_share": 0.0},
    }
    events = [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {"event": "user", "text": text, "timestamp": 2.0, "parse_data": parse_data},
    ]
    return make_tracker(
        events=events,
        text=text,
        intent="nlu_fallback",
        slots={"handoff_trigger": LANGUAGE_TRIGGER},
    )


async def test_a_customer_in_another_language_is_told_in_both_languages_and_handed_off(
    dispatcher, shop_db, service
):
    await ActionHandoff().run(dispatcher, spanish_tracker(), {})
    said = texts(dispatcher)
    assert said[0].startswith("Lo siento, solo hablo inglés")
    assert "I speak only English" in said[1]
    assert "bringing in a person" in said[-1]
    assert service[0]["language"] == "es"
    assert service[0]["trigger"]["kind"] == "language"


async def test_an_english_conversation_carries_language_en(dispatcher, shop_db, service):
    await ActionHandoff().run(dispatcher, tracker(), {})
    assert service[0]["language"] == "en"


async def test_the_frustration_signals_of_each_turn_reach_the_agent(dispatcher, shop_db, service):
    events = conversation()
    events[3]["parse_data"]["sentiment"] = {
        "compound": -0.3,
        "score": -0.8,
        "signals": ["caps", "waiting"],
    }
    angry = make_tracker(events=events, text=events[3]["text"], slots={"handoff_trigger": TRIGGER})
    await ActionHandoff().run(dispatcher, angry, {})
    customer = service[0]["turns"][2]
    assert (customer["sentiment"], customer["signals"]) == (-0.8, ["caps", "waiting"])
