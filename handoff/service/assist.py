"""Suggested replies for agents: ask the assistant, offer them to the agent, count their use.

The suggestions are computed by the assistant, where the understanding already runs
(``assistant/assist_channel.py``: ``POST $HANDOFF_RASA_URL/webhooks/assist/suggest`` with the
shared ``X-Assist-Token``). The service adds what only it has: the latest replies agents sent
in other conversations, each with the customer message it answered, which the assistant scores
with its sentence embeddings. Pairs that mention a redacted value of their conversation (an
email, a phone number) are about that customer and are never offered to anyone else.

Nothing is sent for the agent: a suggestion only reaches the reply box when the agent clicks
it. When the agent sends a message that began as a suggestion, `used()` says so; the mark is
stored with the message and counted in ``handoff_suggestions_used_total``.

AssistUnavailable: the assistant did not answer in time or answered something unusable; the
agent gets no suggestions for that message and the conversation goes on.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import OrderedDict
from typing import Any, Protocol

import aiohttp
import structlog

from handoff.core import AGENT, Desk
from handoff.frames import Suggestions
from handoff.metrics import Metrics
from handoff.service.live import LiveRegistry, Offered, ToAgent
from handoff.settings import Settings
from handoff.store import Store

log = structlog.get_logger("handoff.assist")

TOKEN_HEADER = "X-Assist-Token"
SOURCES = ("assistant", "shop", "agents")
# Earlier agent replies sent along with each request (the assistant takes at most 50).
PAST_LIMIT = 50
# Suggestions kept per conversation, so a reply box filled a few messages ago still counts.
KEPT = 9
TIMEOUT_SECONDS = 5.0


class AssistUnavailable(Exception):
    """The assistant's assist endpoint did not answer usably."""


class AssistClient:
    """Client of the assistant's assist endpoint, on loopback, with the shared token."""

    def __init__(self, base_url: str, token: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self.url = f"{base_url}/webhooks/assist/suggest"
        self.headers = {TOKEN_HEADER: token}
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def suggest(
        self, conversation_id: str, text: str, past: list[dict[str, str]]
    ) -> list[dict[str, str]]:
        if self._session is None:
            # New connections each time, as for messages (handoff/rasa.py): a free worker answers.
            self._session = aiohttp.ClientSession(
                timeout=self.timeout, connector=aiohttp.TCPConnector(force_close=True)
            )
        body = {"conversation_id": conversation_id, "text": text, "past": past}
        try:
            async with self._session.post(self.url, json=body, headers=self.headers) as response:
                if response.status != 200:
                    raise AssistUnavailable(f"assist endpoint answered HTTP {response.status}")
                answer = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise AssistUnavailable(f"{type(exc).__name__}: {exc}") from exc
        items = answer.get("suggestions") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise AssistUnavailable("assist endpoint answered without a list of suggestions")
        return [i for i in items if _valid(i)]


def _valid(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and item.get("source") in SOURCES
        and all(isinstance(item.get(k), str) and item[k] for k in ("text", "label"))
    )


class Holder(Protocol):
    """What suggestions need of the service's state (`handoff.service.state.State`)."""

    settings: Settings
    store: Store
    metrics: Metrics
    desk: Desk
    live: LiveRegistry


class Assist:
    """Suggestions for the conversations agents own (one per service, on the state); those
    offered are kept in each conversation's `Live` record."""

    def __init__(self, hub: Holder) -> None:
        self.hub = hub
        token = hub.settings.assist_token
        self.client = AssistClient(hub.settings.rasa_url, token) if token else None
        self.tasks: set[asyncio.Task[None]] = set()

    def customer_wrote(self, conversation_id: str, seq: int, text: str) -> None:
        """A customer message in a conversation an agent owns: offer suggestions for it."""
        conv = self.hub.desk.conversations.get(conversation_id)
        if self.client is None or conv is None or conv.owner != AGENT or not text.strip():
            return
        task = asyncio.create_task(self._offer(conversation_id, seq, text))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def assigned(self, conversation_id: str, transcript: list[dict[str, Any]]) -> None:
        """An agent took the conversation: suggestions for the customer's latest message."""
        for frame in reversed(transcript):
            if frame.get("type") == "message" and frame.get("sender") == "customer":
                self.customer_wrote(conversation_id, int(frame["seq"]), str(frame["text"]))
                return

    async def _offer(self, cid: str, seq: int, text: str) -> None:
        assert self.client is not None
        try:
            past = await self._past(cid)
            items = await self.client.suggest(cid, text, past)
        except AssistUnavailable as exc:
            log.warning("assist.unavailable", conversation_id=cid, error=str(exc))
            return
        except Exception:
            log.exception("assist.failed", conversation_id=cid)
            return
        conv = self.hub.desk.conversations.get(cid)
        if conv is None or conv.owner != AGENT or not conv.agent_id:
            return  # the agent left the conversation while the assistant was thinking
        live = self.hub.live.get(cid)
        if live.suggestions is None:
            live.suggestions = OrderedDict()
        kept = live.suggestions
        offered = []
        for item in items:
            sid = uuid.uuid4().hex[:12]
            kept[sid] = Offered(item["text"], item["source"])
            self.hub.metrics.suggestions_offered.labels(source=item["source"]).inc()
            offered.append({"id": sid, **{k: item[k] for k in ("text", "source", "label")}})
        while len(kept) > KEPT:
            kept.popitem(last=False)
        log.info("assist.offered", conversation_id=cid, seq=seq, count=len(offered))
        await self.hub.live.send(ToAgent(conv.agent_id), Suggestions(cid, seq, offered))

    async def _past(self, cid: str) -> list[dict[str, str]]:
        past = []
        for pair in await self.hub.store.agent_replies(cid, PAST_LIMIT):
            said = pair["customer"] + pair["reply"]
            if not any(v and v in said for v in pair["redacted"]):
                past.append({"customer": pair["customer"], "reply": pair["reply"]})
        return past

    def used(self, cid: str, suggestion_id: str | None, text: str) -> dict[str, Any] | None:
        """The mark stored with an agent's message that began as a suggestion, if it did."""
        if suggestion_id is None:
            return None
        live = self.hub.live.find(cid)
        kept = live.suggestions if live is not None else None
        item = kept.get(suggestion_id) if kept is not None else None
        if item is None:
            # Offered before a restart, or never: the message goes out unmarked.
            log.info("assist.unknown_suggestion", conversation_id=cid, suggestion=suggestion_id)
            return None
        edited = " ".join(text.split()) != " ".join(item.text.split())
        self.hub.metrics.suggestions_used.labels(
            source=item.source, edited="yes" if edited else "no"
        ).inc()
        log.info("assist.used", conversation_id=cid, source=item.source, edited=edited)
        return {"source": item.source, "edited": edited}

    async def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.client is not None:
            await self.client.close()
