"""Client of Rasa's REST channel: one message in, the assistant's replies out."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp


class RasaUnavailable(Exception):
    """Rasa did not answer in time, refused, or answered with something unusable."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float) -> None:
        self.url = f"{base_url}/webhooks/rest/webhook"
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if self._session is None:
            # A new connection per message: Rasa's worker processes share one listening
            # socket, and a worker busy with a message does not accept, so each message goes
            # to a worker that is free. Kept-alive connections would stay with whichever
            # worker accepted them first, however busy it is.
            self._session = aiohttp.ClientSession(
                timeout=self.timeout, connector=aiohttp.TCPConnector(force_close=True)
            )
        payload = {"sender": sender, "message": message, "metadata": metadata}
        try:
            async with self._session.post(self.url, json=payload) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"rasa answered HTTP {response.status}")
                replies = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise RasaUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(replies, list):
            raise RasaUnavailable("rasa answered something other than a list of messages")
        return [r for r in replies if isinstance(r, dict)]
