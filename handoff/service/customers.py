"""Customer use cases: open or resume a conversation, and each thing a customer can send.

Every history item is stored before it is acked or shown; `reply` answers on the customer's
own connection (acks, queue status), everything else goes out through the live registry.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog

from contract.person_request import detect
from handoff.core import AGENT, BOT, CLOSED, QUEUE
from handoff.core.policy import wants_callback
from handoff.frames import (
    Acked,
    Button,
    Contact,
    CustomerWelcome,
    FrameError,
    Hello,
    Message,
    ServerFrame,
    TypingShown,
)
from handoff.service.hub import Hub
from handoff.service.intake import urgent_note
from handoff.service.live import Sender, ToAgent
from handoff.service.relay import neutralise
from handoff.service.state import new_resume_token

log = structlog.get_logger("handoff.customer")

Reply = Callable[[ServerFrame], Awaitable[None]]


@dataclass(frozen=True)
class Opened:
    conversation_id: str
    resume_token: str
    last_seq: int
    new: bool


async def open_conversation(hub: Hub, hello: Hello) -> Opened | None:
    """A new conversation, or the one the hello resumes; None if its resume token is wrong."""
    cid, token, customer_token = hello.conversation_id, hello.resume_token, hello.customer_token
    if cid is None:
        cid, token = uuid.uuid4().hex, new_resume_token()
        await hub.store.create_conversation(cid, token, customer_token, hub.clock())
        hub.desk.open(cid)
        hub.live.get(cid).set_customer_token(customer_token)
        return Opened(cid, token, 0, new=True)
    row = await hub.load(cid)
    if row is None or token is None or not hmac.compare_digest(row["resume_token"], token):
        hub.metrics.rejected.labels(code="wrong_conversation").inc()
        return None
    if customer_token and customer_token != row["customer_token"]:
        hub.live.get(cid).set_customer_token(customer_token)
        await hub.store.update_conversation(cid, customer_token=customer_token)
    return Opened(cid, token, row["last_seq"], new=False)


def welcome(hub: Hub, opened: Opened) -> CustomerWelcome:
    conv = hub.desk.get(opened.conversation_id)
    return CustomerWelcome(
        conversation_id=opened.conversation_id,
        resume_token=opened.resume_token,
        owner=conv.owner,
        agent_name=hub.agent_name(conv.agent_id),
        last_seq=opened.last_seq,
    )


async def history_after(hub: Hub, cid: str, after: int) -> AsyncIterator[dict[str, Any]]:
    """Every stored item after `after`, in order, until caught up."""
    while rows := await hub.store.history(cid, after):
        for row in rows:
            yield row
        after = rows[-1]["seq"]


@contextlib.asynccontextmanager
async def opening(hub: Hub, cid: str) -> AsyncIterator[None]:
    """Holds the conversation in memory while a customer socket is between its hello and being
    attached (replacing an older socket, the welcome, the history replay): an answer of the
    assistant finishing meanwhile must not forget it, as it forgets a conversation nobody is
    connected to. Brings it back first if that happened already."""
    live = hub.live.get(cid)
    live.opening += 1
    try:
        if cid not in hub.desk.conversations:
            await hub.load(cid)
        yield
    finally:
        live.opening -= 1


def attach(hub: Hub, cid: str, ws: Sender | None) -> Sender | None:
    """Make `ws` the conversation's customer socket; the one it replaces, if any."""
    live = hub.live.get(cid)
    old, live.customer = live.customer, ws
    if ws is not None:
        hub.outcomes.returned(cid)
    return old


def detach(hub: Hub, cid: str, ws: Sender) -> None:
    """The socket closed: forget the conversation if nothing else holds it."""
    live = hub.live.find(cid)
    if live is not None and live.customer is ws:
        live.customer = None
        hub.forget(cid)
        hub.outcomes.left(cid)


async def connected(hub: Hub, opened: Opened, owner: str, reply: Reply) -> None:
    """The customer is caught up and registered: tell a waiting one their place, and let the
    assistant start (or read what it missed while the service was down). `owner` is the one
    the welcome told."""
    cid = opened.conversation_id
    if owner == QUEUE:
        status = hub.queue_status(cid)
        hub.live.get(cid).sent_queue = status.key()
        await reply(status)
    if opened.new:
        hub.relay.submit(cid, "/session_start", kind="session_start")
    elif owner == BOT:
        await hub.relay.resume(cid)


async def message(hub: Hub, cid: str, frame: Message, reply: Reply) -> None:
    text = frame.text
    commit: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    relayed_early = False
    # A request for a person the assistant could not take at once is honoured by the service;
    # one sent to the assistant is watched, in case its call in flight hangs.
    asks_person = detect(text) is not None
    person_now = hub.desk.get(cid).owner == BOT and hub.relay.would_wait(cid) and asks_person

    def relay_while_committing(seq: int) -> None:
        # Rasa starts on the message while its commit (an fsync) is under way: a crash in
        # between means the customer, never acked, sends it again and Rasa sees it twice,
        # as after a crash between relaying and storing the answer. The relay stores and
        # shows no answer before `commit` is done.
        nonlocal relayed_early
        if person_now:
            return
        safe = neutralise(text)
        if safe and hub.desk.get(cid).owner == BOT:
            hub.relay.submit(cid, safe, kind="customer", seq=seq, stored=commit)
            relayed_early = True
            if asks_person:
                hub.relay.watch_person_request(cid)

    try:
        seq, duplicate = await hub.record(
            cid,
            "message",
            "customer",
            {"author": "You", "text": text},
            frame.client_id,
            staged=relay_while_committing,
        )
    except BaseException as exc:
        commit.set_exception(exc)
        commit.exception()  # retrieved here: the relay may not be waiting yet
        raise
    if relayed_early:
        hub.outcomes.changed(cid)
        try:
            await reply(Acked(frame.client_id, seq))
        finally:
            commit.set_result(None)  # after the ack, so the customer sees it before the answer
        return
    commit.set_result(None)
    if duplicate:
        await reply(Acked(frame.client_id, seq))
        return
    hub.outcomes.changed(cid)
    if hub.desk.get(cid).owner == CLOSED:
        await hub.command(lambda desk: desk.reopen(cid, hub.clock()))
    hub.assist.customer_wrote(cid, seq, text)
    safe = neutralise(text) if hub.desk.get(cid).owner == BOT and not person_now else ""
    if not safe:
        await hub.store.mark_relayed(cid, seq)  # for the person, or nothing to relay
    await reply(Acked(frame.client_id, seq))
    if person_now and hub.desk.get(cid).owner == BOT:
        await hub.relay.person_now(cid)
    elif safe:
        hub.relay.submit(cid, safe, kind="customer", seq=seq)
        if asks_person:
            hub.relay.watch_person_request(cid)


async def button(hub: Hub, cid: str, frame: Button, reply: Reply) -> None:
    live = hub.live.get(cid)
    offered = {b["payload"]: b["title"] for b in live.buttons or []}
    payload = frame.payload
    if hub.desk.get(cid).owner != BOT or payload not in offered:
        raise FrameError(
            "not_allowed", "that button is not one the assistant offered last", frame.client_id
        )
    title = offered[payload] or payload
    body = {"author": "You", "text": title, "payload": payload}
    seq, duplicate = await hub.record(cid, "message", "customer", body, frame.client_id)
    await reply(Acked(frame.client_id, seq))
    if not duplicate:
        hub.outcomes.changed(cid)
        live.buttons = []  # one choice per offer
        hub.relay.submit(cid, payload, kind="button", seq=seq)


async def typing(hub: Hub, cid: str, on: bool) -> None:
    conv = hub.desk.get(cid)
    if conv.owner == AGENT and conv.agent_id:
        await hub.live.send(ToAgent(conv.agent_id), TypingShown("customer", on, cid))


async def request_agent(hub: Hub, cid: str, reply: Reply) -> None:
    conv = hub.desk.get(cid)
    if conv.owner == CLOSED:
        await hub.command(lambda desk: desk.reopen(cid, hub.clock()))
    if conv.owner == BOT and hub.relay.would_wait(cid):
        await hub.relay.person_now(cid)  # never behind the assistant's earlier work
    elif conv.owner == BOT:
        hub.relay.submit(cid, "/request_human", kind="request_human")
        hub.relay.watch_person_request(cid)
    elif conv.owner == QUEUE:
        await reply(hub.queue_status(cid))
    # With an agent already there, the request is already honoured.


async def continue_with_bot(hub: Hub, cid: str) -> None:
    await hub.command(
        lambda desk: desk.leave_queue(cid, hub.clock(), "customer_continued_with_bot")
    )


async def contact(hub: Hub, cid: str, frame: Contact, reply: Reply) -> None:
    if not (frame.email or frame.phone):
        raise FrameError("bad_field", "a contact needs an email or a phone number", frame.client_id)
    fields = {"name": frame.name, "email": frame.email, "phone": frame.phone, "note": frame.note}
    live = hub.live.find(cid)
    context = live.context if live is not None else None
    urgent = urgent_note(context)
    if urgent:
        fields["note"] = f"{urgent}; {fields['note']}" if fields["note"] else urgent
    elif wants_callback(context):
        asked = "call back requested"
        fields["note"] = f"{asked}; {fields['note']}" if fields["note"] else asked
    stored = await hub.store.add_contact(cid, frame.client_id, fields, hub.clock())
    await reply(Acked(frame.client_id, None))
    if stored:
        hub.outcomes.changed(cid)
        log.info("contact.saved", conversation_id=cid)
        how = frame.email or frame.phone
        await hub.event(cid, "contact_saved", f"Thank you. We will get back to you at {how}.")
