"""Prometheus metrics, kept in memory and written in the text exposition format by hand."""

from __future__ import annotations

from collections import defaultdict

from handoff.core.outcomes import Outcome

WAIT_BUCKETS = (5, 15, 30, 60, 120, 300, 600, 1800)


class Metrics:
    def __init__(self) -> None:
        self.handoffs: dict[str, int] = defaultdict(int)
        self.connections: dict[str, int] = defaultdict(int)
        self.rejected: dict[str, int] = defaultdict(int)
        self.transitions: dict[str, int] = defaultdict(int)
        self.rasa_failures = 0
        self.emergencies = 0
        self.login_limited: dict[str, int] = defaultdict(int)
        self.messages = 0
        self.suggestions_offered: dict[str, int] = defaultdict(int)
        # (source, edited) of each sent agent message that began as a suggestion
        self.suggestions_used: dict[tuple[str, str], int] = defaultdict(int)
        self.wait_counts = [0] * len(WAIT_BUCKETS)
        self.wait_sum = 0.0
        self.wait_total = 0
        self.queue_length = 0
        self.agents_online = 0
        self.oldest_wait = 0.0
        self.outcomes: dict[str, int] = defaultdict(int)

    def observe_wait(self, seconds: float) -> None:
        self.wait_sum += seconds
        self.wait_total += 1
        for i, bound in enumerate(WAIT_BUCKETS):
            if seconds <= bound:
                self.wait_counts[i] += 1

    def observe_outcome(self, outcome: Outcome) -> None:
        """A conversation's outcome became final (counted once per conversation)."""
        self.outcomes[outcome.ending] += 1

    def render(self) -> str:
        out: list[str] = []

        def metric(name: str, kind: str, helptext: str, samples: list[tuple[str, float]]) -> None:
            out.append(f"# HELP {name} {helptext}")
            out.append(f"# TYPE {name} {kind}")
            out.extend(f"{name}{labels} {value}" for labels, value in samples)

        metric(
            "handoff_queue_length",
            "gauge",
            "Conversations waiting for an agent.",
            [("", self.queue_length)],
        )
        metric(
            "handoff_queue_oldest_wait_seconds",
            "gauge",
            "How long the longest waiting conversation has waited.",
            [("", round(self.oldest_wait, 3))],
        )
        metric(
            "handoff_agents_online", "gauge", "Agents connected now.", [("", self.agents_online)]
        )
        metric(
            "handoff_connections",
            "gauge",
            "Open websocket connections by role.",
            [(f'{{role="{k}"}}', v) for k, v in sorted(self.connections.items())],
        )
        metric(
            "handoff_handoffs_total",
            "counter",
            "Handoffs received, by trigger reason.",
            [(f'{{reason="{k}"}}', v) for k, v in sorted(self.handoffs.items())],
        )
        metric(
            "handoff_emergencies_total",
            "counter",
            "Handoffs in the emergency tier (imminent danger), queued at priority 0.",
            [("", self.emergencies)],
        )
        metric(
            "handoff_transitions_total",
            "counter",
            "Ownership changes, by new owner.",
            [(f'{{owner="{k}"}}', v) for k, v in sorted(self.transitions.items())],
        )
        metric(
            "handoff_frames_rejected_total",
            "counter",
            "Client frames rejected, by error code.",
            [(f'{{code="{k}"}}', v) for k, v in sorted(self.rejected.items())],
        )
        metric(
            "handoff_rasa_failures_total",
            "counter",
            "Calls to Rasa that failed or timed out.",
            [("", self.rasa_failures)],
        )
        metric(
            "handoff_login_limited_total",
            "counter",
            "Login attempts answered 429, by the limit that applied (account or address).",
            [(f'{{scope="{k}"}}', v) for k, v in sorted(self.login_limited.items())],
        )
        metric(
            "handoff_messages_total",
            "counter",
            "Conversation messages stored.",
            [("", self.messages)],
        )
        metric(
            "handoff_suggestions_offered_total",
            "counter",
            "Suggested replies offered to agents, by source.",
            [(f'{{source="{k}"}}', v) for k, v in sorted(self.suggestions_offered.items())],
        )
        metric(
            "handoff_suggestions_used_total",
            "counter",
            "Agent messages sent from a suggested reply, by source and whether it was edited.",
            [
                (f'{{source="{s}",edited="{e}"}}', v)
                for (s, e), v in sorted(self.suggestions_used.items())
            ],
        )
        metric(
            "handoff_outcomes_total",
            "counter",
            "Conversations whose outcome became final, by how they ended.",
            [(f'{{ending="{k}"}}', v) for k, v in sorted(self.outcomes.items())],
        )
        out.append("# HELP handoff_queue_wait_seconds Time from queued to an agent joining.")
        out.append("# TYPE handoff_queue_wait_seconds histogram")
        for bound, count in zip(WAIT_BUCKETS, self.wait_counts, strict=True):
            out.append(f'handoff_queue_wait_seconds_bucket{{le="{bound}"}} {count}')
        out.append(f'handoff_queue_wait_seconds_bucket{{le="+Inf"}} {self.wait_total}')
        out.append(f"handoff_queue_wait_seconds_sum {round(self.wait_sum, 3)}")
        out.append(f"handoff_queue_wait_seconds_count {self.wait_total}")
        return "\n".join(out) + "\n"
