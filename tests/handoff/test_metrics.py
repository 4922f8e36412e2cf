"""The metrics of one service: its own registry, outcomes and ratings counted once each."""

import pytest
from promutil import declared, sample

from handoff.core.outcomes import ABANDONED_QUEUE, CONTAINED, OPEN, RESOLVED, Outcome
from handoff.metrics import Metrics


def outcome(**fields) -> Outcome:
    values = {
        "conversation_id": "c1",
        "ending": RESOLVED,
        "started_at": 0.0,
        "updated_at": 100.0,
        "final": True,
        "team": "orders",
        "agent_id": "ana",
        "first_answer_seconds": 0.8,
        "wait_seconds": 45.0,
        "handle_seconds": 240.0,
        "customer_turns": 4,
        "handoffs": 1,
    }
    return Outcome(**(values | fields))


def text(metrics: Metrics) -> str:
    return metrics.render().decode()


def test_two_services_in_one_process_count_apart():
    one, two = Metrics(), Metrics()
    one.emergencies.inc()
    assert sample(text(one), "handoff_emergencies_total") == 1
    assert sample(text(two), "handoff_emergencies_total") == 0


def test_a_resolved_outcome_counts_its_ending_times_and_first_contact_resolution():
    metrics = Metrics()
    metrics.observe_outcome(outcome())
    out = text(metrics)
    assert sample(out, "handoff_outcomes_total", ending="resolved", team="orders") == 1
    assert sample(out, "handoff_first_contact_resolved_total", team="orders") == 1
    assert sample(out, "handoff_recontacts_total", team="orders") is None
    assert sample(out, "handoff_wait_seconds_bucket", le="30.0") == 0
    assert sample(out, "handoff_wait_seconds_bucket", le="60.0") == 1
    assert sample(out, "handoff_wait_seconds_sum") == 45.0
    assert sample(out, "handoff_handle_seconds_bucket", le="300.0") == 1
    assert sample(out, "handoff_first_answer_seconds_bucket", le="1.0") == 1
    assert sample(out, "handoff_customer_turns_bucket", le="3.0") == 0
    assert sample(out, "handoff_customer_turns_bucket", le="5.0") == 1


def test_a_recontact_counts_as_one_and_not_as_resolved_on_first_contact():
    metrics = Metrics()
    metrics.observe_outcome(outcome(recontact_of="c0", recontact_days=3.0))
    out = text(metrics)
    assert sample(out, "handoff_recontacts_total", team="orders") == 1
    assert sample(out, "handoff_first_contact_resolved_total", team="orders") is None


def test_a_contained_conversation_has_no_wait_nor_handle_time_and_no_team():
    metrics = Metrics()
    metrics.observe_outcome(
        outcome(ending=CONTAINED, team=None, agent_id=None, wait_seconds=0.0, handoffs=0)
    )
    out = text(metrics)
    assert sample(out, "handoff_outcomes_total", ending="contained", team="none") == 1
    assert sample(out, "handoff_first_contact_resolved_total", team="none") == 1
    assert sample(out, "handoff_wait_seconds_count") == 0
    assert sample(out, "handoff_handle_seconds_count") == 0
    assert sample(out, "handoff_customer_turns_count") == 1


def test_an_abandoned_wait_counts_its_wait_but_no_resolution():
    metrics = Metrics()
    metrics.observe_outcome(outcome(ending=ABANDONED_QUEUE, agent_id=None, handle_seconds=None))
    out = text(metrics)
    assert sample(out, "handoff_first_contact_resolved_total", team="orders") is None
    assert sample(out, "handoff_wait_seconds_count") == 1
    assert sample(out, "handoff_handle_seconds_count") == 0


def test_an_outcome_that_is_not_final_is_refused():
    with pytest.raises(ValueError, match="not final"):
        Metrics().observe_outcome(outcome(ending=OPEN, final=False))


def test_ratings_are_counted_by_part_and_score_and_every_pair_starts_at_zero():
    metrics = Metrics()
    metrics.observe_rating("assistant", 4)
    out = text(metrics)
    assert sample(out, "handoff_ratings_total", part="assistant", score="4") == 1
    assert sample(out, "handoff_ratings_total", part="person", score="1") == 0


@pytest.mark.parametrize(
    ("part", "score", "problem"),
    [("bot", 3, "part must be"), ("person", 0, "score must be"), ("person", True, "score must")],
)
def test_a_rating_of_an_unknown_part_or_score_is_refused(part, score, problem):
    with pytest.raises(ValueError, match=problem):
        Metrics().observe_rating(part, score)


def test_every_metric_says_what_it_counts():
    out = text(Metrics())
    helps = {line.split(" ")[2]: line for line in out.splitlines() if line.startswith("# HELP")}
    for name in declared(out):
        assert len(helps[name].split(" ", 3)[3]) > 10, name
