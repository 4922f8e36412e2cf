"""The store's insights queries read the same on SQLite and PostgreSQL."""

from handoff.core.outcomes import RESOLVED, Outcome


async def conversation(store, cid: str, *texts: str) -> list[int]:
    await store.create_conversation(cid, "resume", None, 1.0)
    seqs = []
    for text in texts:
        seq, _ = await store.append(cid, "message", "customer", {"text": text}, None, 1.0)
        seqs.append(seq)
    return seqs


async def test_failed_turns_come_with_their_customer_text_within_the_range(store):
    first, second, third = await conversation(store, "c1", "blorp", "where is my order", "zzz")
    await store.add_turn("c1", first, {"goal": "failed"}, 100.0)
    await store.add_turn("c1", second, {"goal": "met", "intent": "order_status"}, 110.0)
    await store.add_turn("c1", third, {"goal": "failed"}, 300.0)
    failed = await store.failed_turns(50.0, 200.0)
    assert [(t.conversation_id, t.seq, t.text, t.ts) for t in failed] == [
        ("c1", first, "blorp", 100.0)
    ]


async def test_failed_turns_of_one_team_are_those_of_its_conversations(store):
    (a,) = await conversation(store, "billing1", "refnd plz")
    (b,) = await conversation(store, "orders1", "wheres it")
    await store.add_turn("billing1", a, {"goal": "failed"}, 100.0)
    await store.add_turn("orders1", b, {"goal": "failed"}, 100.0)
    await store.save_outcome(Outcome("billing1", RESOLVED, 90.0, 100.0, team="billing"))
    await store.save_outcome(Outcome("orders1", RESOLVED, 90.0, 100.0, team="orders"))
    failed = await store.failed_turns(0.0, 1000.0, "billing")
    assert [t.text for t in failed] == ["refnd plz"]
    assert len(await store.failed_turns(0.0, 1000.0)) == 2


async def test_teams_are_those_of_agent_accounts_and_outcomes_without_the_wildcard(store):
    await store.create_agent("ana", "Ana", ["orders", "billing"], 2, "x", 0.0)
    await store.create_agent("sam", "Sam", ["*"], 2, "x", 0.0, role="supervisor")
    await store.save_outcome(Outcome("c1", RESOLVED, 1.0, 1.0, team="returns"))
    assert await store.teams() == ["billing", "orders", "returns"]
    assert (await store.get_agent("sam"))["role"] == "supervisor"
    assert (await store.get_agent("ana"))["role"] == "agent"
