"""The trained stage of the reply check: a small classifier that reads a reply's stance, not only its
topic.

It is the bundled all-MiniLM-L6-v2 encoder with a low-rank adapter (LoRA, rank ``RANK``) on every
linear layer and a linear head over the mean-pooled tokens, trained on Luna's labelled red-team
replies (``reply_training``; the held-out sets only measure). The adapter and head are the only
trained weights, a few hundred kilobytes in ``data/reply_adapter.npz``; at load they are merged into a
private copy of the encoder, so documents keep their own embedder. A reply is scored unit by unit (the
whole reply, or a long one in overlapping windows of sentences) and the highest score counts, which is
also how it was trained: a long caring reply with one harmful sentence is harmful."""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path

import numpy as np

from luna_core.safety.text import fold_unicode, normalise, reply_sentences

log = logging.getLogger(__name__)
ADAPTER = Path(__file__).resolve().parent / "data" / "reply_adapter.npz"
RANK, ALPHA = 8, 16
MAX_TOKENS = 160
WINDOW_WORDS = 90  # usually 110-140 tokens; a unit over MAX_TOKENS is read in overlapping pieces (encode)
STRIDE = 32
# The operating points (``reply.harms``): the model withholds on its own at WITHHOLD, and confirms a rules
# finding at CONFIRM or more (below it, the finding is cleared). Both were chosen for this adapter on two
# sets it was not trained on (data/pending/reply_train38 and 39, 800 replies, by bench/bench_reply_points.py),
# as the point that makes the fewest errors counting a missed harmful reply twice, before any held-out set
# was scored with it (bench/README.md). For this adapter the best point confirms nothing the model would not
# withhold anyway (CONFIRM = WITHHOLD): outside a crisis turn its score decides, and the rules' findings
# stand alone only where the model cannot load. A lethal amount in figures is never cleared: the model
# scores explicit figures low, because every training set keeps amounts vague on purpose.
WITHHOLD = 0.5
CONFIRM = WITHHOLD
_CACHE = 4096


def units(reply: str) -> list[str]:
    """What is scored, normalised: the whole reply, or a long one (over ``WINDOW_WORDS`` words) in
    windows of sentences of at most that many words (a longer sentence is cut into pieces that
    overlap by 15 words). Each window starts with the last sentence of the one before when that
    leaves room for another, so adjacent sentences are read together unless they are long (the
    rules read every adjacent pair in any case)."""
    text = normalise(fold_unicode(reply).replace("\u2011", "-"))
    if len(text.split()) <= WINDOW_WORDS:
        return [text]
    parts = [" ".join(words[i:i + WINDOW_WORDS]) for sentence in reply_sentences(text)
             for words in [sentence.split()] for i in range(0, len(words), WINDOW_WORDS - 15)]
    windows, start = [], 0
    while True:
        end, size = start + 1, len(parts[start].split())
        while end < len(parts) and size + len(parts[end].split()) <= WINDOW_WORDS:
            size, end = size + len(parts[end].split()), end + 1
        windows.append(" ".join(parts[start:end]))
        if end >= len(parts):
            return windows
        start = end - 1 if end - 1 > start else end


def lora_targets(model) -> list[tuple[str, object]]:
    """The encoder's linear layers, which carry the adapter (query, key, value, attention output,
    intermediate and output of each of the six layers), by name."""
    import torch

    return [(name, module) for name, module in model.named_modules()
            if isinstance(module, torch.nn.Linear) and name.startswith("encoder.layer.")]


def load_encoder(model_dir: Path):
    """The bundled encoder and its tokenizer, on the CPU, in evaluation mode."""
    from transformers import AutoTokenizer, BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # no load report (the unused pooler) on every start
    hf_logging.disable_progress_bar()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = BertModel.from_pretrained(str(model_dir), add_pooling_layer=False)
    return tokenizer, model.eval()


def encode(tokenizer, texts: list[str]):
    """The model's input for ``texts``: a text longer than ``MAX_TOKENS`` becomes several pieces that
    overlap by ``STRIDE`` tokens, so nothing is cut off; ``owner`` maps each piece to its text."""
    enc = tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, stride=STRIDE,
                    return_overflowing_tokens=True, return_tensors="pt")
    owner = enc.pop("overflow_to_sample_mapping")
    return enc, owner


def mean_pool(hidden, mask):
    mask = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)


class ReplyClassifier:
    """Scores reply units between 0 (safe) and 1 (harmful). Loaded on first use; a missing adapter or
    model raises, and the caller keeps the rules' verdict."""

    def __init__(self, model_dir: Path | None = None, adapter: Path = ADAPTER) -> None:
        self._model_dir, self._adapter = model_dir, adapter
        self._loaded = None
        self._failure: Exception | None = None  # a model that failed to load is not retried every reply
        self.failure_reported = False  # set by the reply check once it has logged the failure
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, float] = OrderedDict()

    def meta(self) -> dict:
        """What the adapter was trained on (``reply_training``)."""
        with np.load(self._adapter) as saved:
            return json.loads(str(saved["meta"]))

    def _load(self):  # called with the lock held
        if self._failure is not None:
            raise RuntimeError(f"the reply model could not be loaded: {self._failure}") from self._failure
        if self._loaded is None:
            try:
                self._loaded = self._read()
            except Exception as error:
                self._failure = error
                raise
        return self._loaded

    def _read(self):
        import torch

        from luna_core.documents.embeddings import bundled_model_dir

        tokenizer, model = load_encoder(self._model_dir or bundled_model_dir())
        with np.load(self._adapter) as saved, torch.no_grad():
            scale = ALPHA / RANK
            for name, module in lora_targets(model):
                a = torch.from_numpy(saved[f"{name}.a"].astype(np.float32))
                b = torch.from_numpy(saved[f"{name}.b"].astype(np.float32))
                module.weight += scale * (b @ a)
            head = torch.from_numpy(saved["head.weight"].astype(np.float32)), float(saved["head.bias"])
        return tokenizer, model, head

    def scores(self, texts: list[str]) -> np.ndarray:
        """The harm probability of each (already normalised) unit."""
        with self._lock:
            known = {t: self._seen[t] for t in texts if t in self._seen}
            for t in known:
                self._seen.move_to_end(t)
            todo = [t for t in dict.fromkeys(texts) if t not in known]
            if todo:
                tokenizer, model, (weight, bias) = self._load()
                import torch

                with torch.no_grad():
                    for start in range(0, len(todo), 32):
                        batch = todo[start:start + 32]
                        enc, owner = encode(tokenizer, batch)
                        logits = mean_pool(model(**enc).last_hidden_state, enc["attention_mask"]) @ weight + bias
                        worst = torch.full((len(batch),), -1e9).scatter_reduce(0, owner, logits, reduce="amax")
                        known.update(zip(batch, torch.sigmoid(worst).tolist(), strict=True))
                self._seen.update((t, known[t]) for t in todo)
                while len(self._seen) > _CACHE:
                    self._seen.popitem(last=False)
        return np.array([known[t] for t in texts], dtype=np.float32)

    def score(self, reply: str) -> float:
        """The reply's harm probability: its most harmful unit's."""
        return float(self.scores(units(reply)).max())


@cache
def shared_classifier() -> ReplyClassifier:
    """The process's one reply model (every Luna opened in it shares the encoder copy)."""
    return ReplyClassifier()
