"""Outcomes and turn facts are stored and read back the same on SQLite and PostgreSQL."""

import dataclasses

from handoff.core.outcomes import ABANDONED_QUEUE, CONTAINED, OPEN, RESOLVED, Outcome


def outcome(cid: str, started: float, **fields) -> Outcome:
    return Outcome(cid, fields.pop("ending", OPEN), started, started, **fields)


async def test_an_outcome_reads_back_as_written_and_is_replaced_by_the_next(store):
    first = outcome("c1", 10.0, customer_turns=2, topic="order_status")
    await store.save_outcome(first)
    assert await store.get_outcome("c1") == first
    later = dataclasses.replace(
        first,
        ending=RESOLVED,
        final=True,
        resolution="refund",
        wait_seconds=12.5,
        recontacted=True,
        agent_rating=5,
        updated_at=99.0,
    )
    await store.save_outcome(later)
    assert await store.get_outcome("c1") == later
    assert await store.get_outcome("c2") is None


async def test_outcomes_are_listed_by_start_time_within_the_range_and_team(store):
    await store.save_outcome(outcome("a", 100.0, ending=CONTAINED, final=True))
    await store.save_outcome(outcome("b", 200.0, ending=RESOLVED, team="billing"))
    await store.save_outcome(outcome("c", 300.0, ending=ABANDONED_QUEUE, team="orders"))
    assert [o.conversation_id for o in await store.list_outcomes()] == ["a", "b", "c"]
    listed = await store.list_outcomes(since=150.0, until=300.0)
    assert [o.conversation_id for o in listed] == ["b"]
    assert [o.conversation_id for o in await store.list_outcomes(team="orders")] == ["c"]


async def test_a_turn_fact_is_kept_once_per_customer_message(store):
    await store.add_turn("c1", 3, {"intent": "order_status", "goal": "met"}, 5.0)
    await store.add_turn("c1", 3, {"intent": "greet", "goal": "failed"}, 6.0)
    await store.add_turn("c1", 1, {"goal": "failed", "confidence": 0.31}, 4.0)
    turns = await store.turns("c1")
    assert [(t["seq"], t["intent"], t["goal"]) for t in turns] == [
        (1, None, "failed"),
        (3, "order_status", "met"),
    ]
    assert turns[0]["confidence"] == 0.31


async def test_earlier_outcomes_are_the_same_customers_by_any_key_within_the_window(store):
    await store.save_outcome(outcome("by-id", 100.0, customer_id="C1"))
    await store.save_outcome(outcome("by-email", 200.0, email_hash="e1"))
    await store.save_outcome(outcome("by-order", 300.0, order_ref="NW-10001"))
    await store.save_outcome(outcome("someone-else", 350.0, customer_id="C2", email_hash="e2"))
    await store.save_outcome(outcome("too-old", 10.0, customer_id="C1"))
    await store.save_outcome(outcome("later", 900.0, customer_id="C1"))
    now = outcome("now", 400.0, customer_id="C1", email_hash="e1", order_ref="NW-10001")
    await store.save_outcome(now)
    found = await store.earlier_outcomes(now, since=50.0)
    assert [o.conversation_id for o in found] == ["by-order", "by-email", "by-id"]
    assert await store.earlier_outcomes(outcome("nobody", 400.0), since=0.0) == []


async def test_unsettled_outcomes_are_those_not_final(store):
    await store.save_outcome(outcome("a", 1.0))
    await store.save_outcome(outcome("b", 2.0, ending=CONTAINED, final=True))
    assert [o.conversation_id for o in await store.unsettled_outcomes()] == ["a"]


async def test_a_conversations_handoffs_and_contacts_are_read_oldest_first(store):
    await store.create_conversation("c1", "t", None, 1.0)
    await store.save_handoff("h2", "c1", {"topic": "orders", "customer": {}}, {}, 5.0)
    await store.save_handoff(
        "h1",
        "c1",
        {"topic": "refunds", "customer": {"verified": True, "customer_id": "C7"}},
        {},
        2.0,
    )
    rows = await store.handoff_rows("c1")
    assert [(r["body"]["topic"], r["customer_id"]) for r in rows] == [
        ("refunds", "C7"),
        ("orders", None),
    ]
    await store.add_contact("c1", "k2", {"phone": "555"}, 9.0)
    await store.add_contact("c1", "k1", {"email": "a@b.co"}, 8.0)
    assert [c["email"] for c in await store.contacts_of("c1")] == ["a@b.co", None]
    assert await store.contacts_of("c2") == []
