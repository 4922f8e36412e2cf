"""Suggested replies for a person answering a customer: a pure function of what is known.

For one customer message an agent is answering, up to three replies, each saying where it
came from:

- ``assistant``: the assistant's own response for the intent it recognised (the FAQ and
  policy answers of the domain), when it recognised one with confidence;
- ``shop``: the answer the assistant's action would compute from the shop's data (an order's
  status, a return's refund), only for an order of the customer verified in the conversation,
  as the actions themselves require;
- ``agents``: replies agents sent before to similar customer messages (the similarity is
  computed by the caller, with the assistant's sentence embeddings).

Nothing here sends anything: the agent chooses, edits and sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from actions import replies
from actions.shop import NotFound, Order, Return

MAX_SUGGESTIONS = 3
# Intents whose domain response is not an answer a person would send on the customer's behalf.
NOT_ANSWERS = frozenset({"nlu_fallback", "out_of_scope", "unsupported_request", "request_human"})
# The actions that answer from the shop's data, by the intent that runs them.
SHOP_INTENTS = frozenset({"track_order", "return_status"})


class ShopLookup(Protocol):
    """The two reads of the demo shop the suggestions need (``actions.shop.Shop`` has them)."""

    def order(self, order_id: str) -> Order: ...

    def return_for(self, order_id: str) -> Return | None: ...


@dataclass(frozen=True)
class PastReply:
    """An agent's earlier reply, with how similar its customer message is to this one (cosine)."""

    customer_text: str
    reply: str
    similarity: float


@dataclass(frozen=True)
class Suggestion:
    text: str
    source: str  # assistant | shop | agents
    label: str  # where it came from, in words, for the agent

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source, "label": self.label}


def suggest(
    parse: Mapping[str, Any],
    slots: Mapping[str, Any],
    responses: Mapping[str, Sequence[Mapping[str, Any]]],
    shop: ShopLookup,
    past: Sequence[PastReply] = (),
    *,
    min_confidence: float = 0.45,
    min_similarity: float = 0.6,
) -> list[Suggestion]:
    """Up to three distinct replies for the parsed customer message, best source first."""
    intent = parse.get("intent") or {}
    name, confidence = str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)
    understood = bool(name) and name not in NOT_ANSWERS and confidence >= min_confidence
    found: list[Suggestion] = []
    if understood:
        found += _from_domain(name, confidence, responses)
        found += _from_shop(name, parse, slots, shop)
    found += _from_agents(past, min_similarity)
    unique: dict[str, Suggestion] = {}
    for item in found:
        unique.setdefault(" ".join(item.text.split()).lower(), item)
    return list(unique.values())[:MAX_SUGGESTIONS]


def _from_domain(
    intent: str, confidence: float, responses: Mapping[str, Sequence[Mapping[str, Any]]]
) -> list[Suggestion]:
    variants = responses.get(f"utter_{intent}") or []
    text = next((str(v["text"]) for v in variants if v.get("text")), None)
    if text is None:
        return []
    label = f"recognised as {intent.replace('_', ' ')}, {confidence:.0%} sure"
    return [Suggestion(text, "assistant", label)]


def _order_id(parse: Mapping[str, Any], slots: Mapping[str, Any]) -> str | None:
    for entity in parse.get("entities") or []:
        if entity.get("entity") == "order_id" and entity.get("value"):
            return str(entity["value"])
    value = slots.get("order_id")
    return str(value) if value else None


def _from_shop(
    intent: str, parse: Mapping[str, Any], slots: Mapping[str, Any], shop: ShopLookup
) -> list[Suggestion]:
    order_id = _order_id(parse, slots)
    customer = slots.get("customer_id")
    if intent not in SHOP_INTENTS or not order_id or slots.get("verified") is not True:
        return []
    try:
        order = shop.order(order_id)
    except NotFound:
        return []
    if order.customer_id != customer:
        return []  # the actions answer only about the verified customer's own orders
    if intent == "track_order":
        return [Suggestion(replies.order_status(order), "shop", f"order {order.id} as it is now")]
    text = replies.return_status(shop.return_for(order.id), order.id)
    return [Suggestion(text, "shop", f"the return of order {order.id} as it is now")]


def _from_agents(past: Sequence[PastReply], min_similarity: float) -> list[Suggestion]:
    close = sorted((p for p in past if p.similarity >= min_similarity), key=lambda p: -p.similarity)
    return [
        Suggestion(
            p.reply,
            "agents",
            f'sent to "{_clip(p.customer_text)}", {p.similarity:.0%} alike',
        )
        for p in close
    ]


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
