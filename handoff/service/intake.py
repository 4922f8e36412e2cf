"""Handoff intake: the action server's handoffs (`POST /api/handoffs`) and the gateway's own.

The same `handoff_id` twice is one handoff. The context (without the redacted originals,
which are kept apart) is stored, and the conversation joins the queue.
"""

from __future__ import annotations

from typing import Any

import structlog

from contract.person_request import detect
from handoff.core import AGENT, QUEUE
from handoff.core.policy import EMERGENCY, team_for
from handoff.core.triage import place
from handoff.service.effects import send_assigned
from handoff.service.state import State, new_resume_token

log = structlog.get_logger("handoff.intake")

TIERS = (EMERGENCY, "escalation", "assistance")


class BadHandoff(ValueError):
    """The body is not a usable handoff context; the message names the field."""


def validate(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadHandoff("body must be a JSON object")
    for name in ("handoff_id", "conversation_id"):
        value = body.get(name)
        if not isinstance(value, str) or not 0 < len(value) <= 200:
            raise BadHandoff(f"{name} must be a string of 1 to 200 characters")
    for name in ("trigger", "risk"):
        if not isinstance(body.get(name), dict):
            raise BadHandoff(f"{name} must be an object")
    if not isinstance(body["trigger"].get("kind"), str):
        raise BadHandoff("trigger.kind must be a string")
    if body["risk"].get("tier") not in TIERS:
        raise BadHandoff("risk.tier must be 'emergency', 'escalation' or 'assistance'")
    for name, kind in (
        ("turns", list),
        ("slots", dict),
        ("customer", dict),
        ("sentiment", dict),
        ("redactions", list),
    ):
        if body.get(name) is not None and not isinstance(body[name], kind):
            raise BadHandoff(f"{name} must be {'a list' if kind is list else 'an object'}")
    for item in body.get("redactions") or []:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("placeholder"), str)
            and isinstance(item.get("value"), str)
        ):
            raise BadHandoff("each redaction needs a string placeholder and value")
    intents = body.get("intents")
    if intents is not None and not (
        isinstance(intents, list) and all(isinstance(i, str) and 0 < len(i) <= 100 for i in intents)
    ):
        raise BadHandoff("intents must be a list of intent names")
    language = body.get("language")
    if language is not None and not (
        isinstance(language, str)
        and len(language) == 2
        and language.isascii()
        and language.isalpha()
        and language.islower()
    ):
        raise BadHandoff("language must be a two-letter ISO 639-1 code such as 'es'")
    sentiment = (body.get("sentiment") or {}).get("latest")
    if sentiment is not None and not isinstance(sentiment, int | float):
        raise BadHandoff("sentiment.latest must be a number")
    return body


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
    hub.metrics.handoffs[kind] += 1
    if body["risk"]["tier"] == EMERGENCY:
        hub.metrics.emergencies += 1
        log.warning("handoff.emergency", conversation_id=cid, reasons=body["risk"].get("reasons"))
    conv = hub.desk.get(cid)
    if conv.owner in (QUEUE, AGENT):
        log.info("handoff.context_updated", conversation_id=cid, handoff_id=handoff_id)
        await updated(hub, cid, body, now)
    else:
        placement = place(body, hub.settings.negative_sentiment)
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
    priority = place(body, hub.settings.negative_sentiment).priority
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
    trigger: dict[str, Any] = {
        "kind": "customer_request",
        "value": None,
        "threshold": None,
        "detail": detail,
    }
    said = [t["text"] for t in turns if t["sender"] == "customer" and t["text"]]
    asked = detect(said[-1]) if said else None
    if asked is not None and asked.callback:
        # The same call-back request the assistant would have recorded (contract/person_request).
        trigger["callback"] = True
    body = {
        "handoff_id": f"{cid}:gateway:{last}",
        "conversation_id": cid,
        "created_at": None,
        "trigger": trigger,
        "risk": {"tier": "assistance", "reasons": [reason]},
        "topic": None,
        "summary": detail,
        "customer": {"verified": False},
        "slots": {},
        "turns": turns,
        "sentiment": None,
        "draft": None,
        "redactions": [],
    }
    await accept(hub, body)
