"""Handoff intake: the action server's handoffs (`POST /api/handoffs`) and the gateway's own.

The same `handoff_id` twice is one handoff. The context (without the redacted originals,
which are kept apart) is stored, and the conversation joins the queue.
"""

from __future__ import annotations

from typing import Any

import structlog

from contract.handoff_context import HandoffContext, Risk, Trigger
from contract.person_request import detect
from handoff.core import AGENT, QUEUE
from handoff.core.policy import EMERGENCY, team_for
from handoff.core.risk_reasons import risk_reason
from handoff.core.triage import place
from handoff.service.effects import send_assigned
from handoff.service.state import State, new_resume_token

log = structlog.get_logger("handoff.intake")


def validate(body: Any) -> dict[str, Any]:
    """The body as the contract reads it (contract/handoff_context.py); ``ContextError`` else."""
    return HandoffContext.from_json(body).to_json()


async def accept(hub: State, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Queue a validated handoff; returns (HTTP status, answer)."""
    handoff_id, cid = body["handoff_id"], body["conversation_id"]
    existing = await hub.store.get_handoff(handoff_id)
    if existing is not None:
        return 200, existing["response"] or answer(hub, handoff_id, cid)
    now = hub.clock()
    if await hub.store.get_conversation(cid) is None:
        # A conversation we never saw (e.g. the plain REST channel): queue it anyway.
        await hub.store.create_conversation(cid, new_resume_token(), None, now)
    await hub.load(cid)
    if not await hub.store.save_handoff(handoff_id, cid, body, {}, now):
        # Saved concurrently by the same handoff posted twice: answer as the other did.
        existing = await hub.store.get_handoff(handoff_id) or {}
        return 200, existing.get("response") or answer(hub, handoff_id, cid)
    hub.live.get(cid).context = {k: v for k, v in body.items() if k != "redactions"}
    kind = body["trigger"]["kind"]
    hub.metrics.handoffs.labels(reason=kind).inc()
    hub.metrics.risk_handoffs.labels(risk_reason=risk_reason(body["risk"])).inc()
    if body["risk"]["tier"] == EMERGENCY:
        hub.metrics.emergencies.inc()
        log.warning("handoff.emergency", conversation_id=cid, reasons=body["risk"].get("reasons"))
    # Who the customer is and what it is about are known now: is it a recontact?
    outcome = await hub.outcomes.refresh(cid)
    hub.live.get(cid).recontact = outcome.recontact_of if outcome is not None else None
    conv = hub.desk.get(cid)
    if conv.owner in (QUEUE, AGENT):
        log.info("handoff.context_updated", conversation_id=cid, handoff_id=handoff_id)
        await updated(hub, cid, body, now)
    else:
        placement = place(
            body, hub.settings.negative_sentiment, hub.live.get(cid).recontact is not None
        )
        priority = placement.priority
        team = team_for(body.get("topic"), dict(hub.settings.topic_teams))
        await hub.command(
            lambda desk: desk.enqueue(
                cid,
                priority=priority,
                team=team,
                now=now,
                reason=f"handoff:{kind}",
                language=body.get("language"),
            )
        )
        log.info(
            "handoff.enqueued",
            conversation_id=cid,
            handoff_id=handoff_id,
            reason=kind,
            priority=priority,
            queue_class=placement.klass,
            recontact_of=hub.live.get(cid).recontact,
            team=team,
            language=body.get("language"),
        )
    response = answer(hub, handoff_id, cid)
    await hub.store.set_handoff_response(handoff_id, response)
    return 201, response


async def updated(hub: State, cid: str, body: dict[str, Any], now: float) -> None:
    """A newer context for a conversation a person already has or waits for (often the
    assistant's, after the service queued a request for a person at once): the waiting one
    takes its new class, the agent who has it sees the new context."""
    conv = hub.desk.get(cid)
    if conv.owner == AGENT and conv.agent_id is not None:
        await send_assigned(hub, conv.agent_id, cid)
        return
    recontact = hub.live.get(cid).recontact is not None
    priority = place(body, hub.settings.negative_sentiment, recontact).priority
    if await hub.command(lambda desk: desk.reprioritise(cid, priority, now)):
        await hub.store.update_conversation(cid, priority=hub.desk.get(cid).priority)
    else:
        await hub.broadcast_queue()  # the same class, but the card's words may have changed


def answer(hub: State, handoff_id: str, cid: str) -> dict[str, Any]:
    conv = hub.desk.conversations.get(cid)
    status = hub.queue_status(cid)
    return {
        "handoff_id": handoff_id,
        "conversation_id": cid,
        "status": "assigned" if conv is not None and conv.owner == AGENT else "queued",
        "position": status.position,
        "estimated_wait_seconds": status.estimated_wait_seconds,
        "agents_online": status.agents_online,
        "business_hours": status.business_hours,
    }


def urgent_note(context: dict[str, Any] | None) -> str | None:
    """For a contact left during an emergency: "URGENT (the danger)" and what the customer wrote."""
    risk = (context or {}).get("risk") or {}
    if risk.get("tier") != EMERGENCY:
        return None
    reasons = risk.get("reasons") or ["imminent danger"]
    note = f"URGENT ({reasons[0]})"
    said = [
        t.get("text")
        for t in (context or {}).get("turns") or []
        if isinstance(t, dict) and t.get("sender") == "customer" and t.get("text")
    ]
    return f'{note}; the customer wrote: "{said[-1]}"' if said else note


async def gateway_handoff(hub: State, cid: str, reason: str, detail: str) -> None:
    """Hand off from the gateway's own transcript (the assistant is down or did not do it)."""
    history = await hub.store.history(cid)
    turns = [
        {"sender": r["sender"], "text": r["body"].get("text", ""), "timestamp": r["ts"]}
        for r in history
        if r["kind"] == "message"
    ]
    last = history[-1]["seq"] if history else 0
    said = [t["text"] for t in turns if t["sender"] == "customer" and t["text"]]
    asked = detect(said[-1]) if said else None
    context = HandoffContext(
        handoff_id=f"{cid}:gateway:{last}",
        conversation_id=cid,
        # The same call-back request the assistant would have recorded (contract/person_request).
        trigger=Trigger(
            "customer_request", None, None, detail, callback=asked is not None and asked.callback
        ),
        risk=Risk("assistance", (reason,)),
        summary=detail,
        customer={"verified": False},
        slots={},
        turns=tuple(turns),
    )
    body = context.to_json()
    await accept(hub, body)
