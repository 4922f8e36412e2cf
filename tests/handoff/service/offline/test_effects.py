"""What each stored ownership change tells customers and agents, without any socket."""

import json

import pytest
from hubutil import FakeSocket, open_conversation

from handoff.service.effects import mask


async def _with_agent(hub, agent_id="ana"):
    await hub.store.create_agent(agent_id, agent_id.title(), ["*"], 2, "scrypt$1$1$1$00$00", 0.0)
    hub.desk.add_agent(agent_id, agent_id.title(), frozenset({"*"}), 2, frozenset({"en"}))
    hub.live.agents[agent_id] = ws = FakeSocket()
    await hub.command(lambda desk: desk.connect(agent_id, hub.clock()))
    return ws


async def _enqueue(hub, cid="c1"):
    await hub.command(
        lambda desk: desk.enqueue(cid, priority=2, team=None, now=hub.clock(), reason="handoff:x")
    )


async def test_joining_the_queue_with_nobody_online_says_so_and_offers_a_contact(hub):
    customer = await open_conversation(hub)
    await _enqueue(hub)
    # From the assistant: its part is over, so the customer is asked to rate it.
    assert customer.events() == ["queued", "offer_contact", "csat_request"]
    live = hub.live.get("c1")
    assert live.times_queued == 1
    # The queue status follows the events, once: it is remembered as sent.
    assert customer.types()[-1] == "queue" and customer.types().count("queue") == 1
    assert live.sent_queue == hub.queue_status("c1").key()


async def test_an_agent_who_takes_a_conversation_gets_it_with_redacted_values_masked(hub):
    customer = await open_conversation(hub)
    await hub.record("c1", "message", "customer", {"author": "You", "text": "mail a@b.co"})
    redactions = [{"placeholder": "[email_1]", "kind": "email", "value": "a@b.co"}]
    await hub.store.save_handoff("h1", "c1", {"redactions": redactions}, {}, hub.clock())
    agent = await _with_agent(hub)
    await _enqueue(hub)
    [assigned] = [f for f in agent.sent if f["type"] == "assigned"]
    assert assigned["conversation_id"] == "c1"
    texts = [m["text"] for m in assigned["transcript"] if m["type"] == "message"]
    assert texts == ["mail [email_1]"]
    assert customer.events()[-1] == "agent_joined"


async def test_a_hand_back_releases_the_agent_and_wakes_the_assistant_with_the_outcome(hub):
    customer = await open_conversation(hub)
    agent = await _with_agent(hub)
    await _enqueue(hub)
    hub.live.get("c1").outcome = {"agent_outcome": "refunded", "agent_name": "Ana"}
    await hub.command(lambda desk: desk.hand_back("ana", "c1", hub.clock()))
    await hub.relay.idle()
    assert {"type": "released", "conversation_id": "c1", "reason": "handed_back"} in agent.sent
    assert customer.events()[-1] == "handed_back"
    [(_, message, _)] = [c for c in hub.rasa.calls if c[1].startswith("/handback")]
    assert json.loads(message.removeprefix("/handback"))["agent_outcome"] == "refunded"
    assert hub.live.find("c1") is None or hub.live.get("c1").outcome is None
    assert hub.desk.get("c1").owner == "bot"


async def test_closing_asks_the_customer_for_a_rating_and_allows_one(hub):
    customer = await open_conversation(hub)
    await _with_agent(hub)
    await _enqueue(hub)
    await hub.command(lambda desk: desk.close("ana", "c1", "resolved", hub.clock()))
    assert customer.events()[-2:] == ["closed", "csat_request"]
    assert (await hub.store.get_conversation("c1"))["csat_pending"]


async def test_every_agent_sees_the_queue_change(hub):
    await open_conversation(hub)
    agent = await _with_agent(hub)
    hub.desk.agents["ana"].available = False  # online but busy: nothing is assigned
    agent.sent.clear()
    await _enqueue(hub)
    [queue] = [f for f in agent.sent if f["type"] == "queue"]
    assert [i["conversation_id"] for i in queue["items"]] == ["c1"]


@pytest.mark.parametrize(
    "text, masks, expected",
    [
        ("mail a@b.co", {"a@b.co": "[email]"}, "mail [email]"),
        ("card 4111 and 4111 1111", {"4111": "[x]", "4111 1111": "[card]"}, "card [x] and [card]"),
        ("nothing here", {"": "[empty]"}, "nothing here"),
        ("ann@x.io", {"ann@x.io": "[email]", "x.io": "[site]"}, "[email]"),
    ],
)
def test_masking_replaces_the_longest_values_first(text, masks, expected):
    assert mask(text, masks) == expected
