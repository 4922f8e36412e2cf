"""The live registry: one record per conversation, and the one method every frame leaves by."""

from hubutil import FakeSocket

from handoff.frames import Pong, Released, TypingShown
from handoff.service.live import LiveRegistry, ToAgent, ToCustomer


def test_a_record_is_created_on_first_use_and_found_afterwards():
    live = LiveRegistry()
    assert live.find("c1") is None
    record = live.get("c1")
    assert live.get("c1") is record and live.find("c1") is record


def test_forgetting_a_conversation_drops_everything_held_about_it():
    live = LiveRegistry()
    record = live.get("c1")
    record.context, record.buttons, record.times_queued = {"summary": "x"}, [], 2
    live.forget("c1")
    assert live.find("c1") is None
    assert live.get("c1").context is None and live.get("c1").times_queued == 0


def test_setting_a_customer_token_remembers_that_it_is_known_even_when_none():
    record = LiveRegistry().get("c1")
    assert not record.token_known
    record.set_customer_token(None)
    assert record.token_known and record.customer_token is None


async def test_a_frame_for_a_customer_reaches_only_that_customers_socket():
    live = LiveRegistry()
    mine, other = FakeSocket(), FakeSocket()
    live.get("c1").customer, live.get("c2").customer = mine, other
    await live.send(ToCustomer("c1"), TypingShown("bot", True))
    assert mine.sent == [{"type": "typing", "sender": "bot", "on": True}]
    assert other.sent == []


async def test_a_frame_for_a_conversation_nobody_holds_is_dropped_without_creating_a_record():
    live = LiveRegistry()
    await live.send(ToCustomer("ghost"), Pong())
    assert live.find("ghost") is None


async def test_a_frame_about_a_conversation_names_it_for_the_agent():
    live = LiveRegistry()
    live.agents["ana"] = ws = FakeSocket()
    await live.send(ToAgent("ana", about="c1"), TypingShown("customer", False))
    await live.send(ToAgent("ana"), Released("c2", "closed"))
    assert ws.sent == [
        {"type": "typing", "sender": "customer", "on": False, "conversation_id": "c1"},
        {"type": "released", "conversation_id": "c2", "reason": "closed"},
    ]


async def test_closed_and_failing_sockets_are_skipped_quietly():
    live = LiveRegistry()
    closed, failing = FakeSocket(), FakeSocket(fail=True)
    closed.closed = True
    live.get("c1").customer, live.agents["ana"] = closed, failing
    await live.send(ToCustomer("c1"), Pong())
    await live.send(ToAgent("ana"), Pong())
    assert closed.sent == [] and failing.sent == []


def test_busy_and_has_customer_read_the_record():
    live = LiveRegistry()
    assert not live.busy("c1") and not live.has_customer("c1")
    live.get("c1").pending = 1
    live.get("c1").customer = FakeSocket()
    assert live.busy("c1") and live.has_customer("c1")


def test_every_open_socket_is_listed_for_shutdown():
    live = LiveRegistry()
    customer, agent = FakeSocket(), FakeSocket()
    live.get("c1").customer, live.agents["ana"] = customer, agent
    live.get("c2")  # no socket
    assert list(live.sockets()) == [customer, agent]
