"""The service's Prometheus metrics, on ``prometheus_client``: what happens live (connections,
handoffs, the queue) and how conversations ended (their stored outcomes, and ratings).

Each `Metrics` has its own ``CollectorRegistry``, so services started side by side in one
process (the tests start many) never count into each other; ``/metrics`` serves
``render()``. The queue gauges are set from the desk just before each scrape
(`State.update_gauges`), so a scrape always reads the queue as it is. docs/production.md
lists every metric and the Grafana board built on them (docs/grafana/handoff-dashboard.json).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from contract.handoff_context import TRIGGER_KINDS
from handoff.core.outcomes import ASSISTANT_PART, PERSON_PART, Outcome
from handoff.core.risk_reasons import RISK_REASONS

# The text format generate_latest writes, which every Prometheus server reads.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
NO_TEAM = "none"  # the team label of a conversation no handoff gave a team
PARTS = (ASSISTANT_PART, PERSON_PART)
SCORES = range(1, 6)

# Seconds, from a quick pick-up to a long wait for a person.
WAIT_BUCKETS = (5, 15, 30, 60, 120, 300, 600, 1800)
# Per conversation the wait is summed over its handoffs, so it reaches further.
CONVERSATION_WAIT_BUCKETS = (5, 15, 30, 60, 120, 300, 600, 1800, 3600)
# The assistant answers in about a second; longer means Rasa was slow or a person answered.
FIRST_ANSWER_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 300)
# An agent's time on one conversation: a quick answer to a long case.
HANDLE_BUCKETS = (30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
TURN_BUCKETS = (1, 2, 3, 5, 8, 13, 20, 30, 50)


class Metrics:
    """Every metric of one service, registered in its own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        # -- now: read from the desk at scrape time ---------------------------------------
        self.queue_length = Gauge(
            "handoff_queue_length", "Conversations waiting for an agent.", registry=r
        )
        self.oldest_wait = Gauge(
            "handoff_queue_oldest_wait_seconds",
            "How long the longest waiting conversation has waited.",
            registry=r,
        )
        self.agents_online = Gauge("handoff_agents_online", "Agents connected now.", registry=r)
        self.connections = Gauge(
            "handoff_connections", "Open websocket connections by role.", ["role"], registry=r
        )
        for role in ("customer", "agent"):
            self.connections.labels(role=role)
        # -- what happened, live -----------------------------------------------------------
        self.handoffs = Counter(
            "handoff_handoffs_total",
            "Handoffs received, by trigger reason.",
            ["reason"],
            registry=r,
        )
        self.risk_handoffs = Counter(
            "handoff_risk_handoffs_total",
            "Handoffs received, by the kind of their most severe risk reason "
            "(none: a routine request handed off by another trigger).",
            ["risk_reason"],
            registry=r,
        )
        # Every known label value starts at 0, so a rate over the first one counted is right.
        for kind in TRIGGER_KINDS:
            self.handoffs.labels(reason=kind)
        for word in RISK_REASONS:
            self.risk_handoffs.labels(risk_reason=word)
        self.emergencies = Counter(
            "handoff_emergencies_total",
            "Handoffs in the emergency tier (imminent danger), queued at priority 0.",
            registry=r,
        )
        self.transitions = Counter(
            "handoff_transitions_total", "Ownership changes, by new owner.", ["owner"], registry=r
        )
        self.rejected = Counter(
            "handoff_frames_rejected_total",
            "Client frames rejected, by error code.",
            ["code"],
            registry=r,
        )
        self.rasa_failures = Counter(
            "handoff_rasa_failures_total", "Calls to Rasa that failed or timed out.", registry=r
        )
        self.login_limited = Counter(
            "handoff_login_limited_total",
            "Login attempts answered 429, by the limit that applied (account or address).",
            ["scope"],
            registry=r,
        )
        self.messages = Counter(
            "handoff_messages_total", "Conversation messages stored.", registry=r
        )
        self.suggestions_offered = Counter(
            "handoff_suggestions_offered_total",
            "Suggested replies offered to agents, by source.",
            ["source"],
            registry=r,
        )
        self.suggestions_used = Counter(
            "handoff_suggestions_used_total",
            "Agent messages sent from a suggested reply, by source and whether it was edited.",
            ["source", "edited"],
            registry=r,
        )
        self.queue_wait = Histogram(
            "handoff_queue_wait_seconds",
            "Time from queued to an agent joining.",
            buckets=WAIT_BUCKETS,
            registry=r,
        )
        # -- how conversations ended: one observation per final outcome ---------------------
        self.outcomes = Counter(
            "handoff_outcomes_total",
            "Conversations that reached their final outcome, by how they ended and team.",
            ["ending", "team"],
            registry=r,
        )
        self.first_contact_resolved = Counter(
            "handoff_first_contact_resolved_total",
            "Final outcomes contained or resolved, not a recontact, and not yet come back "
            "about when they ended, by team.",
            ["team"],
            registry=r,
        )
        self.recontacts = Counter(
            "handoff_recontacts_total",
            "Final outcomes of customers who came back about an earlier conversation within "
            "the recontact window, by team.",
            ["team"],
            registry=r,
        )
        self.first_answer = Histogram(
            "handoff_first_answer_seconds",
            "Per conversation: the first customer message to the first answer.",
            buckets=FIRST_ANSWER_BUCKETS,
            registry=r,
        )
        self.conversation_wait = Histogram(
            "handoff_wait_seconds",
            "Per conversation that waited for a person: its time in the queue, summed.",
            buckets=CONVERSATION_WAIT_BUCKETS,
            registry=r,
        )
        self.handle = Histogram(
            "handoff_handle_seconds",
            "Per conversation a person handled: the time agents owned it, summed.",
            buckets=HANDLE_BUCKETS,
            registry=r,
        )
        self.customer_turns = Histogram(
            "handoff_customer_turns",
            "Per conversation: the messages the customer wrote.",
            buckets=TURN_BUCKETS,
            registry=r,
        )
        self.ratings = Counter(
            "handoff_ratings_total",
            "Customer ratings, by the part rated (assistant or person) and score (1-5).",
            ["part", "score"],
            registry=r,
        )
        for part in PARTS:
            for score in SCORES:
                self.ratings.labels(part=part, score=str(score))

    def observe_wait(self, seconds: float) -> None:
        """One wait from queued to an agent joining."""
        self.queue_wait.observe(seconds)

    def observe_outcome(self, outcome: Outcome) -> None:
        """Count a conversation's outcome; called once, when it becomes final."""
        if not outcome.final:
            raise ValueError(f"outcome of {outcome.conversation_id} is not final yet")
        team = outcome.team or NO_TEAM
        self.outcomes.labels(ending=outcome.ending, team=team).inc()
        if outcome.first_contact_resolved:
            self.first_contact_resolved.labels(team=team).inc()
        if outcome.recontact_of is not None:
            self.recontacts.labels(team=team).inc()
        if outcome.first_answer_seconds is not None:
            self.first_answer.observe(outcome.first_answer_seconds)
        if outcome.wait_seconds is not None and outcome.handoffs > 0:
            self.conversation_wait.observe(outcome.wait_seconds)
        if outcome.handle_seconds is not None and outcome.agent_id is not None:
            self.handle.observe(outcome.handle_seconds)
        self.customer_turns.observe(outcome.customer_turns)

    def observe_rating(self, part: str, score: int) -> None:
        """Count one customer rating of the assistant's part or the person's."""
        if part not in PARTS:
            raise ValueError(f"part must be one of {PARTS}, got {part!r}")
        if isinstance(score, bool) or score not in SCORES:
            raise ValueError(f"score must be an integer from 1 to 5, got {score!r}")
        self.ratings.labels(part=part, score=str(score)).inc()

    def render(self) -> bytes:
        """Every metric in the Prometheus text format."""
        return generate_latest(self.registry)
