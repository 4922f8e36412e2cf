"""What the assistant says, built from the shop's records: pure functions, no I/O.

Every answer states facts from the demo data (status, dates, amounts), never a canned
"your order is on its way".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from actions.shop import RETURN_WINDOW_DAYS, Cancellation, Customer, Order, Return

REACH_A_PERSON = 'say "talk to a person" or use the button at any time'


def _day(value: date | None) -> str:
    return value.strftime("%A %d %B %Y").replace(" 0", " ") if value else "an unknown date"


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _refund_method(method: str) -> str:
    return "as store credit" if method == "store_credit" else "to your original payment method"


def disclosure(name: str | None) -> str:
    """The first message of every conversation: an AI, and how to reach a person."""
    hello = f"Hi {name}! " if name else "Hi! "
    return (
        f"{hello}I'm Northwind Goods' AI assistant, an automated program, not a person. "
        f"I can track and cancel orders, change addresses, start returns, check refunds and "
        f"your store credit, and answer shop questions. To talk to a person, {REACH_A_PERSON}."
    )


def order_status(order: Order) -> str:
    """Where an order is, with the carrier and dates that its status implies."""
    if order.status == "placed":
        return (
            f"Order {order.id} was placed on {_day(order.placed_on)} and has not shipped "
            f"yet, so its address can still be changed."
        )
    if order.status == "shipped":
        tracking = (
            f" with {order.carrier}, tracking number {order.tracking_number}"
            if order.carrier
            else ""
        )
        return (
            f"Order {order.id} shipped on {_day(order.shipped_on)}{tracking}. "
            f"It should arrive on {_day(order.eta)}."
        )
    if order.status == "delivered":
        return f"Order {order.id} was delivered on {_day(order.delivered_on)}."
    if order.status == "returned":
        return f"Order {order.id} was returned; ask me about the refund to see where it is."
    if order.status == "cancelled":
        return f"Order {order.id} was cancelled on {_day(order.cancelled_on)}."
    return f"Order {order.id} is {order.status}."


def order_address_changed(order: Order) -> str:
    return f"Done: order {order.id} will now be delivered to {order.shipping_address}."


def account_address_changed(customer: Customer) -> str:
    return (
        f"Done: your account address is now {customer.address}. Orders already placed "
        f"keep their address."
    )


def balance(customer: Customer) -> str:
    return f"You have {_money(customer.store_credit)} in store credit, {customer.name.split()[0]}."


def return_started(ret: Return) -> str:
    method = _refund_method(ret.refund_method)
    return (
        f"Your return {ret.id} for order {ret.order_id} is open. Once we receive the items "
        f"we refund {_money(ret.refund_amount)} {method}; you'll get a free return label "
        f"by email."
    )


def _refund_arrival(cancellation: Cancellation) -> str:
    if cancellation.refund_method == "store_credit":
        return "it is in your account now"
    return f"it reaches you by {_day(cancellation.refund_by)}"


def order_cancelled(cancellation: Cancellation, *, now: bool) -> str:
    """A cancellation: the refund amount, where it goes and when it arrives."""
    c = cancellation
    refund = f"{_money(c.refund_amount)} {_refund_method(c.refund_method)}"
    if now:
        return (
            f"Done: order {c.order_id} is cancelled and won't ship. We've refunded {refund}; "
            f"{_refund_arrival(c)}."
        )
    return (
        f"Order {c.order_id} was already cancelled on {_day(c.cancelled_on)}, and its refund "
        f"of {refund} was made then, so nothing more is charged or refunded."
    )


def cancel_refused(order: Order, returnable: bool, why: str) -> str:
    """Why an order can no longer be cancelled, and what the customer can do instead."""
    if order.status == "shipped":
        return (
            f"Order {order.id} already shipped on {_day(order.shipped_on)}, so it can't be "
            f"cancelled any more. Once it arrives (expected {_day(order.eta)}) you have "
            f"{RETURN_WINDOW_DAYS} days to return it for a refund: ask me to start a return then."
        )
    if order.status == "delivered" and returnable:
        return (
            f"Order {order.id} was delivered on {_day(order.delivered_on)}, so it can't be "
            f"cancelled, but you can still return it for a refund. Shall I start a return?"
        )
    if order.status == "returned":
        return (
            f"Order {order.id} has already been returned, so there is nothing to cancel. "
            f"Ask me about the refund to see where it is."
        )
    if order.status == "cancelled":
        return f"Order {order.id} was already cancelled on {_day(order.cancelled_on)}."
    return f"Order {order.id} can't be cancelled or returned any more: {why}."


def return_refused(why: str) -> str:
    return f"I can't start a return: {why}."


RETURN_STATUS = {
    "requested": "is open; we are waiting for the items to arrive",
    "received": "was received on {updated}; the refund of {amount} {method} is being processed",
    "refunded": "is complete: {amount} was refunded {method} on {updated}",
    "rejected": "was rejected on {updated}",
}


def return_status(ret: Return | None, order_id: str) -> str:
    if ret is None:
        return f"There is no return for order {order_id}. I can start one if you like."
    method = _refund_method(ret.refund_method)
    template = RETURN_STATUS.get(ret.status, "is {status}")
    detail = template.format(
        updated=_day(ret.updated_on),
        amount=_money(ret.refund_amount),
        method=method,
        status=ret.status,
    )
    return f"Your return {ret.id} for order {ret.order_id} {detail}."


def handoff_started(reason: str) -> str:
    return (
        f"I'm bringing in a person from our team now, because {reason}. They will see our "
        f"conversation, so you won't need to repeat yourself."
    )


def handoff_unreachable() -> str:
    return (
        "I couldn't reach our team just now. Your request is saved and will be passed on "
        "as soon as the service is back. Would you like to leave an email address or "
        "phone number so a person can get back to you? You can also say no."
    )


def handed_back(agent_name: str | None, outcome: str | None) -> str:
    who = agent_name or "Our team member"
    note = f' Their note: "{outcome}".' if outcome else ""
    return (
        f"{who} has handed the conversation back to me, Northwind Goods' AI assistant "
        f"(not a person).{note} Is there anything else I can help with? To talk to a "
        f"person again, {REACH_A_PERSON}."
    )


ASK_CONTACT = "What email address or phone number should a person use to reach you?"
ASK_PHONE = "What phone number should a person call you back on?"
PHONE_NEEDED = "Please give a phone number, so that a person can call you back."


def contact_saved(contact: str) -> str:
    return f"Thank you. A person from our team will get back to you at {contact}."


# Why a person is brought in, said plainly to the customer, per trigger kind.
TRIGGER_REASONS = {
    "customer_request": "you asked for one",
    "nlu_confidence": "I'm not sure I understood your message",
    "low_confidence_streak": "I didn't understand your last messages",
    "sentiment": "it sounds like this has been frustrating, and a person can help better",
    "turns": "we haven't solved this together yet",
    "loop": "we seem to be going round in circles",
    "language": "I speak only English",
}
RISK_REASONS = {
    "emergency": "your safety comes first and this needs a person right away",
    "escalation": "this needs a person from our team to handle it",
    "assistance": "a person from our team needs to approve this",
}


# "I speak only English; a person from our team will help you", in the languages customers
# most often write in; the English sentence follows it in every case.
ONLY_ENGLISH = {
    "es": "Lo siento, solo hablo inglés. Ahora le paso con una persona de nuestro equipo.",
    "fr": "Désolé, je ne parle qu'anglais. Je vous mets en relation avec une personne de notre "
    "équipe.",
    "de": "Entschuldigung, ich spreche nur Englisch. Ich verbinde Sie jetzt mit einer Person aus "
    "unserem Team.",
    "it": "Mi dispiace, parlo solo inglese. Ora la metto in contatto con una persona del nostro "
    "team.",
    "pt": "Desculpe, só falo inglês. Vou passá-lo agora a uma pessoa da nossa equipa.",
    "nl": "Sorry, ik spreek alleen Engels. Ik verbind u nu met iemand van ons team.",
}
ENGLISH_ONLY = "I'm sorry, I speak only English."


def only_english(language: str) -> list[str]:
    """What the assistant says first to a customer writing in another language."""
    translated = ONLY_ENGLISH.get(language)
    return [translated, ENGLISH_ONLY] if translated else [ENGLISH_ONLY]


def handoff_reason(trigger: dict) -> str:
    if trigger.get("kind") == "risk":
        return RISK_REASONS.get(str(trigger.get("value")), RISK_REASONS["escalation"])
    return TRIGGER_REASONS.get(str(trigger.get("kind")), "a person can help you best")
