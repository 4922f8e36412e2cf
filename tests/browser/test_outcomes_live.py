"""How conversations end, through the whole product: one conversation of every ending, driven
over real websockets, and then the same story in the store, on the supervisor's insights page
(Chromium) and on /metrics.

The product here is a stack of its own (fresh database, outcomes settled 4 s after the customer
leaves, agents offline 1 s after their socket closes), so every count is exact: the session's
stack holds the other tests' conversations.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from e2e.clients import Customer, new_agent
from playwright.sync_api import expect
from prometheus_client.parser import text_string_to_metric_families
from stack import Stack, new_secrets

from handoff.core.outcomes import (
    ABANDONED_BOT,
    ABANDONED_QUEUE,
    CONTACT,
    CONTAINED,
    HANDED_BACK_CONTAINED,
    RESOLVED,
    Outcome,
)
from handoff.store import open_store

ROOT = Path(__file__).resolve().parents[2]
BOT_TIMEOUT = 60.0
SETTLE_SECONDS = 4


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not any((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained assistant in models/: run `make train` first")
    stack = Stack(
        workdir=tmp_path_factory.mktemp("outcomes"),
        secrets=new_secrets(),
        extra_env={
            "HANDOFF_OUTCOME_SETTLE_SECONDS": str(SETTLE_SECONDS),
            "HANDOFF_AGENT_GRACE_SECONDS": "1",
        },
    )
    stack.start()
    yield stack
    stack.stop()


def is_event(name: str, **fields: Any) -> Any:
    return lambda f: (
        f["type"] == "event"
        and f["event"] == name
        and all(f.get(k) == v for k, v in fields.items())
    )


async def started(base_url: str) -> Customer:
    customer = Customer(base_url)
    await customer.start(BOT_TIMEOUT)
    return customer


async def track(customer: Customer, order: str, email: str) -> None:
    await customer.ask(f"Where is my order {order}?")
    answer = await customer.ask(email)
    assert order in answer["text"], answer


def metric_values(base_url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"{base_url}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def metric(values: dict[Any, float], name: str, **labels: str) -> float:
    """The sum over the samples of ``name`` whose labels include ``labels``."""
    return sum(
        v for (n, have), v in values.items() if n == name and set(labels.items()) <= set(have)
    )


async def drive(stack: Stack) -> dict[str, str]:
    """One conversation of each ending; returns their ids by the ending meant."""
    base, ids = stack.base_url, {}

    # Contained, and the assistant rated 5.
    a = await started(base)
    await track(a, "NW-10001", "maya.chen@example.com")
    await a.wait_for(is_event("csat_request", part="assistant"))
    await a.send({"type": "csat", "score": 5, "part": "assistant"})
    await a.wait_for(is_event("csat_received"))
    await a.close()
    ids["contained"] = a.conversation_id

    # The same customer back about the same order at once: a recontact of the first.
    g = await started(base)
    await track(g, "NW-10001", "maya.chen@example.com")
    await g.close()
    ids["recontact"] = g.conversation_id

    # Left while the order form still asked.
    b = await started(base)
    await b.ask("I want to cancel my order")
    await b.close()
    ids["abandoned_bot"] = b.conversation_id

    agent = new_agent(stack, name="Ana")
    await agent.connect()

    # A person resolved it, and was rated 4.
    e = await started(base)
    await e.ask("I need to speak to a person please")
    await agent.take(e.conversation_id)
    await agent.say(e.conversation_id, "Hi, I'm Ana. What can I do for you?")
    await e.wait_for(lambda f: f["type"] == "message" and f["sender"] == "agent")
    await agent.send(
        {"type": "close", "conversation_id": e.conversation_id, "resolution": "answered"}
    )
    await e.wait_for(is_event("csat_request", part="person"))
    await e.send({"type": "csat", "score": 4})
    await e.wait_for(is_event("csat_received"))
    await e.close()
    ids["resolved"] = e.conversation_id

    # Handed back by the person, then the assistant met the goal.
    f = await started(base)
    await f.ask("I want to talk to a human")
    await agent.take(f.conversation_id)
    mark = f.last_seq
    await agent.send(
        {"type": "handback", "conversation_id": f.conversation_id, "outcome": "Address checked"}
    )
    await f.reply_after(mark, timeout=BOT_TIMEOUT)
    await track(f, "NW-10003", "omar.haddad@example.com")
    await f.close()
    ids["handed_back_contained"] = f.conversation_id

    # Nobody online from here on.
    await agent.close()
    deadline = time.monotonic() + 30
    while metric(metric_values(base), "handoff_agents_online") > 0:
        assert time.monotonic() < deadline, "the agent never went offline"
        await asyncio.sleep(0.2)

    # Left the queue without leaving a way to be reached.
    c = await started(base)
    await c.ask("Can I talk to a real person?")
    await c.wait_for(is_event("offer_contact"))
    await c.close()
    ids["abandoned_queue"] = c.conversation_id

    # Left an email for a follow-up.
    d = await started(base)
    await d.ask("I'd like to speak with an agent")
    await d.wait_for(is_event("offer_contact"))
    client_id = uuid.uuid4().hex
    await d.send(
        {"type": "contact", "client_id": client_id, "name": "Dana", "email": "dana@example.com"}
    )
    await d.wait_for(is_event("contact_saved"))
    await d.close()
    ids["contact"] = d.conversation_id
    return ids


async def settled(url: str, ids: dict[str, str], timeout: float = 90.0) -> dict[str, Outcome]:
    """Every outcome once all are final (the customers have left; the sweep settles them)."""
    store = open_store(url)
    await store.open()
    try:
        deadline = time.monotonic() + timeout
        while True:
            outcomes = {name: await store.get_outcome(cid) for name, cid in ids.items()}
            if all(o is not None and o.final for o in outcomes.values()):
                return outcomes
            if time.monotonic() > deadline:
                raise AssertionError(f"not all final after {timeout}s: {outcomes}")
            await asyncio.sleep(0.5)
    finally:
        await store.close()


def run(coroutine: Any) -> Any:
    """Runs a coroutine on a loop of its own (Playwright's sync API has the main thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def login(base_url: str, username: str, password: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base_url}/api/agent/login",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return dict(json.load(response))


def test_every_ending_is_kept_in_the_store_shown_to_supervisors_and_counted_once(
    product: Stack, new_context: Any, shoot: Any
) -> None:
    ids = run(drive(product))
    o = run(settled(product.database_url, ids))

    # -- the store: how each ended, what it cost, the ratings, the recontact --------------
    assert {name: outcome.ending for name, outcome in o.items()} == {
        "contained": CONTAINED,
        "recontact": CONTAINED,
        "abandoned_bot": ABANDONED_BOT,
        "resolved": RESOLVED,
        "handed_back_contained": HANDED_BACK_CONTAINED,
        "abandoned_queue": ABANDONED_QUEUE,
        "contact": CONTACT,
    }
    for outcome in o.values():
        assert outcome.ended_at is not None and outcome.started_at <= outcome.ended_at
        assert outcome.first_answer_seconds is not None and outcome.first_answer_seconds >= 0
    assert o["contained"].bot_rating == 5 and o["contained"].agent_rating is None
    assert (o["contained"].handoffs, o["contained"].wait_seconds) == (0, None)
    assert o["contained"].customer_turns == 2
    assert o["contained"].recontacted and not o["contained"].first_contact_resolved
    assert o["recontact"].recontact_of == ids["contained"]
    assert o["recontact"].recontact_days is not None and 0 <= o["recontact"].recontact_days < 1
    assert not o["recontact"].first_contact_resolved  # a second contact about it
    resolved = o["resolved"]
    assert (resolved.resolution, resolved.agent_rating, resolved.handoffs) == ("answered", 4, 1)
    assert resolved.trigger == "customer_request" and resolved.agent_id
    assert resolved.wait_seconds is not None and resolved.handle_seconds
    assert resolved.ended_at - resolved.started_at >= resolved.handle_seconds
    back = o["handed_back_contained"]
    assert back.handoffs == 1 and back.handle_seconds and back.order_ref == "NW-10003"
    queued = o["abandoned_queue"]
    assert queued.handoffs == 1 and queued.wait_seconds and queued.handle_seconds is None
    # Waiting counts until the customer left, not until the outcome settled.
    assert queued.ended_at - queued.started_at >= queued.wait_seconds
    assert o["abandoned_bot"].handoffs == 0 and o["abandoned_bot"].customer_turns == 1

    # -- /metrics: each conversation counted once, at the end it reached ----------------
    values = metric_values(product.base_url)
    counted = {
        ending: metric(values, "handoff_outcomes_total", ending=ending)
        for ending in {outcome.ending for outcome in o.values()}
    }
    assert counted == {
        CONTAINED: 2,
        ABANDONED_BOT: 1,
        RESOLVED: 1,
        HANDED_BACK_CONTAINED: 1,
        ABANDONED_QUEUE: 1,
        CONTACT: 1,
    }
    assert metric(values, "handoff_outcomes_total") == 7
    assert metric(values, "handoff_recontacts_total") == 1
    assert metric(values, "handoff_ratings_total", part="assistant", score="5") == 1
    assert metric(values, "handoff_ratings_total", part="person", score="4") == 1
    assert metric(values, "handoff_ratings_total") == 2
    assert metric(values, "handoff_handle_seconds_count") == 2  # resolved, handed back

    # -- the insights page: the same conversations, in figures ------------------------------
    username, password = f"sue{uuid.uuid4().hex[:6]}", "pw-supervisor-secret"
    product.create_agent(username, "Sue", password, teams=("*",), role="supervisor")
    session = login(product.base_url, username, password)
    # Signed in as the console leaves it, without the console's socket: a supervisor online
    # would be offered the conversations still in the queue.
    context = new_context()
    context.add_init_script(
        f"sessionStorage.setItem('northwind-agent.session', {json.dumps(json.dumps(session))});"
    )
    page = context.new_page()
    page.goto(f"{product.base_url}/agent/insights")
    expect(page.get_by_role("status")).to_contain_text("all teams: 7 conversations.")

    def figure(name: str) -> Any:
        return page.locator(f'[data-figure="{name}"] dd')

    expect(figure("containment")).to_have_text("42.9 %")  # 2 contained + 1 handed back, of 7
    expect(figure("handoff")).to_have_text("57.1 %")  # resolved, handed back, queue, contact
    expect(figure("fcr")).to_have_text("28.6 %")  # resolved, handed back: not the recontact pair
    expect(figure("recontact")).to_have_text("14.3 %")
    expect(figure("assistant-rating")).to_have_text("5 of 5 (1 rating)")
    expect(figure("person-rating")).to_have_text("4 of 5 (1 rating)")
    # The times it shows are the stored ones: the page's own request, answered from the rows.
    shown = page.evaluate(
        """async () => {
          const {token} = JSON.parse(sessionStorage.getItem("northwind-agent.session"));
          const res = await fetch("/api/insights", {headers: {Authorization: `Bearer ${token}`}});
          return await res.json();
        }"""
    )
    waits = sorted(x.wait_seconds for x in o.values() if x.wait_seconds is not None)
    handles = sorted(x.handle_seconds for x in o.values() if x.handle_seconds is not None)
    assert len(waits) == 4 and len(handles) == 2  # queued: 2 taken by Ana, 2 left waiting
    assert shown["wait"]["count"] == 4 and shown["handle"]["count"] == 2
    assert shown["wait"]["median_seconds"] == pytest.approx(statistics.median(waits))
    assert shown["handle"]["median_seconds"] == pytest.approx(statistics.median(handles))
    assert shown["handle"]["p90_seconds"] == pytest.approx(handles[-1])
    shoot(page, "insights-live")
