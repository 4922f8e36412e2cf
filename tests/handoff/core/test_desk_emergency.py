"""An emergency (priority 0) is served first and offered to every agent whatever their team."""

import pytest

from handoff.core import AGENT, QUEUE, Desk, NotAllowed


def desk_with(*agents):
    desk = Desk()
    for name, teams, capacity in agents:
        desk.add_agent(name, name.title(), frozenset(teams), capacity)
        desk.connect(name, 0.0)
    return desk


def test_an_emergency_goes_before_every_older_handoff():
    desk = Desk()
    desk.enqueue("old-angry", priority=1, team=None, now=1.0, reason="r")
    desk.enqueue("old-assist", priority=4, team=None, now=2.0, reason="r")
    desk.enqueue("fire", priority=0, team="orders", now=3.0, reason="r")
    assert [c.id for c in desk.queue()] == ["fire", "old-angry", "old-assist"]


@pytest.mark.parametrize(
    ("teams", "priority", "team", "owner"),
    [
        (["billing"], 0, "orders", AGENT),  # another team takes an emergency
        (["billing"], 0, None, AGENT),
        (["orders"], 0, "orders", AGENT),
        (["billing"], 1, "orders", QUEUE),  # an escalation still waits for its team
        (["billing"], 4, "orders", QUEUE),
        (["*"], 2, "orders", AGENT),
    ],
)
def test_auto_assignment_gives_an_emergency_to_any_team(teams, priority, team, owner):
    desk = desk_with(("ana", teams, 1))
    desk.enqueue("c1", priority=priority, team=team, now=1.0, reason="r")
    assert desk.get("c1").owner == owner


def test_the_emergency_is_assigned_before_an_older_conversation_of_the_agents_own_team():
    desk = Desk()
    desk.add_agent("ana", "Ana", frozenset({"orders"}), 1)
    desk.enqueue("old", priority=2, team="orders", now=1.0, reason="r")
    desk.enqueue("fire", priority=0, team="billing", now=2.0, reason="r")
    desk.connect("ana", 3.0)
    assert (desk.get("fire").owner, desk.get("old").owner) == (AGENT, QUEUE)


@pytest.mark.parametrize(("priority", "allowed"), [(0, True), (1, False), (4, False)])
def test_only_an_emergency_can_be_claimed_by_an_agent_at_capacity(priority, allowed):
    desk = desk_with(("ana", ["*"], 1))
    desk.enqueue("busy", priority=2, team=None, now=1.0, reason="r")
    desk.enqueue("c2", priority=priority, team=None, now=2.0, reason="r")
    assert desk.get("c2").owner == QUEUE
    if allowed:
        desk.claim("ana", "c2", 3.0)
        assert desk.get("c2").agent_id == "ana"
    else:
        with pytest.raises(NotAllowed, match="capacity"):
            desk.claim("ana", "c2", 3.0)
