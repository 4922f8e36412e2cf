"""Read benchmark examples from Rasa NLU YAML and write (possibly reduced) copies for training.

The public sets live outside the project (``../shared/data`` by default) and are only read;
a reduced copy (``--limit-per-intent``, ``--smoke``) is written to a temporary folder.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

# The label Larson et al. (and CLINC150) give to messages no intent covers.
OUT_OF_SCOPE = "out_of_scope"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@dataclass(frozen=True)
class Example:
    text: str
    intent: str


def load_examples(path: Path) -> list[Example]:
    """Every intent example of a Rasa NLU YAML file, in file order."""
    data = load_data(str(path))
    return [
        Example(message.get("text"), message.get("intent"))
        for message in data.intent_examples
        if message.get("text") and message.get("intent")
    ]


def limit_per_intent(
    examples: Sequence[Example], limit: int | None, seed: int = 0
) -> list[Example]:
    """At most ``limit`` examples of each label, drawn at random but reproducibly."""
    if not limit:
        return list(examples)
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example)
    rng = random.Random(seed)
    kept = []
    for intent in sorted(by_intent):
        group = by_intent[intent]
        kept.extend(rng.sample(group, min(limit, len(group))))
    return kept


def write_nlu_yaml(examples: Sequence[Example], path: Path) -> Path:
    """Writes examples as Rasa NLU YAML (used to train on a reduced set)."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = TrainingData([Message(data={"text": e.text, "intent": e.intent}) for e in examples])
    RasaYAMLWriter().dump(path, data)
    return path
