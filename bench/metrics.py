"""Score intent predictions by the protocol of Larson et al. (2019), as the product acts on them.

A message is *answered* when the best intent is confident enough and not ambiguous (the rule
of Rasa's FallbackClassifier); otherwise the product falls back or hands off. An in-scope
message is correct only when answered with the right intent; an ``out_of_scope`` message is
correct only when not answered. Pure functions: no Rasa, no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bench.data import OUT_OF_SCOPE


@dataclass(frozen=True)
class Prediction:
    """What the classifier said about one test message (the fallback intent left out)."""

    true_intent: str
    intent: str
    confidence: float
    # Confidence of the runner-up intent; 0 when there is none.
    second_confidence: float


# Intents the product's pipeline adds whatever it is trained on, scored as the data set's label
# of the same meaning. Only this pair: the identity-question classifier answers CLINC150's
# ``are_you_a_bot`` questions as the assistant's ``bot_challenge``.
SAME_MEANING = {"bot_challenge": "are_you_a_bot"}


def with_dataset_names(
    predictions: Sequence[Prediction], labels: Sequence[str] | set[str]
) -> list[Prediction]:
    """The predictions with a product intent renamed to the label of the same meaning, where
    the data set has that label (elsewhere ``bot_challenge`` stays wrong)."""
    rename = {ours: theirs for ours, theirs in SAME_MEANING.items() if theirs in set(labels)}
    return [replace(p, intent=rename[p.intent]) if p.intent in rename else p for p in predictions]


def answered(p: Prediction, threshold: float, ambiguity_threshold: float = 0.0) -> bool:
    """Whether the product answers (rather than falls back or hands off)."""
    if p.confidence < threshold:
        return False
    return not (
        ambiguity_threshold > 0 and p.confidence - p.second_confidence < ambiguity_threshold
    )


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def macro_f1(pairs: Sequence[tuple[str, str]], labels: Sequence[str]) -> float | None:
    """Mean F1 over ``labels`` of (true, predicted) pairs; a label never hit counts 0."""
    if not labels:
        return None
    hits = Counter(t for t, p in pairs if t == p)
    true_counts = Counter(t for t, _ in pairs)
    predicted_counts = Counter(p for _, p in pairs)
    return sum(
        2 * hits[label] / (true_counts[label] + predicted_counts[label]) if hits[label] else 0.0
        for label in labels
    ) / len(labels)


def score(
    predictions: Sequence[Prediction], threshold: float, ambiguity_threshold: float = 0.0
) -> dict[str, float | None]:
    """The headline numbers at one threshold (fractions in [0, 1])."""
    in_scope = [p for p in predictions if p.true_intent != OUT_OF_SCOPE]
    oos = [p for p in predictions if p.true_intent == OUT_OF_SCOPE]
    said = {id(p): answered(p, threshold, ambiguity_threshold) for p in predictions}
    held_back = [p for p in predictions if not said[id(p)]]
    # A message that is not answered is labelled out_of_scope, so F1 penalises handoffs too.
    pairs = [(p.true_intent, p.intent if said[id(p)] else OUT_OF_SCOPE) for p in predictions]
    return {
        "in_scope_accuracy": _ratio(
            sum(1 for p in in_scope if said[id(p)] and p.intent == p.true_intent), len(in_scope)
        ),
        "in_scope_accuracy_without_threshold": _ratio(
            sum(1 for p in in_scope if p.intent == p.true_intent), len(in_scope)
        ),
        "in_scope_handoff_rate": _ratio(sum(1 for p in in_scope if not said[id(p)]), len(in_scope)),
        "oos_recall": _ratio(sum(1 for p in oos if not said[id(p)]), len(oos)) if oos else None,
        "oos_precision": (
            _ratio(sum(1 for p in held_back if p.true_intent == OUT_OF_SCOPE), len(held_back))
            if oos
            else None
        ),
        "macro_f1": macro_f1(pairs, sorted({p.true_intent for p in in_scope})),
    }


def sweep(
    predictions: Sequence[Prediction], thresholds: Sequence[float], ambiguity_threshold: float = 0.0
) -> list[dict[str, float | None]]:
    """In-scope accuracy, OOS recall and handoff rate at each threshold (for the trade-off plot)."""
    rows = []
    for threshold in thresholds:
        numbers = score(predictions, threshold, ambiguity_threshold)
        rows.append(
            {
                "threshold": threshold,
                "in_scope_accuracy": numbers["in_scope_accuracy"],
                "oos_recall": numbers["oos_recall"],
                "in_scope_handoff_rate": numbers["in_scope_handoff_rate"],
            }
        )
    return rows
