"""Deliver handoff contexts to the handoff service without ever dropping one.

``submit`` POSTs the context to ``{base_url}/api/handoffs``. When the service cannot be
reached (connection error, timeout, 5xx) the context goes to a durable SQLite outbox, and a
background task (``ensure_retry_loop``) re-sends it with backoff until it is delivered. The
service treats a repeated ``handoff_id`` as the same handoff, so re-sending is safe.

A 4xx answer means our request is wrong (bad token, bad body): it is not retried, but it is
logged and kept in the outbox as ``failed`` with the reason, so nothing is lost silently.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from actions.settings import DEFAULT_OUTBOX, Settings

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    handoff_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    status TEXT NOT NULL,            -- pending | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at REAL NOT NULL,
    next_attempt_at REAL NOT NULL)
"""


@dataclass(frozen=True)
class SubmitResult:
    delivered: bool
    response: dict | None = None
    error: str | None = None


class _Retryable(Exception):
    """The service may accept the same request later (unreachable, timeout, 5xx)."""


class _Rejected(Exception):
    """The service refused the request (4xx); sending it again would not help."""


# One retry task per outbox per process (keyed by loop too, since tests run several loops).
_retry_tasks: dict[tuple[int, str], asyncio.Task] = {}


class HandoffClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        outbox_path: str | Path = DEFAULT_OUTBOX,
        timeout: float = 3.0,
        retry_interval: float = 5.0,
        max_backoff: float = 300.0,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"handoff URL must start with http:// or https://, got {base_url!r}")
        if not token:
            raise ValueError("the handoff intake token is empty (set HANDOFF_INTAKE_TOKEN)")
        self.url = base_url.rstrip("/") + "/api/handoffs"
        self._token = token
        self.outbox_path = Path(outbox_path)
        self.timeout = timeout
        self.retry_interval = retry_interval
        self.max_backoff = max_backoff
        self._outbox_ready = False
        self._flush_locks: dict[int, asyncio.Lock] = {}

    @classmethod
    def from_env(cls, settings: Settings | None = None) -> HandoffClient:
        """From ``HANDOFF_URL``, ``HANDOFF_INTAKE_TOKEN`` and ``NW_HANDOFF_OUTBOX``."""
        settings = settings or Settings.from_env()
        if not settings.intake_token:
            raise ValueError("HANDOFF_INTAKE_TOKEN is not set; the action server cannot hand off")
        return cls(settings.handoff_url, settings.intake_token, settings.outbox_path)

    # -- the outbox -----------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        if not self._outbox_ready:
            self.outbox_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.outbox_path, timeout=5.0)
        conn.row_factory = sqlite3.Row
        if not self._outbox_ready:
            with conn:
                conn.execute(SCHEMA)
            self._outbox_ready = True
        return conn

    def _store(self, context: dict, status: str, error: str) -> None:
        now = time.time()
        with closing(self._db()) as conn, conn:
            conn.execute(
                "INSERT INTO outbox (handoff_id, body, status, attempts, last_error, created_at,"
                " next_attempt_at) VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT(handoff_id) DO UPDATE"
                " SET body=excluded.body, status=excluded.status, last_error=excluded.last_error,"
                " attempts=outbox.attempts + 1",
                (
                    context["handoff_id"],
                    json.dumps(context),
                    status,
                    error,
                    now,
                    now + self.retry_interval,
                ),
            )

    def _forget(self, handoff_id: str) -> None:
        with closing(self._db()) as conn, conn:
            conn.execute("DELETE FROM outbox WHERE handoff_id=?", (handoff_id,))

    def outbox(self) -> list[dict[str, Any]]:
        """Everything waiting or failed, oldest first (for operators and tests)."""
        with closing(self._db()) as conn:
            rows = conn.execute("SELECT * FROM outbox ORDER BY id").fetchall()
        return [dict(row) for row in rows]

    # -- sending --------------------------------------------------------------------------
    async def _post(self, context: dict) -> dict:
        headers = {"Authorization": f"Bearer {self._token}"}
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self.url, json=context, headers=headers) as answer,
            ):
                text = await answer.text()
                if answer.status >= 500:
                    raise _Retryable(f"HTTP {answer.status}: {text[:200]}")
                if answer.status >= 400:
                    raise _Rejected(f"HTTP {answer.status}: {text[:200]}")
                try:
                    return json.loads(text) if text else {}
                except json.JSONDecodeError:
                    return {"raw": text[:200]}
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            raise _Retryable(f"{type(error).__name__}: {error}".rstrip(": ")) from error

    async def submit(self, context: dict) -> SubmitResult:
        """Deliver now if possible; otherwise keep it in the outbox for the retry loop."""
        handoff_id = context.get("handoff_id") if isinstance(context, dict) else None
        if not isinstance(handoff_id, str) or not handoff_id:
            raise ValueError("the handoff context needs a handoff_id string")
        try:
            response = await self._post(context)
        except _Retryable as error:
            self._store(context, "pending", str(error))
            log.warning("handoff.outboxed handoff_id=%s error=%s", handoff_id, error)
            return SubmitResult(False, None, str(error))
        except _Rejected as error:
            self._store(context, "failed", str(error))
            log.error("handoff.rejected handoff_id=%s error=%s", handoff_id, error)
            return SubmitResult(False, None, str(error))
        self._forget(handoff_id)  # an earlier attempt may still wait in the outbox
        log.info("handoff.delivered handoff_id=%s", handoff_id)
        return SubmitResult(True, response, None)

    def _backoff(self, attempts: int) -> float:
        return min(self.retry_interval * 2 ** max(attempts - 1, 0), self.max_backoff)

    async def flush_outbox(self, force: bool = False) -> int:
        """Re-send due pending items, oldest first; returns how many were delivered.

        Stops at the first item the service cannot take yet (it is down: later ones would fail
        too); ``force`` ignores the backoff schedule.
        """
        lock = self._flush_locks.setdefault(id(asyncio.get_running_loop()), asyncio.Lock())
        async with lock:  # the retry loop and a caller must not send the same item twice
            return await self._flush(force)

    async def _flush(self, force: bool) -> int:
        now = time.time()
        with closing(self._db()) as conn:
            due = conn.execute(
                "SELECT * FROM outbox WHERE status='pending' AND (? OR next_attempt_at <= ?)"
                " ORDER BY id",
                (force, now),
            ).fetchall()
        delivered = 0
        for row in due:
            try:
                await self._post(json.loads(row["body"]))
            except _Retryable as error:
                with closing(self._db()) as conn, conn:
                    conn.execute(
                        "UPDATE outbox SET attempts=attempts+1, last_error=?, next_attempt_at=?"
                        " WHERE id=?",
                        (str(error), time.time() + self._backoff(row["attempts"] + 1), row["id"]),
                    )
                log.warning("handoff.retry_failed handoff_id=%s error=%s", row["handoff_id"], error)
                break
            except _Rejected as error:
                with closing(self._db()) as conn, conn:
                    conn.execute(
                        "UPDATE outbox SET status='failed', last_error=? WHERE id=?",
                        (str(error), row["id"]),
                    )
                log.error("handoff.rejected handoff_id=%s error=%s", row["handoff_id"], error)
                continue
            with closing(self._db()) as conn, conn:
                conn.execute("DELETE FROM outbox WHERE id=?", (row["id"],))
            delivered += 1
            log.info("handoff.delivered_from_outbox handoff_id=%s", row["handoff_id"])
        return delivered

    async def _retry_forever(self) -> None:
        while True:
            await asyncio.sleep(self.retry_interval)
            try:
                await self.flush_outbox()
            except Exception:  # the loop must outlive any one bad flush (e.g. disk full)
                log.exception("handoff.flush_crashed")

    def ensure_retry_loop(self) -> asyncio.Task:
        """Start the background flusher once per process; call it from inside a running loop."""
        loop = asyncio.get_running_loop()  # raises RuntimeError outside a loop, on purpose
        key = (id(loop), str(self.outbox_path.resolve()))
        task = _retry_tasks.get(key)
        if task is None or task.done() or task.get_loop() is not loop:
            task = loop.create_task(self._retry_forever(), name="handoff-outbox-retry")
            _retry_tasks[key] = task
        return task
