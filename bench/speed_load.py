"""Load generators for the speed benchmarks.

Scripted customers talk through the gateway websocket; the same conversations go straight to a
Rasa REST channel; customers ask for a person while agents wait on their sockets. Each generator
returns the latency of every timed message, so the caller can report throughput and percentiles.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.e2e.clients import Agent, Customer

# Routine questions the assistant answers with one message each, without a handoff.
ROUTINE = (
    "What are your opening hours?",
    "How long does shipping take?",
    "What payment methods do you accept?",
    "What is your return policy?",
    "hello",
)
# The stock `rasa init` bot's own small talk, one reply each.
STOCK = ("hello", "I am great", "hi there", "good morning", "bye")
REPLY_TIMEOUT = 120.0


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile; `q` in [0, 100]."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class LoadResult:
    """Latencies (seconds) of the timed messages of one run, and the run's wall time."""

    label: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    errors: int = 0

    @classmethod
    def merge(cls, runs: Sequence[LoadResult]) -> LoadResult:
        """Several runs of one load as one: every latency, their wall times and errors added."""
        merged = cls(runs[0].label, runs[0].concurrency)
        for run in runs:
            merged.latencies += run.latencies
            merged.wall += run.wall
            merged.errors += run.errors
        return merged

    def summary(self) -> dict[str, Any]:
        ms = [x * 1000 for x in self.latencies]
        return {
            "label": self.label,
            "concurrency": self.concurrency,
            "messages": len(ms),
            "errors": self.errors,
            "throughput_msg_s": round(len(ms) / self.wall, 2) if self.wall else 0.0,
            "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "p99_ms": round(percentile(ms, 99), 1),
        }


def answered(after: int) -> Callable[[dict[str, Any]], bool]:
    """The assistant's answer after `after`: a bot message, or the notice that it timed out."""

    def match(frame: dict[str, Any]) -> bool:
        return frame.get("seq", 0) > after and (
            (frame["type"] == "message" and frame["sender"] == "bot")
            or (frame["type"] == "event" and frame["event"] == "bot_unavailable")
        )

    return match


def conversations_each(concurrency: int, total: int, per_conversation: int) -> int:
    """How many conversations each customer holds so a level sends about `total` messages."""
    return max(1, math.ceil(total / (concurrency * per_conversation)))


async def gateway_load(
    base_url: str, concurrency: int, total: int, texts: Sequence[str] = ROUTINE
) -> LoadResult:
    """Customers over the gateway websocket; a message's latency runs until the bot's reply."""
    result = LoadResult("gateway", concurrency)
    rounds = conversations_each(concurrency, total, len(texts))

    async def customer() -> None:
        for _ in range(rounds):
            client = Customer(base_url)
            try:
                await client.connect()
                opening = await client.wait_for(answered(0), timeout=REPLY_TIMEOUT)
                if opening["type"] == "event":
                    result.errors += 1
                for text in texts:
                    started = time.perf_counter()
                    seq = await client.say(text)
                    answer = await client.wait_for(answered(seq), timeout=REPLY_TIMEOUT)
                    if answer["type"] == "event":
                        # Past the gateway's Rasa timeout the customer is told the assistant
                        # is unavailable: no answer, so an error, not a latency.
                        result.errors += 1
                        continue
                    result.latencies.append(time.perf_counter() - started)
            except (AssertionError, OSError):
                result.errors += 1
            finally:
                await client.close()

    started = time.perf_counter()
    await asyncio.gather(*(customer() for _ in range(concurrency)))
    result.wall = time.perf_counter() - started
    return result


async def rest_load(
    rasa_url: str, concurrency: int, total: int, label: str, texts: Sequence[str] = ROUTINE
) -> LoadResult:
    """The same conversations posted straight to a Rasa REST channel."""
    result = LoadResult(label, concurrency)
    rounds = conversations_each(concurrency, total, len(texts))
    url = f"{rasa_url}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=REPLY_TIMEOUT)

    async def customer(http: aiohttp.ClientSession) -> None:
        for _ in range(rounds):
            sender = f"bench-{uuid.uuid4().hex}"
            try:
                # As the gateway does, the conversation starts before the first timed message.
                async with http.post(
                    url, json={"sender": sender, "message": "/session_start"}
                ) as r:
                    await r.read()
                for text in texts:
                    started = time.perf_counter()
                    async with http.post(url, json={"sender": sender, "message": text}) as r:
                        replies = await r.json()
                    if r.status != 200 or not replies:
                        result.errors += 1
                        continue
                    result.latencies.append(time.perf_counter() - started)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                result.errors += 1

    # A new connection per message, as the gateway makes: Rasa's workers share one listening
    # socket, and kept-alive connections stay with whichever worker accepted them, so a few
    # of them could leave one worker idle while the other queues.
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=True)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(customer(http) for _ in range(concurrency)))
        result.wall = time.perf_counter() - started
    return result


async def handoff_latency(
    base_url: str, agents: Sequence[Agent], count: int, text: str = "I want to talk to a human"
) -> LoadResult:
    """From the customer's message to the first agent socket holding the full context."""
    result = LoadResult("handoff", len(agents))
    for agent in agents:
        await agent.send({"type": "status", "available": True})
    started_all = time.perf_counter()
    for _ in range(count):
        customer = Customer(base_url)
        await customer.connect()
        await customer.wait_for(
            lambda f: f["type"] == "message" and f["sender"] == "bot", timeout=REPLY_TIMEOUT
        )
        cid = customer.conversation_id
        marks = [len(a.frames) for a in agents]
        started = time.perf_counter()
        await customer.say(text)
        waits = {
            asyncio.create_task(a.assigned(cid, after=m)): a
            for a, m in zip(agents, marks, strict=True)
        }
        done, pending = await asyncio.wait(
            waits, timeout=REPLY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        elapsed = time.perf_counter() - started
        for task in pending:
            task.cancel()
            # A wait whose cancel races with a frame may still end later, with its own
            # timeout: take its outcome then, without holding up the next handoff.
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
        finished = [t for t in done if t.exception() is None]
        if finished:
            result.latencies.append(elapsed)
            winner = waits[finished[0]]
            assert finished[0].result()["context"]["turns"], "context without turns"
            await winner.send({"type": "close", "conversation_id": cid, "resolution": "resolved"})
        else:
            result.errors += 1
        await customer.close()
    result.wall = time.perf_counter() - started_all
    return result


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


async def idle_sockets(base_url: str, pid: int, count: int) -> dict[str, Any]:
    """Memory the service holds per connected, idle customer (each with its conversation)."""
    gate = asyncio.Semaphore(100)
    warm = [Customer(base_url) for _ in range(20)]
    await asyncio.gather(*(c.connect() for c in warm))
    await asyncio.sleep(1.0)
    before = rss_bytes(pid)
    customers = [Customer(base_url) for _ in range(count)]

    async def connect(customer: Customer) -> None:
        async with gate:
            await customer.connect()

    started = time.perf_counter()
    await asyncio.gather(*(connect(c) for c in customers))
    connect_seconds = time.perf_counter() - started
    await asyncio.sleep(2.0)
    after = rss_bytes(pid)
    await asyncio.gather(*(c.close() for c in customers + warm))
    return {
        "sockets": count,
        "rss_before_mib": round(before / 2**20, 1),
        "rss_after_mib": round(after / 2**20, 1),
        "kib_per_socket": round((after - before) / count / 1024, 2),
        "connect_seconds": round(connect_seconds, 2),
    }


async def relay_throughput(base_url: str, concurrency: int, per_customer: int) -> LoadResult:
    """Messages relayed per second by the gateway alone (its Rasa answers at once)."""
    texts = [f"message {i}" for i in range(per_customer)]
    result = await gateway_load(base_url, concurrency, concurrency * per_customer, texts)
    result.label = "relay"
    return result
