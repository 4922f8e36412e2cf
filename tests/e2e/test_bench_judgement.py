"""The judgement benchmark on a few development scripts, on the product the e2e tests started.

This keeps `make bench-judgement` working: scripts play turn by turn, each turn's frames land in
the turn that caused them, the queue watch sees the handoffs, and the judge tells a script that
keeps its rule from one that breaks it. How the assistant does is what the benchmark prints,
not what this asserts, except where the service guarantees the outcome ("Talk to a person" is
always honoured).
"""

from __future__ import annotations

from typing import Any

import pytest

from bench.judgement.judge import Recording, judge
from bench.judgement.play import QueueWatch, play_all
from bench.judgement.scripts import SETS, Script, Turn, load, select

from .clients import new_agent

pytestmark = pytest.mark.stack

DEV = ["d-person-16", "d-person-17", "d-routine-01", "d-ident-01", "d-emerg-01"]
# "Talk to a person" in a routine script: the service always hands off, so the judge must fail it.
BAD = Script("bad-routine", "routine", (Turn("say", "hello"), Turn("request_agent", "")), 1)


async def test_scripts_play_turn_by_turn_and_are_judged_by_their_rule(stack: Any) -> None:
    scripts = [*select(load(SETS["dev"]), DEV, None), BAD]
    watch = QueueWatch(new_agent(stack, "Queue watch", capacity=1))
    await watch.start()
    try:
        played = await play_all(stack.base_url, scripts, watch, concurrency=3)
    finally:
        await watch.close()
    recordings = {sid: r for sid, r in played.items() if isinstance(r, Recording)}
    assert set(recordings) == {s.id for s in scripts}, played

    for script in scripts:
        recording = recordings[script.id]
        assert not any(t.error for t in recording.turns), (script.id, recording.turns)
        for turn in recording.turns:  # every turn got its own answer or handoff
            assert any(
                (f.get("type") == "message" and f.get("sender") == "bot")
                or f.get("type") == "event"
                for f in turn.frames
            ), (script.id, turn)

    good = judge(next(s for s in scripts if s.id == "d-person-16"), recordings["d-person-16"])
    assert good.passed, good.reason
    assert good.handoff_turn == 0
    assert good.trigger == "customer_request"

    bad = judge(BAD, recordings["bad-routine"])
    assert not bad.passed
    assert bad.reason == "handed off in turn 2"
    item = recordings["bad-routine"].queue_item
    assert item is not None and isinstance(item["priority"], int) and item["tier"]
