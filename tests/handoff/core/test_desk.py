"""The ownership/queue state machine, exercised without any I/O."""

import contextlib
import itertools
import random

import pytest

from handoff.core import (
    AGENT,
    BOT,
    CLOSED,
    QUEUE,
    Desk,
    GraceStarted,
    NotAllowed,
    OwnerChanged,
    QueueChanged,
    UnknownAgent,
    UnknownConversation,
)

GRACE = 30.0


def desk_with(*agents, online=True):
    desk = Desk()
    for spec in agents:
        name, teams, capacity = spec
        desk.add_agent(name, name.title(), frozenset(teams), capacity)
        if online:
            desk.connect(name, 0.0)
    return desk


def moves(events):
    return [
        (e.conversation_id, e.new_owner, e.new_agent, e.reason)
        for e in events
        if isinstance(e, OwnerChanged)
    ]


def test_a_new_conversation_is_owned_by_the_bot():
    desk = Desk()
    assert desk.open("c1").owner == BOT


def test_enqueue_moves_the_conversation_from_bot_to_queue_and_reports_the_reason():
    desk = Desk()
    events = desk.enqueue("c1", priority=2, team=None, now=1.0, reason="handoff:sentiment")
    assert moves(events) == [("c1", QUEUE, None, "handoff:sentiment")]
    assert QueueChanged(1.0) in events


def test_enqueue_of_a_conversation_already_waiting_is_refused():
    desk = Desk()
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    with pytest.raises(NotAllowed):
        desk.enqueue("c1", priority=1, team=None, now=2.0, reason="r")


def test_a_closed_conversation_can_be_queued_again():
    desk = desk_with(("ana", ["*"], 1))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    desk.close("ana", "c1", "resolved", 2.0)
    desk.set_available("ana", False, 3.0)
    events = desk.enqueue("c1", priority=2, team=None, now=4.0, reason="r")
    assert moves(events) == [("c1", QUEUE, None, "r")]


def test_escalations_are_served_before_assistance_then_first_come():
    desk = Desk()
    desk.enqueue("late-assist", priority=4, team=None, now=1.0, reason="r")
    desk.enqueue("early-esc", priority=2, team=None, now=2.0, reason="r")
    desk.enqueue("late-esc", priority=2, team=None, now=3.0, reason="r")
    desk.enqueue("angry-esc", priority=1, team=None, now=4.0, reason="r")
    assert [c.id for c in desk.queue()] == ["angry-esc", "early-esc", "late-esc", "late-assist"]


def test_position_is_one_based_and_none_when_not_waiting():
    desk = Desk()
    desk.enqueue("a", priority=2, team=None, now=1.0, reason="r")
    desk.enqueue("b", priority=2, team=None, now=2.0, reason="r")
    desk.open("c")
    assert (desk.position("a"), desk.position("b"), desk.position("c")) == (1, 2, None)


def test_an_available_agent_is_assigned_a_queued_conversation_automatically():
    desk = desk_with(("ana", ["orders"], 2))
    events = desk.enqueue("c1", priority=2, team="orders", now=5.0, reason="r")
    assert ("c1", AGENT, "ana", "auto_assigned") in moves(events)
    assert desk.get("c1").agent_id == "ana"


def test_a_held_conversation_waits_in_the_queue_until_the_hold_ends():
    desk = desk_with(("ana", ["orders"], 2))
    desk.held.add("c1")
    events = desk.enqueue("c1", priority=2, team="orders", now=5.0, reason="r")
    assert moves(events) == [("c1", QUEUE, None, "r")]
    desk.held.discard("c1")
    assert ("c1", AGENT, "ana", "auto_assigned") in moves(desk.tick(6.0))


def test_auto_assignment_respects_teams():
    desk = desk_with(("ana", ["orders"], 2))
    events = desk.enqueue("c1", priority=2, team="billing", now=5.0, reason="r")
    assert desk.get("c1").owner == QUEUE
    assert len(moves(events)) == 1


def test_an_agent_with_the_star_team_serves_every_team():
    desk = desk_with(("ana", ["*"], 2))
    desk.enqueue("c1", priority=2, team="billing", now=5.0, reason="r")
    assert desk.get("c1").owner == AGENT


def test_auto_assignment_stops_at_the_agent_capacity():
    desk = desk_with(("ana", ["*"], 2))
    for i in range(3):
        desk.enqueue(f"c{i}", priority=2, team=None, now=float(i), reason="r")
    assert [desk.get(f"c{i}").owner for i in range(3)] == [AGENT, AGENT, QUEUE]


def test_auto_assignment_prefers_the_least_busy_agent():
    desk = desk_with(("ana", ["*"], 3), ("ben", ["*"], 3))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    desk.enqueue("c2", priority=2, team=None, now=2.0, reason="r")
    assert {desk.get("c1").agent_id, desk.get("c2").agent_id} == {"ana", "ben"}


def test_an_unavailable_agent_gets_nothing_automatically_but_can_claim():
    desk = desk_with(("ana", ["*"], 2))
    desk.set_available("ana", False, 1.0)
    desk.enqueue("c1", priority=2, team=None, now=2.0, reason="r")
    assert desk.get("c1").owner == QUEUE
    events = desk.claim("ana", "c1", 3.0)
    assert moves(events) == [("c1", AGENT, "ana", "claimed")]


def test_becoming_available_pulls_the_next_conversation():
    desk = desk_with(("ana", ["*"], 2))
    desk.set_available("ana", False, 1.0)
    desk.enqueue("c1", priority=2, team=None, now=2.0, reason="r")
    events = desk.set_available("ana", True, 3.0)
    assert ("c1", AGENT, "ana", "auto_assigned") in moves(events)


def test_an_agent_cannot_claim_a_conversation_another_agent_owns():
    desk = desk_with(("ana", ["*"], 2), ("ben", ["*"], 2))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    other = "ben" if desk.get("c1").agent_id == "ana" else "ana"
    with pytest.raises(NotAllowed):
        desk.claim(other, "c1", 2.0)


def test_an_agent_cannot_claim_a_conversation_the_bot_owns():
    desk = desk_with(("ana", ["*"], 2))
    desk.open("c1")
    with pytest.raises(NotAllowed):
        desk.claim("ana", "c1", 1.0)


def test_an_agent_at_capacity_cannot_claim():
    desk = desk_with(("ana", ["*"], 1))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    desk.set_available("ana", False, 1.5)
    desk.enqueue("c2", priority=2, team=None, now=2.0, reason="r")
    with pytest.raises(NotAllowed):
        desk.claim("ana", "c2", 3.0)


def test_an_offline_agent_cannot_claim():
    desk = desk_with(("ana", ["*"], 1), online=False)
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    with pytest.raises(NotAllowed):
        desk.claim("ana", "c1", 2.0)


def test_unknown_ids_raise_their_own_errors():
    desk = desk_with(("ana", ["*"], 1))
    with pytest.raises(UnknownConversation):
        desk.claim("ana", "nope", 1.0)
    with pytest.raises(UnknownAgent):
        desk.connect("nobody", 1.0)


def test_disconnecting_starts_a_grace_period_for_each_owned_conversation():
    desk = desk_with(("ana", ["*"], 2))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    events = desk.disconnect("ana", 10.0, GRACE)
    assert GraceStarted("c1", "ana", 10.0 + GRACE) in events
    assert desk.get("c1").owner == AGENT


def test_the_conversation_stays_with_the_agent_who_returns_within_the_grace_period():
    desk = desk_with(("ana", ["*"], 2))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    desk.disconnect("ana", 10.0, GRACE)
    desk.connect("ana", 20.0)
    assert desk.tick(10.0 + GRACE + 1) == []
    assert desk.get("c1").agent_id == "ana"


def test_after_the_grace_period_the_conversation_returns_to_the_queue_ahead_of_newer_ones():
    desk = desk_with(("ana", ["*"], 1))
    desk.enqueue("old", priority=2, team=None, now=1.0, reason="r")
    desk.disconnect("ana", 10.0, GRACE)
    desk.enqueue("new", priority=2, team=None, now=20.0, reason="r")
    events = desk.tick(10.0 + GRACE)
    assert ("old", QUEUE, None, "agent_grace_expired") in moves(events)
    assert [c.id for c in desk.queue()] == ["old", "new"]


def test_nothing_expires_before_the_grace_deadline():
    desk = desk_with(("ana", ["*"], 1))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    desk.disconnect("ana", 10.0, GRACE)
    assert moves(desk.tick(10.0 + GRACE - 0.001)) == []


def test_a_conversation_returned_by_grace_expiry_goes_to_another_available_agent():
    desk = desk_with(("ana", ["*"], 1), ("ben", ["*"], 1))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    owner = desk.get("c1").agent_id
    other = "ben" if owner == "ana" else "ana"
    desk.disconnect(owner, 10.0, GRACE)
    events = desk.tick(10.0 + GRACE)
    assert ("c1", AGENT, other, "auto_assigned") in moves(events)


def test_transfer_to_an_agent_moves_ownership_directly():
    desk = desk_with(("ana", ["*"], 1), ("ben", ["*"], 1))
    desk.set_available("ben", False, 0.5)
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    events = desk.transfer_to_agent("ana", "c1", "ben", 2.0)
    assert moves(events) == [("c1", AGENT, "ben", "transferred_by:ana")]
    assert desk.agents["ana"].conversations == set()


def test_transfer_to_an_offline_agent_is_refused():
    desk = desk_with(("ana", ["*"], 1))
    desk.add_agent("ben", "Ben", frozenset(["*"]), 1)
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    with pytest.raises(NotAllowed):
        desk.transfer_to_agent("ana", "c1", "ben", 2.0)


def test_transfer_to_a_team_requeues_ahead_and_never_back_to_the_sender():
    desk = desk_with(("ana", ["*"], 2))
    desk.enqueue("c1", priority=2, team="orders", now=1.0, reason="r")
    events = desk.transfer_to_team("ana", "c1", "billing", 2.0)
    assert moves(events) == [("c1", QUEUE, None, "transferred_to_team:billing")]
    assert desk.get("c1").team == "billing"


def test_only_the_owning_agent_can_transfer_hand_back_or_close():
    desk = desk_with(("ana", ["*"], 1), ("ben", ["*"], 1))
    desk.set_available("ben", False, 0.5)
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    for command in (
        lambda: desk.hand_back("ben", "c1", 2.0),
        lambda: desk.close("ben", "c1", "resolved", 2.0),
        lambda: desk.transfer_to_team("ben", "c1", "x", 2.0),
        lambda: desk.transfer_to_agent("ben", "c1", "ana", 2.0),
    ):
        with pytest.raises(NotAllowed):
            command()


def test_hand_back_returns_the_conversation_to_the_bot_and_frees_the_agent():
    desk = desk_with(("ana", ["*"], 1))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    events = desk.hand_back("ana", "c1", 2.0)
    assert moves(events)[0] == ("c1", BOT, None, "handed_back")
    assert desk.agents["ana"].conversations == set()


def test_closing_frees_a_slot_that_the_next_waiting_conversation_takes():
    desk = desk_with(("ana", ["*"], 1))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    desk.enqueue("c2", priority=2, team=None, now=2.0, reason="r")
    events = desk.close("ana", "c1", "resolved", 3.0)
    assert moves(events) == [
        ("c1", CLOSED, None, "closed:resolved"),
        ("c2", AGENT, "ana", "auto_assigned"),
    ]


def test_a_customer_can_leave_the_queue_for_the_bot():
    desk = Desk()
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    assert moves(desk.leave_queue("c1", 2.0, "customer_continued_with_bot")) == [
        ("c1", BOT, None, "customer_continued_with_bot")
    ]
    with pytest.raises(NotAllowed):
        desk.leave_queue("c1", 3.0, "again")


def test_a_closed_conversation_reopens_with_the_bot():
    desk = desk_with(("ana", ["*"], 1))
    desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    desk.close("ana", "c1", "resolved", 2.0)
    assert moves(desk.reopen("c1", 3.0)) == [("c1", BOT, None, "customer_returned")]


def test_restoring_an_agent_owned_conversation_starts_a_grace_period():
    desk = Desk()
    desk.add_agent("ana", "Ana", frozenset(["*"]), 1)
    from handoff.core import Conversation

    desk.restore(Conversation("c1", owner=AGENT, agent_id="ana", rank=1.0), now=100.0, grace=GRACE)
    assert desk.get("c1").grace_until == 100.0 + GRACE
    assert "c1" in desk.agents["ana"].conversations


def test_every_transition_reports_the_previous_owner():
    desk = desk_with(("ana", ["*"], 1))
    events = desk.enqueue("c1", priority=2, team=None, now=1.0, reason="r")
    changes = [e for e in events if isinstance(e, OwnerChanged)]
    assert [(e.old_owner, e.new_owner) for e in changes] == [(BOT, QUEUE), (QUEUE, AGENT)]


def random_step(desk, rng, agent_ids, a, c, now):
    """One random command; refusals are part of the game."""
    commands = [
        lambda: desk.enqueue(
            c,
            priority=rng.randint(1, 4),
            team=rng.choice([None, "orders", "billing"]),
            now=now,
            reason="r",
        ),
        lambda: desk.claim(a, c, now),
        lambda: desk.close(a, c, "resolved", now),
        lambda: desk.hand_back(a, c, now),
        lambda: desk.transfer_to_team(a, c, "billing", now),
        lambda: desk.transfer_to_agent(a, c, rng.choice(agent_ids), now),
        lambda: desk.disconnect(a, now, GRACE),
        lambda: desk.connect(a, now),
        lambda: desk.set_available(a, rng.random() < 0.5, now),
        lambda: desk.leave_queue(c, now, "r"),
        lambda: desk.tick(now),
    ]
    with contextlib.suppress(NotAllowed, UnknownConversation):
        rng.choice(commands)()


def test_random_command_sequences_never_give_a_conversation_two_owners():
    """Each conversation is in at most one agent's set, and only if that agent owns it."""
    agents = [("ana", ["orders"], 2), ("ben", ["*"], 1), ("cy", ["billing"], 1)]
    agent_ids = [a[0] for a in agents]
    convs = ["c1", "c2", "c3", "c4"]
    rng = random.Random(7)
    for _ in range(200):
        desk = desk_with(*agents)
        now = 0.0
        for _step in range(40):
            now += rng.random() * 20
            random_step(desk, rng, agent_ids, rng.choice(agent_ids), rng.choice(convs), now)
            holders = {}
            for agent in desk.agents.values():
                assert len(agent.conversations) <= agent.capacity
                for conv_id in agent.conversations:
                    assert conv_id not in holders
                    holders[conv_id] = agent.id
            for conv in desk.conversations.values():
                if conv.owner == AGENT:
                    assert holders.get(conv.id) == conv.agent_id
                else:
                    assert conv.id not in holders and conv.agent_id is None


def test_every_pair_of_owner_states_is_reachable_only_through_allowed_moves():
    """The transitions the desk ever reports are exactly the documented ones."""
    allowed = {
        (BOT, QUEUE),
        (QUEUE, AGENT),
        (QUEUE, BOT),
        (AGENT, AGENT),
        (AGENT, QUEUE),
        (AGENT, BOT),
        (AGENT, CLOSED),
        (CLOSED, BOT),
        (CLOSED, QUEUE),
    }
    desk = desk_with(("ana", ["*"], 1), ("ben", ["*"], 1))
    seen = set()
    for i, script in enumerate(itertools.permutations(["close", "back", "team", "agent"])):
        cid = f"c{i}"
        desk.enqueue(cid, priority=2, team=None, now=float(i), reason="r")
        for step in script:
            conv = desk.get(cid)
            try:
                if step == "close":
                    ev = desk.close(conv.agent_id or "ana", cid, "resolved", float(i))
                elif step == "back":
                    ev = desk.hand_back(conv.agent_id or "ana", cid, float(i))
                elif step == "team":
                    ev = desk.transfer_to_team(conv.agent_id or "ana", cid, "x", float(i))
                else:
                    other = "ben" if conv.agent_id == "ana" else "ana"
                    ev = desk.transfer_to_agent(conv.agent_id or "ana", cid, other, float(i))
            except NotAllowed:
                continue
            seen |= {(e.old_owner, e.new_owner) for e in ev if isinstance(e, OwnerChanged)}
        for conv in list(desk.conversations.values()):
            if conv.owner == AGENT:
                desk.close(conv.agent_id, conv.id, "resolved", float(i))
    assert seen <= allowed


def desk_speaking(*agents):
    """Online agents of every team, as (name, languages, conversations already held)."""
    desk = Desk()
    for name, languages, busy in agents:
        desk.add_agent(name, name.title(), frozenset(["*"]), 5, frozenset(languages))
        desk.connect(name, 0.0)
        for index in range(busy):
            desk.enqueue(f"{name}-{index}", priority=4, team=None, now=0.0, reason="handoff")
    return desk


@pytest.mark.parametrize(
    ("agents", "language", "chosen"),
    [
        # A speaker of the language goes first, even when busier.
        ([("ana", ["en"], 0), ("ben", ["en", "es"], 0)], "es", "ben"),
        ([("ana", ["en"], 0), ("ben", ["es"], 0)], "es", "ben"),
        # Nobody speaks it: any agent of the team, the least busy first.
        ([("ana", ["en"], 0), ("ben", ["en", "fr"], 0)], "es", "ana"),
        # English or unknown: the usual least-busy order.
        ([("ana", ["es", "en"], 0), ("ben", ["en"], 0)], "en", "ana"),
        ([("ana", ["es"], 0), ("ben", ["en"], 0)], None, "ana"),
    ],
)
def test_assignment_prefers_an_agent_who_speaks_the_conversations_language(
    agents, language, chosen
):
    desk = desk_speaking(*agents)
    events = desk.enqueue("c1", priority=2, team=None, now=1.0, reason="handoff", language=language)
    assert [m for m in moves(events) if m[0] == "c1"][-1][2] == chosen


def test_a_speaker_is_preferred_over_a_less_busy_agent_who_does_not_speak_it():
    desk = Desk()
    desk.add_agent("ana", "Ana", frozenset(["*"]), 5, frozenset(["en"]))
    desk.add_agent("ben", "Ben", frozenset(["*"]), 5, frozenset(["en", "es"]))
    desk.connect("ben", 0.0)
    desk.enqueue("busy", priority=4, team=None, now=0.0, reason="handoff")
    desk.connect("ana", 0.5)
    events = desk.enqueue("c1", priority=2, team=None, now=1.0, reason="handoff", language="es")
    assert moves(events)[-1][:3] == ("c1", AGENT, "ben")


def test_a_speaker_of_another_team_does_not_take_the_conversation():
    desk = Desk()
    desk.add_agent("ana", "Ana", frozenset(["orders"]), 5, frozenset(["en"]))
    desk.add_agent("ben", "Ben", frozenset(["billing"]), 5, frozenset(["es"]))
    desk.connect("ana", 0.0)
    desk.connect("ben", 0.0)
    events = desk.enqueue("c1", priority=2, team="orders", now=1.0, reason="handoff", language="es")
    assert moves(events)[-1][:3] == ("c1", AGENT, "ana")
