"""The speed benchmarks in a tiny mode, on the product the end-to-end tests already started.

These keep `make bench-speed` working; they check that every measurement completes and adds up,
not how fast anything is (speed is what the benchmark prints, not what a test asserts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.speed import gateway_alone
from bench.speed_load import LoadResult, gateway_load, handoff_latency, rest_load

from .clients import new_agent

pytestmark = pytest.mark.stack


def test_rounds_of_one_load_merge_into_one_result() -> None:
    """Interleaved rounds count every latency and error once, over their summed wall time."""
    first = LoadResult("gateway", 2, [0.01, 0.03], wall=1.0, errors=1)
    second = LoadResult("gateway", 2, [0.02], wall=2.0)
    merged = LoadResult.merge([first, second]).summary()
    assert (merged["messages"], merged["errors"], merged["throughput_msg_s"]) == (3, 1, 1.0)
    assert merged["p50_ms"] == 20.0


async def test_gateway_and_direct_runs_time_every_message(stack: Any) -> None:
    through_gateway = await gateway_load(stack.base_url, concurrency=2, total=10)
    direct = await rest_load(stack.rasa_url, concurrency=2, total=10, label="direct")
    for result in (through_gateway, direct):
        summary = result.summary()
        assert summary["errors"] == 0
        assert summary["messages"] == 10
        assert 0 < summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"]


async def test_handoff_latency_is_measured_to_the_agent_holding_the_context(stack: Any) -> None:
    agent = new_agent(stack, "Smoke", capacity=10, teams=("general", "orders"))
    await agent.connect()
    result = await handoff_latency(stack.base_url, [agent], count=2)
    await agent.close()
    assert result.errors == 0
    assert len(result.latencies) == 2


async def test_the_gateway_alone_reports_socket_memory_and_relay_rate(tmp_path: Path) -> None:
    results = await gateway_alone(tmp_path, sockets=30, relay_customers=3, relay_messages=4)
    assert results["idle_sockets"]["sockets"] == 30
    assert results["relay"]["messages"] == 12
    assert results["relay"]["errors"] == 0
