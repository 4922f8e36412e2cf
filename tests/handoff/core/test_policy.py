"""Queue policy: teams, wait estimates and business hours (priorities: test_triage)."""

from datetime import datetime, timezone

import pytest

from handoff.core.policy import BusinessHours, estimate_wait, team_for


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp()


def test_a_mapped_topic_goes_to_its_team_and_an_unmapped_one_to_the_team_of_its_name():
    teams = {"refunds": "billing"}
    assert (team_for("refunds", teams), team_for("orders", teams), team_for(None, teams)) == (
        "billing",
        "orders",
        None,
    )


def test_a_star_mapping_catches_every_unmapped_topic():
    assert team_for("weird", {"*": "general"}) == "general"


def test_the_wait_estimate_is_unknown_without_agents_and_grows_with_position():
    assert estimate_wait(3, 0, 120) is None
    assert estimate_wait(1, 2, 120) == 120
    assert estimate_wait(5, 2, 120) == 360


def test_empty_business_hours_mean_always_open():
    assert BusinessHours.parse("").is_open(at("2026-11-22T03:00:00"))


def test_business_hours_open_inside_and_closed_outside_the_window():
    hours = BusinessHours.parse("mon-fri 09:00-17:00; sat 10:00-14:00")
    assert hours.is_open(at("2026-11-23T09:00:00"))  # Monday
    assert not hours.is_open(at("2026-11-23T17:00:00"))
    assert hours.is_open(at("2026-11-28T11:00:00"))  # Saturday
    assert not hours.is_open(at("2026-11-29T11:00:00"))  # Sunday


def test_business_hours_follow_the_configured_time_zone():
    hours = BusinessHours.parse("mon-fri 09:00-17:00", "America/New_York")
    assert not hours.is_open(at("2026-11-23T09:30:00"))
    assert hours.is_open(at("2026-11-23T14:30:00"))


def test_a_bad_business_hours_spec_names_the_bad_part():
    with pytest.raises(ValueError, match="mon-fry"):
        BusinessHours.parse("mon-fry 09:00-17:00")
