"""Rasa's REST channel, with the facts of each turn added to the assistant's replies.

Registered in credentials.yml in place of ``rest:`` under the same name, so the handoff
gateway still posts to ``/webhooks/rest/webhook`` with the same body. After Rasa has handled
the message, the channel takes the tracker the SQLite store has just saved (or, with another
store, reads it once: about 3 ms for a conversation of 80 events, against 0.02 ms for the
facts themselves) and appends one element to the list of replies::

    {"recipient_id": "<sender>", "custom": {"turn": {"intent": ..., "confidence": ...,
     "goal": "met" | "open" | "failed" | "none", "topic": ..., "order_ref": ...,
     "email_hash": ...}}}

(assistant/turn_facts.py). The gateway takes it out of the replies: it is never shown. A
message Rasa failed on gets Rasa's answer as before, without the element; so does a
streamed answer (``?stream=true``), which the gateway does not use.
"""

from __future__ import annotations

from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import structlog
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from assistant.thresholds import Thresholds, load_thresholds
from assistant.turn_facts import turn_facts
from contract.turns import TURN

log = structlog.get_logger("assistant.turn_channel")


class TurnRestInput(RestInput):
    """``/webhooks/rest/``: Rasa's REST channel plus the turn's facts as the last reply."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        path = Path((credentials or {}).get("config") or "config.yml")
        return cls(load_thresholds(path))

    async def turn_element(
        self, agent: Any, sender_id: str, message_id: str | None = None
    ) -> dict[str, Any] | None:
        tracker = _just_saved(agent.tracker_store, sender_id, message_id)
        if tracker is None:
            tracker = await agent.tracker_store.retrieve(sender_id)
        facts = turn_facts(tracker, self.thresholds) if tracker is not None else None
        if facts is None:
            return None
        return {"recipient_id": sender_id, "custom": {TURN: facts}}

    async def answer(
        self,
        agent: Any,
        on_new_message: Callable[[UserMessage], Awaitable[None]],
        text: str | None,
        sender_id: str | None,
        input_channel: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Rasa's replies to the message, then the turn's facts."""
        collector = CollectingOutputChannel()
        message = UserMessage(
            text, collector, sender_id, input_channel=input_channel, metadata=metadata
        )
        try:
            await on_new_message(message)
        except CancelledError:
            log.error("rest.message.received.timeout", sender_id=message.sender_id)
            return collector.messages
        except Exception:
            log.exception("rest.message.received.failure", sender_id=message.sender_id)
            return collector.messages
        try:
            element = await self.turn_element(agent, message.sender_id, message.message_id)
        except Exception:
            # The customer's answer matters more than its facts.
            log.exception("turn.facts_failed", sender_id=message.sender_id)
            element = None
        return [*collector.messages, element] if element is not None else collector.messages

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> ResponseStream | HTTPResponse:
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            input_channel = self._extract_input_channel(request)
            metadata = self.get_metadata(request)
            if bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(on_new_message, text, sender_id, input_channel, metadata),
                    content_type="text/event-stream",
                )
            agent = request.app.ctx.agent
            replies = await self.answer(
                agent, on_new_message, text, sender_id, input_channel, metadata
            )
            return response.json(replies)

        return webhook


def _just_saved(store: Any, sender_id: str, message_id: str | None) -> DialogueStateTracker | None:
    """The tracker the SQLite store (assistant/tracker_store.py) kept when it saved this
    message's turn, so the conversation is not loaded again; None with another store, or if
    the kept one is not of this message."""
    # Rasa wraps a custom store in an AwaitableTrackerStore that keeps it as `_tracker_store`.
    take = getattr(getattr(store, "_tracker_store", store), "take_saved", None)
    tracker = take(sender_id) if callable(take) else None
    if tracker is None or message_id is None:
        return None
    latest = tracker.latest_message
    return tracker if latest is not None and latest.message_id == message_id else None
