"""Supervisors' insights: the stored outcomes of a date range summed into figures and series.

Pure: a list of `Outcome` and of the customer messages the assistant failed on go in, an
`Insights` comes out (`to_json()` is what ``GET /api/insights`` answers). Nothing here is worked
out from transcripts: outcomes are computed once, when conversations change
(handoff/core/outcomes.py), and both this page and ``/metrics`` read the stored rows.

Rates are over *final* outcomes (a conversation still going on cannot be counted yet); a
rate with nothing to count is ``None``, never 0. Days are UTC calendar days of
``started_at``. Percentiles are nearest-rank: p90 is a value that was really seen.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from handoff.core.outcomes import CONTAINED, HANDED_BACK_CONTAINED, Outcome

# Upper edges of the bins, in seconds; the last bin holds everything above the last edge.
WAIT_EDGES = (30, 60, 120, 300, 600, 1800)
HANDLE_EDGES = (60, 180, 300, 600, 1200, 1800, 3600)
# How many distinct failed messages the page lists.
TOP_FAILED = 20

CONTAINED_ENDINGS = (CONTAINED, HANDED_BACK_CONTAINED)
_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class FailedTurn:
    """A customer message the assistant did not understand (a turn whose goal failed)."""

    conversation_id: str
    seq: int
    text: str
    ts: float


def day_of(ts: float) -> date:
    return datetime.fromtimestamp(ts, timezone.utc).date()


def day_start(day: date) -> float:
    """The unix time at which a UTC day begins."""
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def normalise(text: str) -> str:
    """One spelling for messages that say the same: lower case, single spaces, no end
    punctuation, numbers as ``#`` and email addresses as ``<email>`` (an order number or an
    address is never the reason a message was not understood, and is not shown)."""
    text = _EMAIL.sub("<email>", text.casefold())
    text = _DIGITS.sub("#", text)
    return _SPACES.sub(" ", text).strip().strip(".!?,;:").strip()


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def label_bins(edges: Sequence[int]) -> list[str]:
    """Short names of the bins: "< 30 s", "30 s to 1 min" (an en dash), ..., "at least 30 min"."""

    def say(seconds: int) -> str:
        return f"{seconds // 60} min" if seconds >= 60 and seconds % 60 == 0 else f"{seconds} s"

    labels = [f"< {say(edges[0])}"]
    labels += [f"{say(low)}\u2013{say(high)}" for low, high in itertools.pairwise(edges)]
    return [*labels, f"\u2265 {say(edges[-1])}"]


@dataclass(frozen=True)
class Distribution:
    """Counts in fixed bins (``labels[i]`` names ``counts[i]``), the median and the p90."""

    labels: list[str]
    counts: list[int]
    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Iterable[float], edges: Sequence[int]) -> Distribution:
        seen = sorted(values)
        counts = [0] * (len(edges) + 1)
        for value in seen:
            counts[sum(1 for edge in edges if value >= edge)] += 1
        p90 = seen[math.ceil(0.9 * len(seen)) - 1] if seen else None
        median = statistics.median(seen) if seen else None
        return cls(label_bins(edges), counts, len(seen), median, p90)


@dataclass(frozen=True)
class Rating:
    mean: float | None
    count: int

    @classmethod
    def of(cls, scores: Iterable[int | None]) -> Rating:
        given = [s for s in scores if s is not None]
        return cls(statistics.fmean(given) if given else None, len(given))


@dataclass(frozen=True)
class SuggestionUse:
    """How often agents' replies began as a suggested reply: of the replies agents sent, how
    many did, how many of those were edited first, by where the suggestion came from."""

    replies: int = 0
    suggested: int = 0
    edited: int = 0
    by_source: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, marks: Iterable[Mapping[str, Any] | None]) -> SuggestionUse:
        """``marks``: one per agent reply, its stored suggestion mark or None."""
        marks = list(marks)
        used = [m for m in marks if m]
        sources = Counter(str(m.get("source") or "unknown") for m in used)
        edited = sum(bool(m.get("edited")) for m in used)
        return cls(len(marks), len(used), edited, dict(sorted(sources.items())))

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "rate": rate(self.suggested, self.replies)}


@dataclass
class Tally:
    """The counts behind every rate, for one day or for the whole range."""

    conversations: int = 0  # started, final or not
    final: int = 0
    contained: int = 0
    handoffs: int = 0  # final conversations handed to a person at least once
    first_contact_resolved: int = 0
    recontacts: int = 0  # final conversations that came back about an earlier one
    by_trigger: Counter[str] = field(default_factory=Counter)
    by_risk: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        self.conversations += 1
        if not outcome.final:
            return
        self.final += 1
        self.contained += outcome.ending in CONTAINED_ENDINGS
        self.first_contact_resolved += outcome.first_contact_resolved
        self.recontacts += outcome.recontact_of is not None
        if outcome.handoffs > 0 or outcome.trigger is not None:
            self.handoffs += 1
            self.by_trigger[outcome.trigger or "unknown"] += 1
            if outcome.risk_reason is not None:
                self.by_risk[outcome.risk_reason] += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "conversations": self.conversations,
            "final": self.final,
            "contained": self.contained,
            "handoffs": self.handoffs,
            "containment_rate": rate(self.contained, self.final),
            "handoff_rate": rate(self.handoffs, self.final),
            "first_contact_resolution_rate": rate(self.first_contact_resolved, self.final),
            "recontact_rate": rate(self.recontacts, self.final),
            "handoff_rate_by_trigger": {
                k: rate(n, self.final) for k, n in sorted(self.by_trigger.items())
            },
            "handoff_rate_by_risk_reason": {
                k: rate(n, self.final) for k, n in sorted(self.by_risk.items())
            },
            "handoffs_by_trigger": dict(sorted(self.by_trigger.items())),
            "handoffs_by_risk_reason": dict(sorted(self.by_risk.items())),
        }


@dataclass(frozen=True)
class FailedMessage:
    text: str  # normalised
    count: int
    example_conversation_id: str  # the earliest conversation it was seen in


@dataclass(frozen=True)
class Insights:
    first_day: date
    last_day: date
    team: str | None
    totals: Tally
    days: list[tuple[date, Tally]]
    wait: Distribution
    handle: Distribution
    assistant_rating: Rating
    person_rating: Rating
    failed: list[FailedMessage]
    suggestions: SuggestionUse = SuggestionUse()

    def to_json(self) -> dict[str, Any]:
        def dist(d: Distribution) -> dict[str, Any]:
            return {
                "bins": [
                    {"label": lb, "count": n} for lb, n in zip(d.labels, d.counts, strict=True)
                ],
                "count": d.count,
                "median_seconds": d.median,
                "p90_seconds": d.p90,
            }

        return {
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "team": self.team,
            "totals": self.totals.to_json(),
            "days": [{"day": day.isoformat(), **tally.to_json()} for day, tally in self.days],
            "wait": dist(self.wait),
            "handle": dist(self.handle),
            "ratings": {
                "assistant": self.assistant_rating.__dict__,
                "person": self.person_rating.__dict__,
            },
            "failed_messages": [m.__dict__ for m in self.failed],
            "suggestions": self.suggestions.to_json(),
        }


def failed_messages(turns: Iterable[FailedTurn], top: int = TOP_FAILED) -> list[FailedMessage]:
    """The most often failed messages, most frequent first (ties: alphabetical)."""
    counts: Counter[str] = Counter()
    first: dict[str, FailedTurn] = {}
    for turn in turns:
        key = normalise(turn.text)
        if not key:
            continue
        counts[key] += 1
        if key not in first or turn.ts < first[key].ts:
            first[key] = turn
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [FailedMessage(text, n, first[text].conversation_id) for text, n in ranked]


def summarise(
    outcomes: Iterable[Outcome],
    failed: Iterable[FailedTurn],
    first_day: date,
    last_day: date,
    team: str | None = None,
    replies: Iterable[Mapping[str, Any] | None] = (),
) -> Insights:
    """The insights of the conversations started from ``first_day`` to ``last_day`` (both
    included); outcomes outside those days are left out. Every day of the range has its
    entry in the series, empty days too, so a chart's x axis has no holes. ``replies``: the
    suggestion mark (or None) of each reply agents sent in those days."""
    if last_day < first_day:
        raise ValueError("the range ends before it starts")
    span = (last_day - first_day).days + 1
    days = [(first_day + timedelta(days=n), Tally()) for n in range(span)]
    totals = Tally()
    kept: list[Outcome] = []
    for outcome in outcomes:
        offset = (day_of(outcome.started_at) - first_day).days
        if not 0 <= offset < span:
            continue
        kept.append(outcome)
        totals.add(outcome)
        days[offset][1].add(outcome)
    return Insights(
        first_day,
        last_day,
        team,
        totals,
        days,
        Distribution.of((o.wait_seconds for o in kept if o.wait_seconds is not None), WAIT_EDGES),
        Distribution.of(
            (o.handle_seconds for o in kept if o.handle_seconds is not None), HANDLE_EDGES
        ),
        Rating.of(o.bot_rating for o in kept),
        Rating.of(o.agent_rating for o in kept),
        failed_messages(failed),
        SuggestionUse.of(replies),
    )
