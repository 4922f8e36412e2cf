"""Handoff intake from the action server: authenticated, idempotent, validated."""

import asyncio

import pytest
from fakerasa import INTAKE_TOKEN, handoff_body
from promutil import sample
from wsutil import cid

AUTH = {"Authorization": f"Bearer {INTAKE_TOKEN}"}


async def test_a_handoff_without_the_bearer_token_is_refused(service):
    response = await service.post("/api/handoffs", json=handoff_body(cid()))
    assert response.status == 401


async def test_a_handoff_with_a_wrong_token_is_refused(service):
    response = await service.post(
        "/api/handoffs", json=handoff_body(cid()), headers={"Authorization": "Bearer wrong"}
    )
    assert response.status == 401


async def test_a_handoff_for_an_unknown_conversation_is_queued_anyway(service, hub):
    conversation = cid()
    response = await service.post("/api/handoffs", json=handoff_body(conversation), headers=AUTH)
    body = await response.json()
    assert response.status == 201
    assert (body["status"], body["position"], body["conversation_id"]) == (
        "queued",
        1,
        conversation,
    )
    assert hub.desk.get(conversation).owner == "queue"


async def test_the_same_handoff_twice_is_one_handoff_with_the_same_answer(service, hub):
    conversation = cid()
    first = await service.post("/api/handoffs", json=handoff_body(conversation), headers=AUTH)
    second = await service.post("/api/handoffs", json=handoff_body(conversation), headers=AUTH)
    assert (first.status, second.status) == (201, 200)
    assert await first.json() == await second.json()
    audit = await hub.store.transitions(conversation)
    assert [(t["from_owner"], t["to_owner"]) for t in audit] == [("bot", "queue")]


async def test_the_same_handoff_posted_concurrently_is_still_one_handoff(service, hub):
    conversation = cid()
    responses = await asyncio.gather(
        *(
            service.post("/api/handoffs", json=handoff_body(conversation), headers=AUTH)
            for _ in range(5)
        )
    )
    assert sorted(r.status for r in responses) == [200, 200, 200, 200, 201]
    assert len(await hub.store.transitions(conversation)) == 1


async def test_a_body_that_is_not_json_is_a_bad_request(service):
    response = await service.post("/api/handoffs", data="{not json", headers=AUTH)
    assert (response.status, (await response.json())["error"]) == (400, "bad_request")


async def test_a_body_missing_the_trigger_names_the_field(service):
    body = handoff_body(cid())
    del body["trigger"]
    response = await service.post("/api/handoffs", json=body, headers=AUTH)
    assert response.status == 400 and "trigger" in (await response.json())["message"]


async def test_an_unknown_risk_tier_is_a_bad_request(service):
    body = handoff_body(cid(), tier="urgent")
    response = await service.post("/api/handoffs", json=body, headers=AUTH)
    assert response.status == 400 and "risk.tier" in (await response.json())["message"]


async def test_an_angry_customer_goes_ahead_of_an_earlier_calm_request(service, hub):
    calm, angry = cid(), cid()
    body = handoff_body(calm, kind="customer_request", tier="assistance", sentiment=0.2)
    await service.post("/api/handoffs", json=body, headers=AUTH)
    await service.post(
        "/api/handoffs", json=handoff_body(angry, tier="escalation", sentiment=-0.9), headers=AUTH
    )
    assert [c.id for c in hub.desk.queue()] == [angry, calm]


async def test_the_topic_picks_the_team(service, hub):
    conversation = cid()
    await service.post(
        "/api/handoffs", json=handoff_body(conversation, topic="orders"), headers=AUTH
    )
    assert hub.desk.get(conversation).team == "orders"


async def test_handoffs_are_counted_by_reason_in_the_metrics(service):
    await service.post("/api/handoffs", json=handoff_body(cid(), kind="sentiment"), headers=AUTH)
    text = await (await service.get("/metrics")).text()
    assert sample(text, "handoff_handoffs_total", reason="sentiment") == 1
    assert sample(text, "handoff_handoffs_total", reason="risk") == 0
    assert sample(text, "handoff_queue_length") == 1


async def test_the_conversation_language_reaches_the_desk(service, hub):
    conversation = cid()
    body = {**handoff_body(conversation, kind="language"), "language": "es"}
    response = await service.post("/api/handoffs", json=body, headers=AUTH)
    assert response.status == 201
    assert hub.desk.get(conversation).language == "es"
    assert hub.live.get(conversation).context["language"] == "es"


@pytest.mark.parametrize("language", ["spanish", "ES", "e1", 7, ""])
async def test_a_language_that_is_not_an_iso_code_is_a_bad_request(service, language):
    body = {**handoff_body(cid()), "language": language}
    response = await service.post("/api/handoffs", json=body, headers=AUTH)
    assert response.status == 400 and "language" in (await response.json())["message"]


async def test_the_assistants_intents_reach_the_agents_context(service, hub):
    conversation = cid()
    body = {**handoff_body(conversation), "intents": ["greet", "track_order"]}
    response = await service.post("/api/handoffs", json=body, headers=AUTH)
    assert response.status == 201
    assert hub.live.get(conversation).context["intents"] == ["greet", "track_order"]


@pytest.mark.parametrize("intents", ["greet", [1], [""], {"greet": 1}])
async def test_intents_that_are_not_a_list_of_names_are_a_bad_request(service, intents):
    body = {**handoff_body(cid()), "intents": intents}
    response = await service.post("/api/handoffs", json=body, headers=AUTH)
    assert response.status == 400 and "intents" in (await response.json())["message"]
