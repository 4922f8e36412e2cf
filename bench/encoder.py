"""`python -m bench.encoder`: how fast the sentence encoder embeds a training set and one message.

Reports texts/s for embedding every example of an NLU YAML file (default: the BANKING77
training set) at the featurizer's default batch size, and the median (p50) latency of
embedding one typical 8-15 word customer message at a time, as the server does per call.
Run it twice under ``nice`` on a shared machine; load changes the numbers a lot.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from assistant.embeddings import SentenceEmbeddingFeaturizer, load_encoder

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/banking77/train.yml"
MESSAGE = "I ordered my new card two weeks ago and it still has not arrived"


def read_examples(path: Path) -> list[str]:
    """The example texts of an NLU YAML file: its indented ``- `` lines under ``examples``."""
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        # Top-level "- intent:" items are not indented; examples are.
        if line.startswith(" ") and stripped.startswith("- "):
            texts.append(stripped[2:])
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="embed only the first N texts")
    parser.add_argument("--repeats", type=int, default=200, help="single-message calls")
    args = parser.parse_args()

    texts = read_examples(args.data)[: args.limit]
    batch_size = SentenceEmbeddingFeaturizer.get_default_config()["batch_size"]
    started = time.perf_counter()
    encoder = load_encoder()
    load_seconds = time.perf_counter() - started
    encoder.encode([MESSAGE])  # warm-up: first-call allocations are not the steady state

    started = time.perf_counter()
    cpu_started = time.process_time()
    encoder.encode(texts, batch_size=batch_size)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started

    latencies = []
    for _ in range(args.repeats):
        one = time.perf_counter()
        encoder.encode([MESSAGE])
        latencies.append((time.perf_counter() - one) * 1000)
    print(
        json.dumps(
            {
                "texts": len(texts),
                "load_seconds": round(load_seconds, 2),
                "embed_seconds": round(seconds, 2),
                "embed_cpu_seconds": round(cpu_seconds, 2),
                "texts_per_second": round(len(texts) / seconds, 1),
                "single_message_words": len(MESSAGE.split()),
                "single_p50_ms": round(statistics.median(latencies), 2),
                "single_p90_ms": round(statistics.quantiles(latencies, n=10)[-1], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
