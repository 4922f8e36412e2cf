"""The store behaves the same on SQLite and PostgreSQL."""

import asyncio

import pytest
from pgutil import drop_postgres, fresh_postgres_url

from handoff.core import AGENT, BOT, QUEUE, Conversation, OwnerChanged
from handoff.store import Conflict, open_store


async def test_a_conversation_is_created_once(store):
    assert await store.create_conversation("c1", "tok", None, 1.0)
    assert not await store.create_conversation("c1", "other", None, 2.0)
    row = await store.get_conversation("c1")
    assert (row["owner"], row["resume_token"]) == (BOT, "tok")


async def test_messages_are_numbered_from_one_in_order(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    seqs = [
        (await store.append("c1", "message", "customer", {"text": str(i)}, None, 1.0))[0]
        for i in range(3)
    ]
    assert seqs == [1, 2, 3]


async def test_a_repeated_client_id_is_stored_once_and_returns_the_same_seq(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    first = await store.append("c1", "message", "customer", {"text": "hi"}, "m-1", 1.0)
    again = await store.append("c1", "message", "customer", {"text": "hi"}, "m-1", 2.0)
    assert (first, again) == ((1, False), (1, True))
    assert len(await store.history("c1")) == 1


async def test_history_after_a_seq_returns_only_what_came_later_in_order(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    for i in range(5):
        await store.append("c1", "message", "bot", {"text": str(i)}, None, 1.0)
    assert [r["seq"] for r in await store.history("c1", after_seq=3)] == [4, 5]


async def test_concurrent_appends_never_share_a_seq(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    results = await asyncio.gather(
        *(
            store.append("c1", "message", "customer", {"text": str(i)}, f"m{i}", 1.0)
            for i in range(20)
        )
    )
    assert sorted(seq for seq, _ in results) == list(range(1, 21))


async def test_an_answer_is_stored_with_its_buttons_and_marks_the_input_relayed(store):
    """The assistant's replies, the buttons offered and the relayed mark land together."""
    await store.create_conversation("c1", "tok", None, 1.0)
    seq, _ = await store.append("c1", "message", "customer", {"text": "hi"}, "m-1", 1.0)
    buttons = [{"title": "Yes", "payload": "/affirm"}]
    bodies = [{"text": "one", "buttons": []}, {"text": "two", "buttons": buttons}]
    seqs = await store.append_replies("c1", bodies, 2.0, last_buttons=buttons, relayed_seq=seq)
    assert seqs == [2, 3]
    history = await store.history("c1")
    assert [(r["seq"], r["sender"], r["body"]["text"]) for r in history] == [
        (1, "customer", "hi"),
        (2, "bot", "one"),
        (3, "bot", "two"),
    ]
    row = await store.get_conversation("c1")
    assert (row["last_seq"], row["relayed_seq"], row["last_buttons"]) == (
        3,
        1,
        '[{"title": "Yes", "payload": "/affirm"}]',
    )
    assert await store.unrelayed("c1") == []


async def test_an_empty_answer_still_records_buttons_and_the_relayed_mark(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    seq, _ = await store.append("c1", "message", "customer", {"text": "hi"}, "m-1", 1.0)
    assert await store.append_replies("c1", [], 2.0, last_buttons=[], relayed_seq=seq) == []
    assert (await store.get_conversation("c1"))["relayed_seq"] == 1
    assert (await store.append("c1", "message", "customer", {"text": "x"}, None, 3.0))[0] == 2


async def test_concurrent_answers_and_appends_never_share_a_seq(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    two = [{"text": "a"}, {"text": "b"}]
    results = await asyncio.gather(
        *(
            store.append_replies("c1", two, 1.0, last_buttons=[], relayed_seq=None)
            for _ in range(5)
        ),
        *(store.append("c1", "message", "customer", {"text": "c"}, f"m{i}", 1.0) for i in range(5)),
    )
    seqs = [s for r in results[:5] for s in r] + [seq for seq, _ in results[5:]]
    assert sorted(seqs) == list(range(1, 16))


async def test_an_owner_change_is_persisted_and_audited_with_time_and_reason(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    conv = Conversation("c1", owner=QUEUE, priority=2, team="orders", rank=5.0, queued_at=5.0)
    await store.change_owner(
        OwnerChanged("c1", BOT, QUEUE, None, None, "handoff:sentiment", 5.0), conv
    )
    assert [(c.id, c.owner, c.priority, c.team) for c in await store.active_conversations()] == [
        ("c1", QUEUE, 2, "orders")
    ]
    [audit] = await store.transitions("c1")
    assert (audit["from_owner"], audit["to_owner"], audit["reason"], audit["changed_at"]) == (
        BOT,
        QUEUE,
        "handoff:sentiment",
        5.0,
    )


async def test_an_owner_change_from_a_stale_owner_is_refused(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    conv = Conversation("c1", owner=QUEUE)
    await store.change_owner(OwnerChanged("c1", BOT, QUEUE, None, None, "r", 1.0), conv)
    conv = Conversation("c1", owner=AGENT, agent_id="ana")
    await store.change_owner(OwnerChanged("c1", QUEUE, AGENT, None, "ana", "claimed", 2.0), conv)
    with pytest.raises(Conflict):
        await store.change_owner(
            OwnerChanged("c1", QUEUE, AGENT, None, "ben", "claimed", 2.0), conv
        )
    assert (await store.get_conversation("c1"))["agent_id"] == "ana"


async def test_a_handoff_id_is_saved_once_and_its_answer_kept(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    body = {
        "handoff_id": "h1",
        "redactions": [{"placeholder": "[EMAIL_1]", "kind": "email", "value": "a@b.c"}],
    }
    assert await store.save_handoff("h1", "c1", body, {"position": 1}, 1.0)
    assert not await store.save_handoff("h1", "c1", body, {"position": 9}, 2.0)
    assert (await store.get_handoff("h1"))["response"] == {"position": 1}


async def test_redactions_are_kept_out_of_the_stored_context(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    body = {
        "handoff_id": "h1",
        "summary": "s",
        "redactions": [{"placeholder": "[EMAIL_1]", "value": "a@b.c"}],
    }
    await store.save_handoff("h1", "c1", body, {}, 1.0)
    row = await store.get_conversation("c1")
    assert "a@b.c" not in row["context"] and "redactions" not in row["context"]


async def test_a_reveal_returns_the_original_value_and_is_logged(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    body = {"handoff_id": "h1", "redactions": [{"placeholder": "[EMAIL_1]", "value": "a@b.c"}]}
    await store.save_handoff("h1", "c1", body, {}, 1.0)
    assert await store.reveal("c1", "[EMAIL_1]", "ana", 7.0) == "a@b.c"
    assert await store.reveal("c1", "[PHONE_1]", "ana", 7.0) is None
    assert await store.reveals("c1") == [
        {"placeholder": "[EMAIL_1]", "agent_id": "ana", "revealed_at": 7.0}
    ]


async def test_an_expired_or_unknown_token_finds_no_agent(store):
    await store.create_agent("ana", "Ana", ["orders"], 2, "hash", 1.0)
    await store.save_token("t-hash", "ana", 100.0)
    assert (await store.agent_for_token("t-hash", 50.0))["name"] == "Ana"
    assert await store.agent_for_token("t-hash", 100.0) is None
    assert await store.agent_for_token("other", 50.0) is None


async def test_a_disabled_agent_loses_its_tokens(store):
    await store.create_agent("ana", "Ana", ["orders"], 2, "hash", 1.0)
    await store.save_token("t-hash", "ana", 100.0)
    assert await store.set_agent_disabled("ana", True)
    assert await store.agent_for_token("t-hash", 50.0) is None


async def test_csat_keeps_bot_and_agent_turn_counts_apart(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    for sender in ("bot", "bot", "customer", "agent"):
        await store.append("c1", "message", sender, {}, None, 1.0)
    await store.add_csat("c1", 4, "ok", "ana", "resolved", await store.count_turns("c1"), 9.0)
    [row] = await store.csat_scores("c1")
    assert (row["score"], row["bot_turns"], row["agent_turns"], row["agent_id"]) == (4, 2, 1, "ana")


async def test_the_assistants_rating_is_asked_once_and_each_part_is_kept_apart(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    assert not await store.csat_asked("c1", "assistant")
    assert await store.ask_csat("c1", "assistant")
    assert not await store.ask_csat("c1", "assistant")  # once per conversation
    assert await store.ask_csat("c1", "person")
    assert await store.csat_asked("c1", "assistant") and await store.csat_asked("c1", "person")
    await store.add_csat("c1", 3, None, None, None, {}, 2.0, part="assistant")
    assert not await store.csat_asked("c1", "assistant") and await store.csat_asked("c1", "person")
    assert not await store.ask_csat("c1", "assistant")  # given, still never asked again
    await store.add_csat("c1", 5, None, "ana", "resolved", {}, 3.0)
    assert [(r["part"], r["score"]) for r in await store.csat_scores("c1")] == [
        ("assistant", 3),
        ("person", 5),
    ]
    with pytest.raises(ValueError, match="unknown rating part"):
        await store.ask_csat("c1", "robot")


async def test_a_contact_with_the_same_client_id_is_stored_once(store):
    await store.create_conversation("c1", "tok", None, 1.0)
    assert await store.add_contact("c1", "k1", {"name": "Dana", "email": "d@example.com"}, 1.0)
    assert not await store.add_contact("c1", "k1", {"name": "Dana"}, 2.0)
    assert [c["email"] for c in await store.list_contacts()] == ["d@example.com"]


async def test_claim_next_takes_the_best_waiting_conversation_for_the_agent_teams(store):
    for cid, prio, team, rank in [
        ("a", 4, "orders", 1.0),
        ("b", 2, "billing", 2.0),
        ("c", 2, "orders", 3.0),
    ]:
        await store.create_conversation(cid, "t", None, 1.0)
        await store.change_owner(
            OwnerChanged(cid, BOT, QUEUE, None, None, "r", rank),
            Conversation(cid, QUEUE, None, prio, team, rank, rank),
        )
    assert await store.claim_next("ana", ["orders"], 5.0) == "c"
    assert await store.claim_next("ana", ["orders"], 5.0) == "a"
    assert await store.claim_next("ana", ["orders"], 5.0) is None
    assert await store.claim_next("ben", ["*"], 5.0) == "b"


@pytest.mark.postgres
async def test_two_instances_claiming_at_once_never_get_the_same_conversation(pg_url):
    """Two stores on one PostgreSQL stand for two service instances."""
    url = pg_url
    one, two = open_store(url), open_store(url)
    await one.open()
    await two.open()
    try:
        for i in range(10):
            await one.create_conversation(f"c{i}", "t", None, 1.0)
            await one.change_owner(
                OwnerChanged(f"c{i}", BOT, QUEUE, None, None, "r", float(i)),
                Conversation(f"c{i}", QUEUE, None, 2, None, float(i), float(i)),
            )
        claims = await asyncio.gather(
            *(s.claim_next(f"agent{i}", ["*"], 5.0) for i, s in enumerate([one, two] * 8))
        )
        taken = [c for c in claims if c is not None]
        assert len(taken) == len(set(taken)) == 10
    finally:
        await one.close()
        await two.close()


@pytest.mark.postgres
async def test_two_instances_racing_to_assign_one_conversation_leave_exactly_one_owner(pg_url):
    url = pg_url
    one, two = open_store(url), open_store(url)
    await one.open()
    await two.open()
    try:
        await one.create_conversation("c1", "t", None, 1.0)
        await one.change_owner(
            OwnerChanged("c1", BOT, QUEUE, None, None, "r", 1.0), Conversation("c1", QUEUE)
        )
        results = await asyncio.gather(
            one.change_owner(
                OwnerChanged("c1", QUEUE, AGENT, None, "ana", "claimed", 2.0),
                Conversation("c1", AGENT, "ana"),
            ),
            two.change_owner(
                OwnerChanged("c1", QUEUE, AGENT, None, "ben", "claimed", 2.0),
                Conversation("c1", AGENT, "ben"),
            ),
            return_exceptions=True,
        )
        assert sorted(type(r).__name__ for r in results) == ["Conflict", "NoneType"]
        assert len(await one.transitions("c1")) == 2
    finally:
        await one.close()
        await two.close()


async def test_only_one_store_at_a_time_leads_a_database_and_the_next_takes_over_when_it_closes(
    store, tmp_path
):
    url = f"sqlite:///{tmp_path}/store.db" if store.dialect == "sqlite" else store.driver.url
    other = open_store(url)
    await other.open()
    try:
        assert await store.try_lead()
        assert not await other.try_lead()
        await store.close()
        assert await other.try_lead()
    finally:
        await other.close()
        await store.open()  # the fixture closes it again


@pytest.mark.postgres
async def test_a_leader_whose_database_session_ends_knows_it_no_longer_leads(pg_url):
    import asyncpg

    store = open_store(pg_url)
    await store.open()
    try:
        assert await store.try_lead() and await store.still_leading()
        admin = await asyncpg.connect(pg_url)
        await admin.execute("SELECT pg_terminate_backend($1)", store.driver.leader_pid())
        await admin.close()
        assert not await store.still_leading()
    finally:
        await store.close()


@pytest.mark.postgres
async def test_services_in_different_schemas_of_one_database_both_lead(pg_url):
    other_url, other_schema = await fresh_postgres_url()
    one, two = open_store(pg_url), open_store(other_url)
    await one.open()
    await two.open()
    try:
        assert await one.try_lead() and await two.try_lead()
    finally:
        await one.close()
        await two.close()
        await drop_postgres(other_schema)


async def test_an_agent_keeps_the_languages_it_speaks_and_speaks_english_by_default(store):
    await store.create_agent("ana", "Ana", ["orders"], 2, "hash", 1.0, ["es", "en"])
    await store.create_agent("ben", "Ben", ["orders"], 2, "hash", 1.0)
    assert (await store.get_agent("ana"))["languages"] == ["es", "en"]
    assert [a["languages"] for a in await store.list_agents()] == [["es", "en"], ["en"]]


async def test_a_database_from_before_agent_languages_gets_the_column_on_open(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, teams TEXT NOT NULL,"
            " capacity INTEGER NOT NULL, password_hash TEXT NOT NULL,"
            " disabled INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL)"
        )
        db.execute("INSERT INTO agents VALUES ('ana', 'Ana', '[\"*\"]', 2, 'hash', 0, 1.0)")
    store = open_store(f"sqlite:///{path}")
    await store.open()
    try:
        assert (await store.get_agent("ana"))["languages"] == ["en"]
        await store.close()
        await store.open()  # a second open finds the column and adds nothing
        assert (await store.get_agent("ana"))["languages"] == ["en"]
    finally:
        await store.close()
