"""`make bench-judgement`: conversation scripts played against the real product, judged by rule.

Starts the action server, the assistant and the handoff service on free loopback ports (as
`make bench-speed` does), connects an agent socket that watches the queue, plays every script of
the chosen set over its own customer websocket, a few at a time, and judges each by its
category's rule (bench/judgement/judge.py). Prints the pass rate per category and set, the
targets, the failing scripts with their transcripts in short, and, last, one JSON line.

Exit status 0 when the run completed (failing scripts are results), 1 when the benchmark itself
could not run (a bad script file, the product did not start, the agent could not connect).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.judgement.play import QueueWatch, play_all
from bench.judgement.report import failures, result, summarise, table, targets, targets_table
from bench.judgement.scripts import SETS, Script, ScriptError, load, select
from tests.e2e.clients import new_agent

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from stack import StackError, scratch_stack  # noqa: E402


def _progress(total: int) -> Any:
    done = [0]

    def show(script: Script, recording: Any, problem: str) -> None:
        done[0] += 1
        print(f"  [{done[0]}/{total}] {script.id}{' ' + problem if problem else ''}", flush=True)

    return show


async def run(scripts: list[Script], concurrency: int) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-judgement-"))
    stack = scratch_stack(workdir / "product")
    print(f"Starting the product (logs in {workdir})...", flush=True)
    await asyncio.to_thread(stack.start)
    try:
        watch = QueueWatch(new_agent(stack, "Queue watch", capacity=1))
        await watch.start()
        started = time.monotonic()
        print(f"Playing {len(scripts)} scripts, {concurrency} at a time...", flush=True)
        played = await play_all(
            stack.base_url, scripts, watch, concurrency, progress=_progress(len(scripts))
        )
        seconds = time.monotonic() - started
        await watch.close()
    finally:
        stack.stop()
    results = [result(s, played[s.id]) for s in scripts]
    summary = summarise(results)
    measured = targets(summary)
    print("\nFailing scripts:\n" + (failures(results) or "  none"))
    print("\nPass rates:\n" + table(summary))
    print("\nTargets:\n" + targets_table(measured))
    return {**summary, "targets": measured, "seconds": round(seconds, 1), "cpus": os.cpu_count()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="dev", help="which scripts")
    parser.add_argument("--only", nargs="+", metavar="ID", help="just these script ids")
    parser.add_argument("--limit", type=int, help="just the first N scripts")
    parser.add_argument("--concurrency", type=int, default=3, help="conversations at a time")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    try:
        scripts = select(load(SETS[args.set]), args.only, args.limit)
        if args.concurrency < 1:
            raise ScriptError(f"--concurrency must be at least 1, not {args.concurrency}")
        results = asyncio.run(run(scripts, args.concurrency))
    except (ScriptError, StackError) as exc:
        print(f"bench-judgement: {exc}", file=sys.stderr)
        return 1
    results["set"] = args.set
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
