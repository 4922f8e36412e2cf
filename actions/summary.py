"""The handoff summary an agent reads at a glance: at most three short lines.

Pure: the redacted turns, what the assistant knows and the decisions taken go in, a string of
one to three lines (joined with newlines) comes out:

1. the customer's request in their own words, with the topic;
2. what the assistant verified (identity, order) and what it already tried;
3. why a person is needed.

Extractive on purpose: every word is the customer's, a fact the assistant checked, or the
trigger and risk reasons, so an agent can trust it without reading the transcript.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from actions.risk import RiskDecision

_ORDER_ID = re.compile(r"\bNW-?\s?\d{5}\b", re.IGNORECASE)
# Intents whose messages rarely state the request: button titles, "yes", greetings and the
# request for a person itself.
_NOT_A_REQUEST = frozenset(
    {"request_human", "greet", "thank", "goodbye", "affirm", "deny", "bot_challenge"}
)
MAX_QUOTE = 100
MAX_TRIED = 3
METHODS = {"signed_token": "signed in", "order_email": "order number and email"}
# Actions and responses the assistant ran -> what it tried, in words.
TRIED = {
    "action_track_order": "looked up the order",
    "action_return_status": "looked up the return",
    "action_check_balance": "looked up the balance",
    "action_start_return": "started a return",
    "action_cancel_order": "tried to cancel the order",
    "action_change_address": "tried to change the address",
    "order_form": "asked for the order number",
    "address_form": "asked for the new address",
    "utter_out_of_scope": "said it cannot help with that",
    "utter_unsupported_request": "said it cannot help with that",
}
_REPHRASE = frozenset({"utter_default", "utter_ask_rephrase"})
_TIMES = {1: "once", 2: "twice"}


def tried_from_events(events: Iterable[dict]) -> list[str]:
    """What the assistant tried before the handoff, in order, each once; rephrasing counted."""
    tried: list[str] = []
    rephrased = 0
    for event in events:
        name = event.get("name") if event.get("event") == "action" else None
        if not isinstance(name, str):
            continue
        if name in _REPHRASE:
            rephrased += 1
            continue
        if name.startswith("utter_faq_"):
            words = f"answered from the FAQ ({name.removeprefix('utter_faq_').replace('_', ' ')})"
        else:
            words = TRIED.get(name, "")
        if words and words not in tried:
            tried.append(words)
    if rephrased:
        tried.append(f"asked to rephrase {_TIMES.get(rephrased, f'{rephrased} times')}")
    return tried


def _request(turns: list[dict]) -> str | None:
    said = [t for t in turns if t["sender"] == "customer" and not t["text"].startswith("(")]
    # The longest message usually states the request.
    asks = [t for t in said if t.get("intent") not in _NOT_A_REQUEST] or said
    best = max(asks, key=lambda t: len(t["text"].split()), default=None)
    if best is None or not best["text"].strip():
        return None
    text = " ".join(best["text"].split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 3].rstrip() + "..."


def _verified(turns: list[dict], customer: dict | None, slots: dict) -> list[str]:
    facts = []
    customer = customer or {}
    if customer.get("verified"):
        who = customer.get("name") or customer.get("customer_id") or "the customer"
        how = METHODS.get(customer.get("method") or "", "verified")
        facts.append(f"{who} ({how})")
    order_ids = [slots["order_id"].upper()] if isinstance(slots.get("order_id"), str) else []
    for turn in turns:
        if turn["sender"] == "customer":
            order_ids += [m.group(0).upper() for m in _ORDER_ID.finditer(turn["text"])]
    if order_ids:
        status = slots.get("order_status")
        facts.append(f"order {order_ids[0]}" + (f" ({status})" if status else ""))
    return facts


def _why(trigger: dict, risk: RiskDecision | None) -> str:
    why = trigger.get("detail") or str(trigger.get("kind") or "").replace("_", " ")
    if risk is not None and risk.tier != "automation" and trigger.get("kind") != "risk":
        # Reasons that only restate the trigger (e.g. "the customer asked for a person") are
        # said once.
        extra = [r for r in risk.reasons if r != why]
        if extra:
            why = "; ".join([why, *extra]) if why else "; ".join(extra)
    return why


def summary(
    turns: list[dict],
    topic: str,
    customer: dict | None,
    trigger: dict,
    risk: RiskDecision | None = None,
    slots: dict | None = None,
    tried: Iterable[str] = (),
) -> str:
    """Request, verified facts and what was tried, why a person: at most three lines."""
    topic_text = topic.replace("_", " ") if topic else "their request"
    request = _request(turns)
    lines = [f'About {topic_text}: "{request}"' if request else f"About {topic_text}."]

    facts = _verified(turns, customer, slots or {})
    done = list(tried)[:MAX_TRIED]
    known = f"Verified: {', '.join(facts)}." if facts else "Nothing verified."
    if done:
        known += f" Tried: {', '.join(done)}."
    lines.append(known)

    why = _why(trigger, risk)
    lines.append(f"Needs a person: {why}." if why else "Needs a person.")
    return "\n".join(lines)
