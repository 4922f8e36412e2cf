"""`make bench-speed`: how fast the product answers and how fast a person gets the case.

Starts everything itself on loopback and measures, in one run:

1. bot replies for 1, 10 and 50 concurrent customers through the gateway websocket, and the same
   load straight to the assistant's REST channel (the gateway's overhead is the ratio);
2. the same load against the stock `rasa init` bot, trained here, as a yardstick;
3. handoff latency: from the customer's message to an agent socket holding the full context;
4. the gateway alone (its Rasa answering at once): memory per idle customer socket and
   messages relayed per second.

Prints a table per part and, last, one JSON object; writes the JSON and a latency plot.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.speed_load import (
    STOCK,
    LoadResult,
    gateway_load,
    handoff_latency,
    idle_sockets,
    relay_throughput,
    rest_load,
)
from tests.e2e.clients import Agent

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import (  # noqa: E402
    BOT_BIN,
    HOST,
    SERVICE_BIN,
    Stack,
    _answers,
    free_port,
    scratch_stack,
    spawn,
)

STOCK_DIR = ROOT / "build" / "bench" / "stockbot"


def table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(no rows)"
    keys = list(rows[0])
    widths = {k: max(len(k), *(len(str(r.get(k, ""))) for r in rows)) for k in keys}
    lines = ["  ".join(k.ljust(widths[k]) for k in keys)]
    lines += ["  ".join(str(r.get(k, "")).ljust(widths[k]) for k in keys) for r in rows]
    return "\n".join(lines)


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not _answers(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"{url} not ready; see {log}:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


async def product_runs(
    stack: Stack, levels: list[int], total: int, handoffs: int, rounds: int = 4
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for level in levels:
        # Gateway and direct take turns in rounds, so drift in what else the shared machine
        # does lands on both alike instead of on whichever ran second.
        runs: dict[str, list[LoadResult]] = {"gateway": [], "direct": []}
        share = max(1, total // rounds)
        for _ in range(rounds):
            runs["gateway"].append(await gateway_load(stack.base_url, level, share))
            runs["direct"].append(await rest_load(stack.rasa_url, level, share, "direct"))
        through_gateway = LoadResult.merge(runs["gateway"])
        direct = LoadResult.merge(runs["direct"])
        for result in (through_gateway, direct):
            rows.append(result.summary())
        g, d = through_gateway.summary(), direct.summary()
        rows[-2]["p50_vs_direct"] = round(g["p50_ms"] / d["p50_ms"], 3) if d["p50_ms"] else None
        print(table(rows[-2:]), flush=True)

    agents = []
    for i in range(3):
        password = secrets.token_urlsafe(12)
        stack.create_agent(
            f"bench{i}",
            f"Bench {i}",
            password,
            teams=(
                "general",
                "orders",
                "billing",
                "returns",
                "refunds",
                "account",
                "payments",
                "legal",
            ),
            capacity=50,
        )
        agent = Agent(stack.base_url, username=f"bench{i}", password=password)
        await agent.connect()
        agents.append(agent)
    handoff = await handoff_latency(stack.base_url, agents, handoffs)
    for agent in agents:
        await agent.close()
    print(table([handoff.summary()]), flush=True)
    return {"bot_replies": rows, "handoff": handoff.summary()}


async def gateway_alone(
    workdir: Path, sockets: int, relay_customers: int, relay_messages: int
) -> dict[str, Any]:
    stub_port, port = free_port(), free_port()
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        HANDOFF_HOST=HOST,
        HANDOFF_PORT=str(port),
        HANDOFF_RASA_URL=f"http://{HOST}:{stub_port}",
        HANDOFF_DATABASE_URL=f"sqlite:///{workdir / 'gateway.db'}",
        HANDOFF_INTAKE_TOKEN=secrets.token_urlsafe(24),
        CUSTOMER_TOKEN_SECRET=secrets.token_urlsafe(24),
        HANDOFF_LOG_LEVEL="warning",
        # A customer's flood limit (a few messages a second) would cap the relay rate;
        # this measures what the gateway can relay, so the limit is lifted here only.
        HANDOFF_RATE_LIMIT_PER_SECOND="100000",
        HANDOFF_RATE_LIMIT_BURST="100000",
    )
    stub = spawn(
        [str(SERVICE_BIN / "python"), "-m", "bench.speed_stub_rasa", "--port", str(stub_port)],
        env,
        workdir / "logs" / "stub.log",
    )
    service = spawn(
        [str(SERVICE_BIN / "python"), "-m", "handoff"], env, workdir / "logs" / "gateway.log"
    )
    base_url = f"http://{HOST}:{port}"
    try:
        wait_ready(
            f"http://{HOST}:{stub_port}/webhooks/rest/", stub, 30, workdir / "logs" / "stub.log"
        )
        wait_ready(f"{base_url}/healthz", service, 60, workdir / "logs" / "gateway.log")
        memory = await idle_sockets(base_url, service.pid, sockets)
        print(table([memory]), flush=True)
        relay = await relay_throughput(base_url, relay_customers, relay_messages)
        print(table([relay.summary()]), flush=True)
        return {"idle_sockets": memory, "relay": relay.summary()}
    finally:
        for proc in (service, stub):
            proc.terminate()
            proc.wait(timeout=15)


async def stock_runs(workdir: Path, levels: list[int], total: int) -> list[dict[str, Any]]:
    env = dict(
        os.environ,
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        RASA_TELEMETRY_ENABLED="false",
    )
    if not any((STOCK_DIR / "models").glob("*.tar.gz")):
        print("Training the stock `rasa init` bot (a few minutes, once)...", flush=True)
        STOCK_DIR.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(
            subprocess.run,
            [str(BOT_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(STOCK_DIR)],
            cwd=STOCK_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    port = free_port()
    log = workdir / "logs" / "stock-rasa.log"
    rasa = spawn(
        [str(BOT_BIN / "rasa"), "run", "-i", HOST, "-p", str(port), "--model", "models"],
        env,
        log,
        cwd=STOCK_DIR,
    )
    try:
        wait_ready(f"http://{HOST}:{port}/webhooks/rest/", rasa, 420, log)
        rows = []
        for level in levels:
            result: LoadResult = await rest_load(
                f"http://{HOST}:{port}", level, total, "stock", STOCK
            )
            rows.append(result.summary())
            print(table(rows[-1:]), flush=True)
        return rows
    finally:
        rasa.terminate()
        rasa.wait(timeout=30)


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = results["bot_replies"] + results.get("stock", [])
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for label, marker in (("gateway", "o"), ("direct", "s"), ("stock", "^")):
        mine = [r for r in rows if r["label"] == label]
        if not mine:
            continue
        levels = [r["concurrency"] for r in mine]
        left.plot(levels, [r["p95_ms"] for r in mine], marker=marker, label=f"{label} p95")
        left.plot(
            levels, [r["p50_ms"] for r in mine], marker=marker, linestyle="--", label=f"{label} p50"
        )
        right.plot(levels, [r["throughput_msg_s"] for r in mine], marker=marker, label=label)
    left.set(
        xscale="log",
        xlabel="concurrent customers",
        ylabel="reply latency (ms)",
        title="Bot reply latency",
    )
    right.set(
        xscale="log", xlabel="concurrent customers", ylabel="replies per second", title="Throughput"
    )
    for axis in (left, right):
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8)
    fig.suptitle(f"Northwind Handoff on {os.cpu_count()} cores, {dt.date.today()}")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    levels = [int(x) for x in args.levels.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="bench-speed-"))
    stack = scratch_stack(workdir / "product")
    print(f"Starting the product (logs in {workdir})...", flush=True)
    await asyncio.to_thread(stack.start)
    try:
        results = await product_runs(stack, levels, args.messages, args.handoffs, args.rounds)
    finally:
        stack.stop()
    results["gateway_alone"] = await gateway_alone(
        workdir, args.sockets, args.relay_customers, args.relay_messages
    )
    if not args.no_stock:
        results["stock"] = await stock_runs(workdir, levels, args.messages)
    results["machine"] = {"cpus": os.cpu_count(), "date": dt.date.today().isoformat()}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,10,50", help="concurrent customers per run")
    parser.add_argument(
        "--messages", type=int, default=200, help="about this many timed messages per level"
    )
    parser.add_argument("--handoffs", type=int, default=30)
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--relay-customers", type=int, default=50)
    parser.add_argument("--relay-messages", type=int, default=40)
    parser.add_argument(
        "--rounds", type=int, default=4, help="gateway and direct alternate this many times"
    )
    parser.add_argument("--no-stock", action="store_true", help="skip the stock rasa init bot")
    parser.add_argument("--smoke", action="store_true", help="a tiny run that keeps this working")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "speed.json")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "img" / "bench-speed.png")
    args = parser.parse_args()
    if args.smoke:
        args.levels, args.messages, args.handoffs = "1,2", 10, 2
        args.sockets, args.relay_customers, args.relay_messages = 50, 5, 5
        args.no_stock, args.plot = True, None
        args.out = Path(tempfile.mkdtemp(prefix="bench-smoke-")) / "speed.json"
    results = asyncio.run(run(args))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    if args.plot is not None:
        plot(results, args.plot)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
