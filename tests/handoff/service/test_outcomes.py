"""Outcomes through the real app: kept in the store as the conversation goes, settled once the
customer has been gone, counted in /metrics once, and a recontact seen and raised."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from fakerasa import INTAKE_TOKEN, handoff_body
from promutil import sample, samples
from wsutil import agent, customer, event, of, until

from handoff.core.outcomes import (
    ABANDONED_QUEUE,
    CONTACT,
    CONTAINED,
    HANDED_BACK_CONTAINED,
    OPEN,
    RESOLVED,
    Outcome,
)
from handoff.service.outcomes import DAY, DEBOUNCE_SECONDS

AUTH = {"Authorization": f"Bearer {INTAKE_TOKEN}"}
SETTLE = 0.5


@pytest.fixture
def settings(settings):
    return settings.with_changes(outcome_settle_seconds=SETTLE)


async def stored(hub, cid, check, timeout=3.0) -> Outcome:
    """The stored outcome once ``check`` holds for it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        outcome = await hub.store.get_outcome(cid)
        if outcome is not None and check(outcome):
            return outcome
        if loop.time() > deadline:
            raise AssertionError(f"outcome of {cid} is still {outcome}")
        await asyncio.sleep(0.05)


async def queued(service, **body):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    cid = welcome["conversation_id"]
    response = await service.post("/api/handoffs", json=handoff_body(cid, **body), headers=AUTH)
    assert response.status == 201
    return ws, cid


async def closed_by_agent(service, ws_agent, topic="refunds"):
    ws, cid = await queued(service, topic=topic)
    await until(ws_agent, lambda f: f.get("type") == "assigned" and f["conversation_id"] == cid)
    await ws_agent.send_json({"type": "close", "conversation_id": cid, "resolution": "refunded"})
    await until(ws, lambda f: event("csat_request")(f) and f.get("part") == "person")
    return ws, cid


async def test_the_assistant_meeting_the_goal_is_contained_once_the_customer_has_gone(service, hub):
    ws, welcome = await customer(service)
    cid = welcome["conversation_id"]
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "where is my order"})
    await until(ws, of("ack"))
    await hub.store.add_turn(cid, 2, {"intent": "track_order", "goal": "met"}, hub.clock())
    open_now = await stored(hub, cid, lambda o: o.customer_turns == 1)
    assert (open_now.ending, open_now.final) == (CONTAINED, False)
    await ws.close()
    final = await stored(hub, cid, lambda o: o.final)
    assert final.ending == CONTAINED and final.ended_at is not None
    assert final.first_answer_seconds is not None and final.wait_seconds is None
    metrics = await (await service.get("/metrics")).text()
    assert sample(metrics, "handoff_outcomes_total", ending="contained", team="none") == 1
    assert sample(metrics, "handoff_first_contact_resolved_total", team="none") == 1
    assert sample(metrics, "handoff_wait_seconds_count") == 0


async def test_a_close_by_an_agent_is_final_at_once_and_the_ratings_after_it_still_count(
    service, hub, make_agent
):
    ws_agent, _ = await agent(service, await make_agent("ana"))
    ws, cid = await closed_by_agent(service, ws_agent)
    outcome = await hub.store.get_outcome(cid)
    assert (outcome.ending, outcome.final, outcome.resolution) == (RESOLVED, True, "refunded")
    assert (outcome.agent_id, outcome.handoffs, outcome.trigger) == ("ana", 1, "sentiment")
    assert outcome.wait_seconds is not None and outcome.handle_seconds is not None
    assert (outcome.customer_id, outcome.topic, outcome.order_ref) == (
        "C1003",
        "refunds",
        "NW-10007",
    )
    await ws.send_json({"type": "csat", "score": 4, "comment": None})
    await until(ws, event("csat_received"))
    await ws.send_json({"type": "csat", "score": 2, "comment": None, "part": "assistant"})
    await until(ws, event("csat_received"))
    rated = await stored(hub, cid, lambda o: o.bot_rating is not None and o.agent_rating)
    assert (rated.bot_rating, rated.agent_rating) == (2, 4)
    assert (rated.ending, rated.ended_at) == (RESOLVED, outcome.ended_at)
    metrics = await (await service.get("/metrics")).text()
    outcomes = sample(metrics, "handoff_outcomes_total", ending="resolved", team="refunds")
    assert outcomes == 1  # counted once, not again for the rating
    assert sample(metrics, "handoff_handle_seconds_count") == 1
    assert sample(metrics, "handoff_ratings_total", part="person", score="4") == 1


async def test_leaving_the_queue_is_abandoned_after_the_settle_time_not_before(service, hub):
    ws, cid = await queued(service)
    await ws.close()
    early = await stored(hub, cid, lambda o: True)
    assert (early.ending, early.final) in ((OPEN, False), (ABANDONED_QUEUE, True))
    final = await stored(hub, cid, lambda o: o.final)
    assert final.ending == ABANDONED_QUEUE
    assert final.ended_at - final.started_at < 5 and final.wait_seconds < 5


async def test_a_contact_left_while_waiting_ends_as_a_contact(service, hub):
    ws, cid = await queued(service)
    await ws.send_json({"type": "contact", "client_id": "k1", "email": "dana@example.com"})
    await until(ws, event("contact_saved"))
    await ws.close()
    final = await stored(hub, cid, lambda o: o.final)
    assert final.ending == CONTACT


async def test_handed_back_and_then_met_by_the_assistant(service, hub, make_agent):
    ws_agent, _ = await agent(service, await make_agent("ana"))
    ws, cid = await queued(service)
    await until(ws_agent, of("assigned", conversation_id=cid))
    await ws_agent.send_json({"type": "handback", "conversation_id": cid, "outcome": "refunded"})
    await until(ws, event("handed_back"))
    await hub.store.add_turn(cid, 99, {"intent": "thank", "goal": "met"}, hub.clock() + 1)
    await ws.close()
    final = await stored(hub, cid, lambda o: o.final)
    assert (final.ending, final.handoffs) == (HANDED_BACK_CONTAINED, 1)
    assert final.handle_seconds is not None


async def test_a_burst_of_messages_costs_one_recompute(service, hub, monkeypatch):
    ws, welcome = await customer(service)
    cid = welcome["conversation_id"]
    await until(ws, of("message", sender="bot"))
    calls = []
    update = hub.outcomes.update

    async def counted(conversation_id):
        calls.append(conversation_id)
        return await update(conversation_id)

    monkeypatch.setattr(hub.outcomes, "update", counted)
    for n in range(5):
        await ws.send_json({"type": "message", "client_id": f"m{n}", "text": f"hello {n}"})
    await stored(hub, cid, lambda o: o.customer_turns == 5)
    await asyncio.sleep(DEBOUNCE_SECONDS + 0.2)
    assert calls == [cid]


async def test_after_a_restart_the_sweep_settles_what_the_customer_left_long_ago(hub):
    now = hub.clock()
    for cid, last in (("old", now - 60.0), ("recent", now - 0.1)):
        await hub.store.create_conversation(cid, "token", None, last - 5.0)
        await hub.store.append(cid, "message", "customer", {"text": "hi"}, None, last)
        await hub.store.add_turn(cid, 1, {"goal": "open"}, last)
        await hub.store.save_outcome(Outcome(cid, OPEN, last - 5.0, last))
    await hub.outcomes.sweep()
    old, recent = await hub.store.get_outcome("old"), await hub.store.get_outcome("recent")
    assert (old.ending, old.final, old.ended_at) == ("abandoned_bot", True, now - 60.0)
    assert (recent.ending, recent.final) == (OPEN, False)


async def test_a_recontact_about_the_same_topic_is_linked_raised_and_shown_to_the_agent(
    service, hub, make_agent
):
    ws_agent, _ = await agent(service, await make_agent("ana", capacity=1))
    ws_first, first = await closed_by_agent(service, ws_agent)
    await ws_first.close()
    await ws_agent.send_json({"type": "status", "available": False})
    _, second = await queued(service)
    outcome = await hub.store.get_outcome(second)
    assert outcome.recontact_of == first and 0 <= outcome.recontact_days < 0.01
    earlier = await hub.store.get_outcome(first)
    assert earlier.recontacted and not earlier.first_contact_resolved
    assert hub.desk.get(second).priority == 2  # angry is 3: one step up
    queue = await until(ws_agent, lambda f: f.get("type") == "queue" and f["items"])
    assert "Came back about the same thing" in queue["items"][0]["also"]
    await ws_agent.send_json({"type": "claim", "conversation_id": second})
    assigned = await until(ws_agent, of("assigned", conversation_id=second))
    recontact = assigned["recontact"]
    assert (recontact["conversation_id"], recontact["topic"]) == (first, "refunds")
    assert recontact["ending"] == RESOLVED and recontact["transcript"]
    assert all(set(m) == {"sender", "text", "at"} for m in recontact["transcript"])


async def test_another_topic_or_a_return_after_the_window_is_no_recontact(service, hub, make_agent):
    ws_agent, _ = await agent(service, await make_agent("ana", capacity=3))
    ws_first, first = await closed_by_agent(service, ws_agent)
    await ws_first.close()
    _, other_topic = await queued(service, topic="orders")
    assert (await hub.store.get_outcome(other_topic)).recontact_of is None
    earlier = await hub.store.get_outcome(first)
    days = hub.settings.recontact_days
    long_ago = earlier.started_at - (days + 1) * DAY
    await hub.store.save_outcome(dataclasses.replace(earlier, started_at=long_ago))
    _, late = await queued(service)
    assert (await hub.store.get_outcome(late)).recontact_of is None
    assert not (await hub.store.get_outcome(first)).recontacted


async def test_a_conversation_still_going_on_elsewhere_is_no_recontact(service, hub):
    _, first = await queued(service)  # its customer is still connected
    _, second = await queued(service)
    assert (await hub.store.get_outcome(second)).recontact_of is None
    assert not (await hub.store.get_outcome(first)).recontacted
    assert hub.desk.get(second).priority == 3


async def test_updates_at_the_same_time_count_a_final_outcome_once(hub):
    now = hub.clock()
    await hub.store.create_conversation("gone", "token", None, now - 100.0)
    await hub.store.append("gone", "message", "customer", {"text": "hi"}, None, now - 90.0)
    await hub.store.add_turn("gone", 1, {"goal": "failed"}, now - 90.0)
    results = await asyncio.gather(*(hub.outcomes.update("gone") for _ in range(3)))
    assert all(r.final for r in results)
    text = hub.metrics.render().decode()
    counted = {
        labels: value
        for (name, labels), value in samples(text).items()
        if name == "handoff_outcomes_total" and value
    }
    assert counted == {frozenset({("ending", "abandoned_bot"), ("team", "none")}): 1}
    assert hub.outcomes.locks == {}


async def test_an_unknown_conversation_has_no_outcome(hub):
    assert await hub.outcomes.update("nobody") is None
    assert await hub.store.get_outcome("nobody") is None
