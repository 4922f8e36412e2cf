"""The customer websocket, `GET /ws/customer`: hello/resume, then one frame at a time.

Frames are translated into hub calls; every history item is stored before it is acked
or shown, and a resuming client gets everything after its `last_seq`, in order.
"""

from __future__ import annotations

import asyncio
import hmac
import uuid
from typing import Any

import structlog
from aiohttp import web

from contract.person_request import detect
from handoff.core import AGENT, BOT, CLOSED, QUEUE, DeskError
from handoff.frames import CUSTOMER, FrameError, history_frame, parse
from handoff.service.intake import urgent_note
from handoff.service.relay import neutralise, new_resume_token
from handoff.store import StoreError
from handoff.web.wsguard import UNAVAILABLE, Guard, upgrade

log = structlog.get_logger("handoff.customer")

# Customers resume by themselves; a dead customer socket costs only memory until then.
CUSTOMER_HEARTBEAT = 30.0

CLOSE_BAD_HELLO, CLOSE_WRONG_CONVERSATION, CLOSE_TIMEOUT, CLOSE_REPLACED = 4001, 4003, 4008, 4409


async def handle(request: web.Request) -> web.StreamResponse:
    from handoff.app import HUB

    hub = request.app[HUB]
    # No permessage-deflate: each compressing socket keeps its own zlib state (~100 KiB of
    # the service's memory per idle customer in the benchmark) and deflates every small frame.
    ws = await upgrade(request, hub.settings, compress=False, heartbeat=CUSTOMER_HEARTBEAT)
    if not isinstance(ws, web.WebSocketResponse):
        return ws
    hub.metrics.connections["customer"] += 1
    cid = None
    try:
        cid = await _session(hub, ws)
    finally:
        hub.metrics.connections["customer"] -= 1
        if cid is not None and hub.customers.get(cid) is ws:
            del hub.customers[cid]
            hub.forget(cid)
    return ws


async def _session(hub: Any, ws: web.WebSocketResponse) -> str | None:
    guard = Guard(ws, hub.settings.rate_limit_per_second, hub.settings.rate_limit_burst)
    try:
        text = await asyncio.wait_for(guard.next(), hub.settings.hello_timeout_seconds)
    except TimeoutError:
        await ws.close(code=CLOSE_TIMEOUT, message=b"no hello in time")
        return None
    if text is None:
        return None
    try:
        hello = parse(text, {"hello": CUSTOMER["hello"]})
    except FrameError as exc:
        hub.metrics.rejected[exc.code] += 1
        await ws.send_json(exc.frame())
        await ws.close(code=CLOSE_BAD_HELLO, message=b"first frame must be a valid hello")
        return None
    cid = await _open(hub, ws, hello)
    if cid is None:
        return None
    structlog.contextvars.bind_contextvars(conversation_id=cid)
    while (text := await guard.next()) is not None:
        try:
            await dispatch(hub, cid, ws, parse(text, CUSTOMER))
        except FrameError as exc:
            hub.metrics.rejected[exc.code] += 1
            await ws.send_json(exc.frame())
        except DeskError as exc:
            hub.metrics.rejected["not_allowed"] += 1
            await ws.send_json(
                {"type": "error", "code": "not_allowed", "message": str(exc), "ref": None}
            )
        except StoreError:
            # The database hiccuped: this frame failed, the connection and the service go on.
            log.exception("frame.store_failed")
            hub.metrics.rejected["unavailable"] += 1
            await ws.send_json(UNAVAILABLE)
    return cid


async def _open(hub: Any, ws: web.WebSocketResponse, hello: dict[str, Any]) -> str | None:
    cid, token = hello.get("conversation_id"), hello.get("resume_token")
    customer_token = hello.get("customer_token")
    new = cid is None
    if new:
        cid, token = uuid.uuid4().hex, new_resume_token()
        await hub.store.create_conversation(cid, token, customer_token, hub.clock())
        hub.desk.open(cid)
        hub.customer_tokens[cid] = customer_token
        last_seq = 0
    else:
        row = await hub.load(cid)
        if (
            row is None
            or not isinstance(token, str)
            or not hmac.compare_digest(row["resume_token"], token)
        ):
            hub.metrics.rejected["wrong_conversation"] += 1
            await ws.close(
                code=CLOSE_WRONG_CONVERSATION, message=b"unknown conversation or wrong resume_token"
            )
            return None
        if customer_token and customer_token != row["customer_token"]:
            hub.customer_tokens[cid] = customer_token
            await hub.store.update_conversation(cid, customer_token=customer_token)
        last_seq = row["last_seq"]
    old = hub.customers.pop(cid, None)
    if old is not None and not old.closed:
        await old.close(code=CLOSE_REPLACED, message=b"this conversation was opened elsewhere")
    conv = hub.desk.get(cid)
    await ws.send_json(
        {
            "type": "welcome",
            "conversation_id": cid,
            "resume_token": token,
            "owner": conv.owner,
            "agent_name": hub.agent_name(conv.agent_id),
            "last_seq": last_seq,
        }
    )
    # Replay until caught up, then register: live frames then follow in seq order.
    after = int(hello.get("last_seq") or 0)
    while rows := await hub.store.history(cid, after):
        for row in rows:
            await ws.send_json(history_frame(row))
        after = rows[-1]["seq"]
    hub.customers[cid] = ws
    if hub.closing:
        await ws.close(code=1001, message=b"server shutting down")
        return None
    if conv.owner == QUEUE:
        status = hub.queue_status(cid)
        hub.sent_queue[cid] = tuple(status.values())
        await ws.send_json(status)
    log.info(
        "customer.connected", conversation_id=cid, new=new, resumed_after=hello.get("last_seq") or 0
    )
    if new:
        hub.relay.submit(cid, "/session_start", kind="session_start")
    elif conv.owner == BOT:
        await hub.relay.resume(cid)
    return cid


async def dispatch(hub: Any, cid: str, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
    kind = frame["type"]
    if kind == "ping":
        await ws.send_json({"type": "pong"})
    elif kind == "ack":
        return  # delivery is tracked by the client's last_seq on resume; nothing to store
    elif kind == "message":
        await _message(hub, cid, ws, frame)
    elif kind == "button":
        await _button(hub, cid, ws, frame)
    elif kind == "typing":
        conv = hub.desk.get(cid)
        if conv.owner == AGENT and conv.agent_id:
            await hub.to_agent(
                conv.agent_id,
                {"type": "typing", "conversation_id": cid, "sender": "customer", "on": frame["on"]},
            )
    elif kind == "request_agent":
        await _request_agent(hub, cid, ws)
    elif kind == "continue_with_bot":
        await hub.command(
            lambda desk: desk.leave_queue(cid, hub.clock(), "customer_continued_with_bot")
        )
    elif kind == "contact":
        await _contact(hub, cid, ws, frame)
    elif kind == "csat":
        await _csat(hub, cid, frame)
    elif kind == "hello":
        raise FrameError("not_allowed", "hello was already received on this connection")


async def _message(hub: Any, cid: str, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
    text = frame["text"]
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
            frame["client_id"],
            staged=relay_while_committing,
        )
    except BaseException as exc:
        commit.set_exception(exc)
        commit.exception()  # retrieved here: the relay may not be waiting yet
        raise
    if relayed_early:
        try:
            await ws.send_json({"type": "ack", "client_id": frame["client_id"], "seq": seq})
        finally:
            commit.set_result(None)  # after the ack, so the customer sees it before the answer
        return
    commit.set_result(None)
    if duplicate:
        await ws.send_json({"type": "ack", "client_id": frame["client_id"], "seq": seq})
        return
    if hub.desk.get(cid).owner == CLOSED:
        await hub.command(lambda desk: desk.reopen(cid, hub.clock()))
    safe = neutralise(text) if hub.desk.get(cid).owner == BOT and not person_now else ""
    if not safe:
        await hub.store.mark_relayed(cid, seq)  # for the person, or nothing to relay
    await ws.send_json({"type": "ack", "client_id": frame["client_id"], "seq": seq})
    if person_now and hub.desk.get(cid).owner == BOT:
        await hub.relay.person_now(cid)
    elif safe:
        hub.relay.submit(cid, safe, kind="customer", seq=seq)
        if asks_person:
            hub.relay.watch_person_request(cid)


async def _button(hub: Any, cid: str, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
    offered = {b["payload"]: b["title"] for b in hub.buttons.get(cid, [])}
    payload = frame["payload"]
    if hub.desk.get(cid).owner != BOT or payload not in offered:
        raise FrameError(
            "not_allowed", "that button is not one the assistant offered last", frame["client_id"]
        )
    title = offered[payload] or payload
    body = {"author": "You", "text": title, "payload": payload}
    seq, duplicate = await hub.record(cid, "message", "customer", body, frame["client_id"])
    await ws.send_json({"type": "ack", "client_id": frame["client_id"], "seq": seq})
    if not duplicate:
        hub.buttons[cid] = []  # one choice per offer
        hub.relay.submit(cid, payload, kind="button", seq=seq)


async def _request_agent(hub: Any, cid: str, ws: web.WebSocketResponse) -> None:
    conv = hub.desk.get(cid)
    if conv.owner == CLOSED:
        await hub.command(lambda desk: desk.reopen(cid, hub.clock()))
    if conv.owner == BOT and hub.relay.would_wait(cid):
        await hub.relay.person_now(cid)  # never behind the assistant's earlier work
    elif conv.owner == BOT:
        hub.relay.submit(cid, "/request_human", kind="request_human")
        hub.relay.watch_person_request(cid)
    elif conv.owner == QUEUE:
        await ws.send_json(hub.queue_status(cid))
    # With an agent already there, the request is already honoured.


async def _contact(hub: Any, cid: str, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
    if not (frame.get("email") or frame.get("phone")):
        raise FrameError(
            "bad_field", "a contact needs an email or a phone number", frame["client_id"]
        )
    fields = {k: frame.get(k) for k in ("name", "email", "phone", "note")}
    urgent = urgent_note(hub.contexts.get(cid))
    if urgent:
        fields["note"] = f"{urgent}; {fields['note']}" if fields["note"] else urgent
    stored = await hub.store.add_contact(cid, frame["client_id"], fields, hub.clock())
    await ws.send_json({"type": "ack", "client_id": frame["client_id"], "seq": None})
    if stored:
        log.info("contact.saved", conversation_id=cid)
        how = frame.get("email") or frame.get("phone")
        await hub.event(cid, "contact_saved", f"Thank you. We will get back to you at {how}.")


async def _csat(hub: Any, cid: str, frame: dict[str, Any]) -> None:
    row = await hub.store.get_conversation(cid)
    if not row["csat_pending"]:
        raise FrameError("not_allowed", "there is no conversation with a person to rate right now")
    closing = [t for t in await hub.store.transitions(cid) if t["to_owner"] == CLOSED][-1]
    resolution = closing["reason"].removeprefix("closed:")
    await hub.store.add_csat(
        cid,
        frame["score"],
        frame.get("comment"),
        closing["from_agent"],
        resolution,
        await hub.store.count_turns(cid),
        hub.clock(),
    )
    await hub.event(cid, "csat_received", "Thank you for your feedback.")
