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
