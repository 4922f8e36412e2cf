"""Build, train and query the NLU pipelines under test: the shipped one and stock Rasa's.

The shipped pipeline is the ``pipeline:`` of the project's ``config.yml``; its threshold is the
handoff policy's ``nlu_fallback_threshold`` (below it the product falls back or hands off
instead of answering). Response selectors are left out: they answer
retrieval intents, which the benchmark sets do not have, and do not change the intent.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from bench.metrics import Prediction

FALLBACK = "FallbackClassifier"
NLU_FALLBACK_INTENT = "nlu_fallback"
SKIPPED = {"ResponseSelector"}
# Where the shipped intent classifier puts its out-of-scope score in the parse output.
OOS_SCORE = "out_of_scope_score"


@dataclass(frozen=True)
class PipelineUnderTest:
    name: str
    pipeline: list[dict[str, Any]]
    threshold: float
    ambiguity_threshold: float
    source: str = field(default="")


def _fallback_settings(pipeline: Sequence[dict[str, Any]]) -> dict[str, float]:
    for component in pipeline:
        if component.get("name") == FALLBACK:
            return {
                "threshold": float(component.get("threshold", 0.3)),
                "ambiguity_threshold": float(component.get("ambiguity_threshold", 0.1)),
            }
    return {}


def product_threshold(config_path: Path) -> float | None:
    """Below this confidence the product falls back (or hands off) instead of answering.

    It is the handoff policy's ``nlu_fallback_threshold``, which the thresholds loader keeps at
    or above ``nlu_handoff_confidence``; None when the config has no handoff policy.
    """
    from assistant.thresholds import ThresholdsError, load_thresholds

    try:
        return load_thresholds(config_path).nlu_fallback_threshold
    except ThresholdsError:
        return None


def classifier_settings(config_path: Path) -> dict[str, Any]:
    """The shipped intent classifier's settings in ``config_path``'s pipeline, over its
    defaults (the defaults alone when the pipeline does not have it)."""
    from assistant.intent_classifier import EmbeddingIntentClassifier

    settings = EmbeddingIntentClassifier.get_default_config()
    component = _component(config_path, "EmbeddingIntentClassifier")
    settings.update({k: v for k, v in component.items() if k != "name"})
    return settings


def featurizer_layers(config_path: Path) -> list[int] | None:
    """The ``layers`` setting of the sentence-embedding featurizer in ``config_path``'s
    pipeline (None: the last layer alone, as when the setting is absent)."""
    layers = _component(config_path, "SentenceEmbeddingFeaturizer").get("layers")
    return None if layers is None else [int(n) for n in layers]


def _component(config_path: Path, class_name: str) -> dict[str, Any]:
    """The first component of ``config_path``'s pipeline whose name ends with ``class_name``
    (empty when there is none)."""
    config = yaml.safe_load(config_path.read_text()) or {}
    for component in config.get("pipeline") or []:
        if str(component.get("name", "")).endswith(class_name):
            return dict(component)
    return {}


def shipped(
    config_path: Path, product_config_path: Path, threshold: float | None = None
) -> PipelineUnderTest:
    """The pipeline of ``config_path`` at the product's threshold (or the one given)."""
    config = yaml.safe_load(config_path.read_text())
    pipeline = [dict(c) for c in config["pipeline"] if c.get("name") not in SKIPPED]
    fallback = _fallback_settings(pipeline)
    if threshold is None:
        # A candidate config may hold only a pipeline: then the product's threshold applies.
        threshold = product_threshold(config_path)
    if threshold is None:
        threshold = product_threshold(product_config_path)
    if threshold is None:
        raise SystemExit(
            f"No handoff policy threshold in {config_path} or {product_config_path}: "
            "pass --threshold."
        )
    return PipelineUnderTest(
        name="shipped",
        pipeline=pipeline,
        threshold=threshold,
        ambiguity_threshold=fallback.get("ambiguity_threshold", 0.0),
        source=str(config_path),
    )


def stock() -> PipelineUnderTest:
    """Rasa 3.6's default pipeline (what ``rasa init`` trains) at its own fallback threshold."""
    import rasa.engine.recipes

    path = Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml"
    pipeline = [
        dict(c) for c in yaml.safe_load(path.read_text())["pipeline"] if c["name"] not in SKIPPED
    ]
    fallback = _fallback_settings(pipeline)
    return PipelineUnderTest(
        name="stock_rasa",
        pipeline=pipeline,
        threshold=fallback["threshold"],
        ambiguity_threshold=fallback["ambiguity_threshold"],
        source="rasa default_config.yml",
    )


def with_overrides(under_test: PipelineUnderTest, overrides: dict[str, Any]) -> PipelineUnderTest:
    """The same pipeline with e.g. ``epochs`` changed in every component that has it."""
    pipeline = [
        {**c, **{k: v for k, v in overrides.items() if k in c}} for c in under_test.pipeline
    ]
    return PipelineUnderTest(
        under_test.name,
        pipeline,
        under_test.threshold,
        under_test.ambiguity_threshold,
        under_test.source,
    )


def train(under_test: PipelineUnderTest, train_yaml: Path, workdir: Path) -> tuple:
    """Trains the pipeline on ``train_yaml``; returns (model path, wall and CPU seconds)."""
    from rasa.model_training import train_nlu

    config_path = workdir / f"{under_test.name}-config.yml"
    config_path.write_text(
        yaml.safe_dump(
            {
                "recipe": "default.v1",
                "language": "en",
                "assistant_id": "bench",
                "pipeline": under_test.pipeline,
            },
            sort_keys=False,
        )
    )
    # A fresh cache per run: Rasa's training cache would otherwise reuse features computed
    # by an earlier run and make training look faster than it is.
    os.environ["RASA_CACHE_DIRECTORY"] = tempfile.mkdtemp(dir=workdir, prefix="cache-")
    started, cpu_started = time.perf_counter(), time.process_time()
    model = train_nlu(
        str(config_path), str(train_yaml), str(workdir / "models"), fixed_model_name=under_test.name
    )
    seconds = time.perf_counter() - started
    # CPU time (all threads) tells how much work training was when other jobs share the cores.
    cpu_seconds = time.process_time() - cpu_started
    if model is None:
        raise SystemExit(f"Training {under_test.name} on {train_yaml} failed.")
    return Path(model), seconds, cpu_seconds


def predict(
    model_path: Path, texts: Sequence[str], true_intents: Sequence[str], batch_size: int = 256
) -> tuple:
    """Runs the trained NLU graph on the texts in batches.

    Returns the predictions (fallback intent left out of the ranking), per text whether the
    model itself predicted the fallback intent (to check the scoring rule against it), and the
    predictions by the softmax alone (the out-of-scope factor divided out; the same as the first
    when the classifier has no out-of-scope score).
    """
    from rasa.core.agent import Agent
    from rasa.core.channels import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.shared.core.trackers import DialogueStateTracker

    processor = Agent.load(str(model_path)).processor
    assert processor is not None
    target = processor.model_metadata.nlu_target
    tracker = DialogueStateTracker("bench", [])
    predictions, fell_back, softmax_only = [], [], []
    for start in range(0, len(texts), batch_size):
        batch = [UserMessage(text) for text in texts[start : start + batch_size]]
        # The graph takes a list of messages, so one run parses a whole batch.
        results = processor.graph_runner.run(
            inputs={PLACEHOLDER_MESSAGE: batch, PLACEHOLDER_TRACKER: tracker}, targets=[target]
        )[target]
        for offset, message in enumerate(results):
            ranking = [
                r for r in message.get("intent_ranking") or [] if r["name"] != NLU_FALLBACK_INTENT
            ]
            top = ranking[0] if ranking else {"name": None, "confidence": 0.0}
            prediction = Prediction(
                true_intent=true_intents[start + offset],
                intent=str(top["name"]),
                confidence=float(top["confidence"]),
                second_confidence=float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0,
            )
            predictions.append(prediction)
            factor = float((message.get(OOS_SCORE) or {}).get("factor", 1.0))
            softmax_only.append(
                replace(
                    prediction,
                    confidence=prediction.confidence / factor,
                    second_confidence=prediction.second_confidence / factor,
                )
            )
            fell_back.append((message.get("intent") or {}).get("name") == NLU_FALLBACK_INTENT)
    return predictions, fell_back, softmax_only
