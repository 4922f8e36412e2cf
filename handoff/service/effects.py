"""What customers and agents are told after an ownership change has been stored.

Each transition becomes one plain-language `event` in the conversation history, plus
the agent-side frames (`assigned`, `released`) and, for hand backs, the message that
wakes the assistant up again (returned: the caller hands it to the relay).
"""

from __future__ import annotations

import json
from typing import Any

import structlog

from handoff.core import AGENT, BOT, CLOSED, QUEUE, GraceStarted, OwnerChanged, QueueChanged
from handoff.core.events import Event
from handoff.core.outcomes import ASSISTANT_PART, PERSON_PART
from handoff.core.policy import EMERGENCY_PRIORITY, wants_callback
from handoff.core.triage import place
from handoff.frames import Assigned, History, Released, iso
from handoff.service import csat
from handoff.service.live import ToAgent
from handoff.service.outcomes import masked as mask
from handoff.service.state import State

log = structlog.get_logger("handoff.effects")

# (conversation id, message): input for the assistant, once everything else is told
Wake = tuple[str, str]


async def apply_effects(hub: State, events: list[Event]) -> list[Wake]:
    queue_changed, wakes = False, []
    for event in events:
        if isinstance(event, OwnerChanged):
            wake = await _owner_changed(hub, event)
            if wake is not None:
                wakes.append(wake)
        elif isinstance(event, GraceStarted):
            log.info(
                "agent.grace_started",
                conversation_id=event.conversation_id,
                agent_id=event.agent_id,
            )
        elif isinstance(event, QueueChanged):
            queue_changed = True
    if queue_changed:
        await hub.broadcast_queue()
    return wakes


async def _owner_changed(hub: State, e: OwnerChanged) -> Wake | None:
    cid = e.conversation_id

    async def event(name: str, text: str) -> None:
        # The owner as of this transition: later transitions of the same command may follow.
        await hub.event(cid, name, text, owner=e.new_owner, agent_id=e.new_agent)

    log.info(
        "conversation.owner_changed",
        conversation_id=cid,
        old=e.old_owner,
        new=e.new_owner,
        agent_id=e.new_agent,
        reason=e.reason,
    )
    if e.new_owner == CLOSED:
        await hub.outcomes.refresh(cid)  # a close by an agent is final at once
    else:
        hub.outcomes.changed(cid)
    old_name, new_name = hub.agent_name(e.old_agent), hub.agent_name(e.new_agent)
    if e.old_owner == AGENT and e.old_agent and e.old_agent != e.new_agent:
        reason = {QUEUE: "transferred", BOT: "handed_back", CLOSED: "closed", AGENT: "transferred"}[
            e.new_owner
        ]
        if e.reason == "agent_grace_expired":
            reason = "grace_expired"
        await hub.live.send(ToAgent(e.old_agent), Released(cid, reason))

    live = hub.live.get(cid)
    if e.new_owner == QUEUE:
        live.sent_queue = None
        live.times_queued += 1
        text = {
            "agent_grace_expired": f"{old_name} lost their connection. You are back at the front"
            " of the queue.",
        }.get(e.reason, "You are in the queue for a person. Someone will join as soon as possible.")
        if e.reason.startswith("transferred_to_team"):
            text = f"{old_name} transferred you to another team. You keep your place in the queue."

        async def notice() -> None:
            await event("queued", text)
            await _offer_contact_if_nobody(hub, cid)

        async def notice_if_still_waiting() -> None:
            if hub.desk.get(cid).owner == QUEUE:
                await notice()

        async def rate_assistant() -> None:
            # As of when it is asked: a person may have joined meanwhile.
            await csat.ask(hub, cid, ASSISTANT_PART)

        if cid in hub.desk.held and hub.desk.get(cid).priority == EMERGENCY_PRIORITY:
            # In an emergency the assistant's safety message, still on its way, goes first.
            live.after_answer = notice_if_still_waiting
        else:
            await notice()
            # The assistant's part is over (not in an emergency): the customer may rate it,
            # once its announcement of the handoff, if still on its way, has been shown.
            if e.old_owner == BOT and hub.desk.get(cid).priority != EMERGENCY_PRIORITY:
                if cid in hub.desk.held:
                    live.after_answer = rate_assistant
                else:
                    await rate_assistant()
    elif e.new_owner == AGENT:
        conv = hub.desk.get(cid)
        if e.old_owner == QUEUE and conv.queued_at is not None:
            hub.metrics.observe_wait(max(0.0, e.at - conv.queued_at))
        await send_assigned(hub, e.new_agent or "", cid)
        await event("agent_joined", f"{new_name} (a person) has joined the conversation.")
    elif e.new_owner == BOT:
        if e.old_owner == AGENT:
            outcome = live.outcome or {"agent_outcome": "", "agent_name": old_name or ""}
            live.outcome = None
            await event(
                "handed_back",
                f"{old_name} handed you back to the Northwind assistant. You are now talking to"
                f" an AI.",
            )
            return cid, "/handback" + json.dumps(outcome)
        else:
            await event("owner_changed", "You are talking to the Northwind assistant, an AI.")
    elif e.new_owner == CLOSED:
        await event("closed", f"{old_name} closed the conversation.")
        await csat.ask(hub, cid, PERSON_PART, e.new_owner, e.new_agent)
    return None


async def _offer_contact_if_nobody(hub: State, cid: str) -> None:
    """Nobody can answer soon: say so, and offer a follow-up or the assistant instead.

    A customer who asked to be called back is asked for a phone number whoever is online."""
    live = hub.live.find(cid)
    if (
        wants_callback(live.context if live else None)
        and hub.desk.get(cid).priority != EMERGENCY_PRIORITY
    ):
        await hub.event(
            cid,
            "offer_contact",
            "You asked to be called back: leave your phone number and a person will call you. "
            "You keep your place in the queue meanwhile.",
            callback=True,
        )
        return
    status = hub.queue_status(cid)
    if status.agents_online and status.business_hours:
        return
    why = (
        "we are outside business hours"
        if not status.business_hours
        else "no one is online right now"
    )
    if hub.desk.get(cid).priority == EMERGENCY_PRIORITY:
        await hub.event(
            cid,
            "offer_contact",
            f"Sorry, {why}. If you are in danger, call your local emergency number now. Your "
            "case is marked urgent and stays first in line: leave your phone number or email "
            "and a person will contact you as soon as someone is available.",
            urgent=True,
        )
        return
    await hub.event(
        cid,
        "offer_contact",
        f"Sorry, {why}. You can leave your email or phone number and we will get back to you, "
        "or keep chatting with the assistant (an AI).",
    )


async def send_assigned(hub: State, agent_id: str, cid: str) -> None:
    """Everything an agent needs on taking a conversation, with redacted values still masked."""
    masks = await hub.store.redaction_values(cid)
    transcript = []
    for row in await hub.store.history(cid):
        frame = History(row).to_json()
        if frame["type"] == "message":
            frame["text"] = mask(frame["text"], masks)
        transcript.append(frame)
    notes = [
        {"author": hub.agent_name(n["agent_id"]), "text": n["text"], "ts": n["ts"]}
        for n in await hub.store.notes(cid)
    ]
    live = hub.live.find(cid)
    context: dict[str, Any] = (live.context if live is not None else None) or {}
    earlier = await earlier_conversations(hub, cid, context)
    recontact = await hub.outcomes.recontact_of(cid)
    assigned = Assigned(cid, context, transcript, notes, earlier, recontact)
    await hub.live.send(ToAgent(agent_id), assigned)
    hub.assist.assigned(cid, transcript)


async def earlier_conversations(
    hub: State, cid: str, context: dict[str, Any]
) -> list[dict[str, Any]]:
    """The verified customer's earlier handed-over conversations: when, topic, why, summary."""
    customer = context.get("customer") or {}
    customer_id = customer.get("customer_id")
    if customer.get("verified") is not True or not isinstance(customer_id, str):
        return []
    return [
        {
            "conversation_id": row["conversation_id"],
            "at": iso(row["created_at"]),
            "topic": row["body"].get("topic"),
            "why": place(row["body"], hub.settings.negative_sentiment).why,
            "summary": row["body"].get("summary"),
        }
        for row in await hub.store.earlier_handoffs(customer_id, cid)
    ]
