"""The assist endpoint: suggested replies for agents, computed where the understanding runs.

A Rasa input channel (``credentials.yml``: ``assistant.assist_channel.AssistChannel``) that adds
``POST /webhooks/assist/suggest`` to the Rasa server the handoff service already calls. It
parses the customer's message with the loaded model (without adding it to the conversation),
reads the conversation's slots from the tracker store, and asks
:func:`assistant.suggestions.suggest`. Earlier agent replies come with the request (the handoff
service holds them); they are scored with the same sentence encoder the model's featurizer
loaded (``load_encoder`` is one per process), so there is no second copy of any model.

Only a caller with the shared token (``X-Assist-Token``) is answered; the Rasa server listens on
loopback. Errors: 401 without the right token, 400 for a bad body, 503 while the model loads.
"""

from __future__ import annotations

import hmac
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.shop import Shop
from assistant.suggestions import PastReply, suggest
from assistant.thresholds import load_thresholds

TOKEN_HEADER = "X-Assist-Token"
MIN_TOKEN_LENGTH = 16
MAX_TEXT = 2000
MAX_PAST = 50
# Embeddings of earlier customer messages, kept so a busy desk does not re-embed them each time.
CACHE_SIZE = 4096


class AssistError(ValueError):
    """The request body is not what the endpoint takes; the message says what is wrong."""


def parse_body(body: Any) -> tuple[str, str, list[tuple[str, str]]]:
    """(conversation_id, text, [(customer text, agent reply), ...]) from the JSON body."""
    if not isinstance(body, dict):
        raise AssistError("body must be a JSON object")
    cid, text, past = body.get("conversation_id"), body.get("text"), body.get("past", [])
    if not isinstance(cid, str) or not 0 < len(cid) <= 100:
        raise AssistError("conversation_id must be a string of 1 to 100 characters")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise AssistError(f"text must be a non-blank string of at most {MAX_TEXT} characters")
    if not isinstance(past, list) or len(past) > MAX_PAST:
        raise AssistError(f"past must be a list of at most {MAX_PAST} items")
    pairs = []
    for item in past:
        customer = item.get("customer") if isinstance(item, dict) else None
        reply = item.get("reply") if isinstance(item, dict) else None
        if not all(isinstance(v, str) and 0 < len(v) <= MAX_TEXT for v in (customer, reply)):
            raise AssistError("each past item needs customer and reply strings")
        pairs.append((str(customer), str(reply)))
    return cid, text, pairs


class Similarity:
    """Cosine similarity of a message to earlier ones, with the assistant's sentence encoder."""

    def __init__(self) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        from assistant.embeddings import load_encoder

        missing = sorted({t for t in texts if t not in self._cache})
        if missing:
            for text, vector in zip(missing, load_encoder().encode(missing), strict=True):
                self._cache[text] = vector
        for text in texts:
            self._cache.move_to_end(text)
        rows = np.stack([self._cache[t] for t in texts])
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return rows

    def score(self, text: str, past: Sequence[tuple[str, str]]) -> list[PastReply]:
        if not past:
            return []
        vectors = self._vectors([text, *(customer for customer, _ in past)])
        # The encoder's vectors are unit length, so the dot product is the cosine.
        sims = vectors[1:] @ vectors[0]
        return [
            PastReply(customer, reply, float(sim))
            for (customer, reply), sim in zip(past, sims, strict=True)
        ]


class AssistChannel(InputChannel):
    """``/webhooks/assist/``: suggestions for agents, behind a shared token."""

    @classmethod
    def name(cls) -> str:
        return "assist"

    def __init__(self, token: str, config_path: Path, shop: Shop | None = None) -> None:
        if len(token) < MIN_TOKEN_LENGTH:
            raise ValueError(
                f"assist channel: token (HANDOFF_ASSIST_TOKEN) must be at least "
                f"{MIN_TOKEN_LENGTH} characters"
            )
        self.token = token.encode()
        self.min_confidence = load_thresholds(config_path).nlu_fallback_threshold
        self.shop = shop or Shop()
        self.similarity = Similarity()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials or not credentials.get("token"):
            cls.raise_missing_credentials_exception()
        return cls(str(credentials["token"]), Path(credentials.get("config") or "config.yml"))

    def authorised(self, request: Request) -> bool:
        given = (request.headers.get(TOKEN_HEADER) or "").encode()
        return hmac.compare_digest(given, self.token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("assist_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/suggest", methods=["POST"])
        async def suggest_route(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return _error(401, "unauthorised", f"missing or wrong {TOKEN_HEADER}")
            try:
                cid, text, past = parse_body(request.json)
            except AssistError as exc:
                return _error(400, "bad_request", str(exc))
            except Exception:  # Sanic raises its own error for a body that is not JSON
                return _error(400, "bad_request", "body is not JSON")
            agent = request.app.ctx.agent
            if agent is None or not agent.is_ready():
                return _error(503, "not_ready", "the model is not loaded yet")
            return response.json({"suggestions": await self.compute(agent, cid, text, past)})

        return bp

    async def compute(
        self, agent: Any, cid: str, text: str, past: list[tuple[str, str]]
    ) -> list[dict[str, str]]:
        # Parsed outside the conversation: the message is not added to the tracker.
        parse = await agent.processor.parse_message(UserMessage(text, sender_id=cid))
        tracker = await agent.tracker_store.retrieve(cid)
        slots = tracker.current_slot_values() if tracker is not None else {}
        found = suggest(
            parse,
            slots,
            agent.domain.responses,
            self.shop,
            self.similarity.score(text, past),
            min_confidence=self.min_confidence,
        )
        return [s.to_json() for s in found]


def _error(status: int, code: str, message: str) -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=status)
