"""Supervisors' figures from stored outcomes: each rate, series, distribution and list."""

from datetime import date

import pytest

from handoff.core.insights import (
    HANDLE_EDGES,
    WAIT_EDGES,
    Distribution,
    FailedTurn,
    day_start,
    failed_messages,
    normalise,
    summarise,
)
from handoff.core.outcomes import (
    ABANDONED_QUEUE,
    CONTAINED,
    HANDED_BACK_CONTAINED,
    OPEN,
    RESOLVED,
    Outcome,
)

D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)


def on(day: date, cid: str, ending: str = CONTAINED, final: bool = True, hour=10, **fields):
    started = day_start(day) + hour * 3600
    return Outcome(cid, ending, started, started, final=final, **fields)


def fig(outcomes, first=D1, last=D3, failed=()):
    return summarise(outcomes, failed, first, last).to_json()


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([], None),
        ([on(D1, "a")], 1.0),
        ([on(D1, "a"), on(D1, "b", HANDED_BACK_CONTAINED), on(D2, "c", RESOLVED)], 2 / 3),
        # Conversations still going on are not counted yet.
        ([on(D1, "a"), on(D1, "b", OPEN, final=False)], 1.0),
        ([on(D1, "a", ABANDONED_QUEUE), on(D2, "b", RESOLVED)], 0.0),
    ],
)
def test_containment_counts_contained_and_handed_back_then_contained_over_final(outcomes, expected):
    assert fig(outcomes)["totals"]["containment_rate"] == expected


def test_handoff_rates_by_trigger_and_risk_reason_are_per_day_and_in_total():
    outcomes = [
        on(D1, "a"),
        on(D1, "b", RESOLVED, trigger="risk", risk_reason="legal", handoffs=1),
        on(D1, "c", RESOLVED, trigger="sentiment", handoffs=1),
        on(D1, "d", RESOLVED, trigger="sentiment", handoffs=1),
        on(D3, "e", ABANDONED_QUEUE, trigger="risk", risk_reason="fraud", handoffs=1),
    ]
    figures = fig(outcomes)
    day1, day2, day3 = figures["days"]
    assert [d["day"] for d in figures["days"]] == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert day1["handoff_rate_by_trigger"] == {"risk": 0.25, "sentiment": 0.5}
    assert day1["handoff_rate_by_risk_reason"] == {"legal": 0.25}
    assert day1["handoff_rate"] == 0.75
    assert day2["conversations"] == 0
    assert day2["handoff_rate"] is None
    assert day3["handoff_rate_by_risk_reason"] == {"fraud": 1.0}
    assert figures["totals"]["handoffs_by_trigger"] == {"risk": 2, "sentiment": 2}
    assert figures["totals"]["handoff_rate_by_risk_reason"] == {"fraud": 0.2, "legal": 0.2}


def test_outcomes_outside_the_days_asked_for_are_left_out():
    outcomes = [on(date(2026, 2, 28), "before", hour=23), on(D1, "in", hour=0), on(D3, "in2")]
    outcomes.append(on(date(2026, 3, 4), "after", hour=0))
    assert fig(outcomes)["totals"]["conversations"] == 2


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [
        ([], None, None),
        ([40.0], 40.0, 40.0),
        ([10.0, 20.0], 15.0, 20.0),
        ([float(n) for n in range(1, 11)], 5.5, 9.0),
        ([5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 900.0], 5.0, 5.0),
    ],
)
def test_median_is_the_middle_and_p90_a_value_really_seen(values, median, p90):
    dist = Distribution.of(values, WAIT_EDGES)
    assert (dist.median, dist.p90, dist.count) == (median, p90, len(values))


def test_waits_fall_in_fixed_bins_with_the_edge_in_the_upper_bin():
    dist = Distribution.of([0.0, 29.9, 30.0, 59.0, 600.0, 5000.0], WAIT_EDGES)
    assert dist.labels[:2] == ["< 30 s", "30 s\u20131 min"]
    assert dist.labels[-1] == "\u2265 30 min"
    assert dist.counts == [2, 2, 0, 0, 0, 1, 1]


def test_wait_and_handle_distributions_read_only_the_conversations_that_had_them():
    outcomes = [
        on(D1, "a"),
        on(D1, "b", RESOLVED, wait_seconds=45.0, handle_seconds=200.0),
        on(D2, "c", RESOLVED, wait_seconds=15.0, handle_seconds=4000.0),
    ]
    figures = fig(outcomes)
    assert figures["wait"]["count"] == 2 and figures["wait"]["median_seconds"] == 30.0
    assert [b["count"] for b in figures["handle"]["bins"]] == [0, 0, 1, 0, 0, 0, 0, 1]
    assert len(figures["handle"]["bins"]) == len(HANDLE_EDGES) + 1


def test_ratings_of_the_assistant_and_of_people_are_reported_apart():
    outcomes = [
        on(D1, "a", bot_rating=4),
        on(D1, "b", RESOLVED, bot_rating=2, agent_rating=5),
        on(D2, "c", RESOLVED, agent_rating=4, final=False),
        on(D2, "d", RESOLVED),
    ]
    assert fig(outcomes)["ratings"] == {
        "assistant": {"mean": 3.0, "count": 2},
        "person": {"mean": 4.5, "count": 2},
    }


def test_first_contact_resolution_and_recontact_rates():
    outcomes = [
        on(D1, "a"),
        on(D1, "b", RESOLVED, recontacted=True),
        on(D2, "c", RESOLVED, recontact_of="b", recontact_days=1.0),
        on(D2, "d", ABANDONED_QUEUE),
    ]
    totals = fig(outcomes)["totals"]
    # a only: b was come back about, and c is itself a second contact about the same thing
    assert totals["first_contact_resolution_rate"] == 0.25
    assert totals["recontact_rate"] == 0.25  # c came back about b


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Where is my ORDER?", "where is my order"),
        ("  where   is my order!!  ", "where is my order"),
        ("order 10234 not here", "order # not here"),
        ("mail me at ana@example.com.", "mail me at <email>"),
        ("?!", ""),
    ],
)
def test_failed_messages_are_grouped_by_a_normalised_text(text, expected):
    assert normalise(text) == expected


def test_the_most_often_failed_messages_come_first_with_their_earliest_conversation():
    turns = [
        FailedTurn("c2", 3, "blorp", 20.0),
        FailedTurn("c1", 1, "Blorp!", 10.0),
        FailedTurn("c3", 1, "zzz", 5.0),
        FailedTurn("c4", 1, "aaa", 6.0),
        FailedTurn("c5", 1, "   ", 6.0),
    ]
    listed = failed_messages(turns)
    assert [(m.text, m.count, m.example_conversation_id) for m in listed] == [
        ("blorp", 2, "c1"),
        ("aaa", 1, "c4"),
        ("zzz", 1, "c3"),
    ]
    assert len(failed_messages(turns, top=1)) == 1


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends before"):
        summarise([], [], D2, D1)


def test_suggestion_use_counts_agent_replies_begun_from_a_suggestion_by_source():
    marks = [
        None,
        {"source": "assistant", "edited": False},
        {"source": "shop", "edited": True},
        {"source": "assistant", "edited": True},
        None,
    ]
    use = summarise([], [], D1, D1, replies=marks).to_json()["suggestions"]
    assert use == {
        "replies": 5,
        "suggested": 3,
        "edited": 2,
        "by_source": {"assistant": 2, "shop": 1},
        "rate": 0.6,
    }
    none = summarise([], [], D1, D1).to_json()["suggestions"]
    assert none == {"replies": 0, "suggested": 0, "edited": 0, "by_source": {}, "rate": None}
