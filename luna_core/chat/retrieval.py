"""The roadmap's ``retrieveRelevantContext``: find the passages of a persona's documents that help
answer a message.

Stages (each measurable on its own in bench/): dense search (hnswlib, only the persona's enabled
datasets the user may use), keyword ranking (BM25), fusion, therapeutic reranking (query intent,
persona specialty, dataset weight), a calibrated similarity threshold, then at most ``k`` passages.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

from luna_core.documents.datasets import index_state
from luna_core.documents.embeddings import Embedder
from luna_core.documents.index import VectorIndex
from luna_core.personas.service import Persona
from luna_core.safety.passages import CRISIS_SUPPORT, passage_class
from luna_core.store.db import Database
from luna_core.store.events import EventLog
from luna_core.store.users import User

INTENTS = ("crisis", "skill_request", "psychoeducation", "support", "other")
# Calibrated with bench/bench_retrieval.py on Luna's labelled set and all-MiniLM-L6-v2 (see
# bench/README.md): the best passage of an unanswerable question scored at most 0.20, relevant
# passages have a median of 0.51 (the roadmap's 0.7 suits other models and drops most of them).
DEFAULT_THRESHOLD = 0.25
# In a crisis turn only coping and crisis-skill passages are candidates (``safety.passages``); a
# person in crisis rarely words their message like a handout, so a loosely related skill passage
# is still worth offering.
CRISIS_THRESHOLD = 0.15
# BM25 mainly brings in candidates dense search misses (exact terms: TIPP, DEAR MAN); a small share
# of the score keeps exact matches ahead without letting keyword overlap outrank meaning.
DENSE_WEIGHT = 0.9
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an and are as at be but by do for from how i if in is it me my of on or so that the "
                  "this to was what when with you your can".split())
_CRISIS_TERMS = re.compile(r"\b(crisis|distress tolerance|tipp|survival|988|emergency|safety plan|self-soothe|"
                           r"urges?|danger|grounding|stop skill)\b", re.IGNORECASE)
_SKILL = re.compile(r"\b(how (do|can|should) i|help me|teach me|guide me|walk me|exercise|technique|skill|"
                    r"steps?|what can i do|practi[cs]e|worksheet|try|tips?|script)\b", re.IGNORECASE)
_PSYCHOED = re.compile(r"\b(what (is|are|does)|why (do|does|am|is)|explain|is it normal|symptoms?|"
                       r"difference between|how does|meaning of|define)\b", re.IGNORECASE)
_SUPPORT = re.compile(r"\b(i feel|i'm feeling|i am feeling|i'm so|i am so|i can't|i cant|nobody|no one|"
                      r"lonely|alone|tired of|exhausted|sad|angry|hopeless|overwhelmed|stressed)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    chunk_id: int
    dataset_id: str
    dataset_name: str
    source_file: str
    page_reference: str | None
    section: str | None
    content: str
    chunk_type: str
    access_level: str
    relevance_score: float
    stages: dict[str, float] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"chunk_id": self.chunk_id, "dataset_id": self.dataset_id, "dataset_name": self.dataset_name,
                "source_file": self.source_file, "page_reference": self.page_reference, "section": self.section,
                "content": self.content, "relevance_score": round(self.relevance_score, 4)}


_PAGES = re.compile(r"\d+(?:-\d+)?")


def page_label(page_reference: str | None) -> str | None:
    """'page 3' or 'pages 3-4' when ``page_reference`` is a paged document's page; None when it is
    a section heading (which may itself start with a digit: '5-4-3-2-1 Grounding')."""
    if page_reference and _PAGES.fullmatch(page_reference):
        return f"pages {page_reference}" if "-" in page_reference else f"page {page_reference}"
    return None


def tokenize(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def classify_intent(query: str, crisis: bool = False) -> str:
    """What the message asks for: crisis, skill_request, psychoeducation, support or other."""
    if crisis:
        return "crisis"
    if _SKILL.search(query):
        return "skill_request"
    if _PSYCHOED.search(query):
        return "psychoeducation"
    if _SUPPORT.search(query):
        return "support"
    return "other"


def specialty_terms(specialty: str | None) -> set[str]:
    """Words and the acronym of a specialty ('Dialectical Behavior Therapy' -> dbt, dialectical, ...)."""
    if not specialty:
        return set()
    words = [w for w in re.findall(r"[A-Za-z]+", specialty) if w.lower() not in _STOP]
    acronym = "".join(w[0] for w in words if w[0].isupper() and w.lower() not in ("skills", "support"))
    terms = {w.lower() for w in words if len(w) > 3 and w.lower() not in ("therapy", "skills", "support", "informed")}
    return terms | ({acronym.lower()} if len(acronym) >= 2 else set())


@dataclass
class _Corpus:
    ids: list[int]
    bm25: BM25Okapi
    support: set[int]  # the crisis_support passages, the only ones a crisis turn may use


class Retriever:
    def __init__(self, db: Database, embedder: Embedder, index: VectorIndex, events: EventLog,
                 threshold: float = DEFAULT_THRESHOLD, dense_weight: float = DENSE_WEIGHT) -> None:
        self.db, self.embedder, self.index, self.events = db, embedder, index, events
        self.threshold, self.dense_weight = threshold, dense_weight
        self._corpora: OrderedDict[tuple, _Corpus] = OrderedDict()

    def sources(self, user: User, persona: Persona) -> dict[str, dict[str, Any]]:
        """The persona's enabled, processed datasets that ``user`` may use, with weight and access."""
        rows = self.db.rows(
            "SELECT l.dataset_id, l.weight, l.access_level, d.name, d.original_filename FROM persona_datasets l"
            " JOIN datasets d ON d.id = l.dataset_id WHERE l.persona_id = ? AND l.enabled"
            " AND d.processing_status = 'completed' AND (d.created_by_user = ? OR d.is_global)",
            [persona.id, user.id])
        return {r["dataset_id"]: r for r in rows}

    def _corpus(self, dataset_ids: tuple[str, ...]) -> _Corpus:
        state = index_state(self.db, self.embedder.name, self.embedder.dimension)
        key = (dataset_ids, state.count, state.checksum)
        if key not in self._corpora:
            placeholders = ", ".join("?" * len(dataset_ids))
            rows = self.db.rows(f"SELECT id, content, safety_class FROM document_chunks WHERE dataset_id IN"
                                f" ({placeholders}) ORDER BY id", list(dataset_ids))
            ids = [r["id"] for r in rows]
            support = {r["id"] for r in rows if r["safety_class"] == CRISIS_SUPPORT}
            self._corpora[key] = _Corpus(ids, BM25Okapi([tokenize(r["content"]) or ["_"] for r in rows]), support)
            while len(self._corpora) > 16:
                self._corpora.popitem(last=False)
        self._corpora.move_to_end(key)
        return self._corpora[key]

    def retrieve(self, user: User, persona: Persona, query: str, k: int = 5, crisis: bool = False,
                 stages: tuple[str, ...] = ("dense", "keyword", "rerank", "threshold"),
                 record: bool = True) -> list[Passage]:
        """At most ``k`` passages, best first; [] when the persona has no usable documents."""
        sources = self.sources(user, persona)
        if not sources or not query.strip():
            return []
        corpus = self._corpus(tuple(sorted(sources)))
        if not corpus.ids:
            return []
        pool = [i for i in corpus.ids if i in corpus.support] if crisis else corpus.ids
        if not pool:  # a crisis turn and no coping or crisis-skill passage: nothing, rather than anything
            return []
        allowed = np.array(pool, dtype=np.int64)
        query_vector = self.embedder.embed([query])[0]
        dense = dict(self.index.search(query_vector, 2 * k, allowed=allowed))
        keyword: dict[int, float] = {}
        if "keyword" in stages:
            scores = corpus.bm25.get_scores(tokenize(query))
            top = [i for i in np.argsort(-scores)[:2 * k] if scores[i] > 0]
            best = float(scores[top[0]]) if top else 0.0
            keyword = {corpus.ids[i]: float(scores[i]) / best for i in top
                       if not crisis or corpus.ids[i] in corpus.support}
        candidates = list(dict.fromkeys([*dense, *keyword]))
        missing = [c for c in candidates if c not in dense]
        if missing:
            dense.update(zip(missing, (self.index.vectors(missing) @ query_vector).tolist()))
        passages = self._load(candidates, sources)
        if crisis:  # second line: the text itself is read again, in case a stored class is stale
            passages = [p for p in passages if passage_class(p.content, p.section) == CRISIS_SUPPORT]
        intent = classify_intent(query, crisis)
        terms = specialty_terms(persona.specialty)
        scored = []
        for passage in passages:
            cosine = max(0.0, dense[passage.chunk_id])
            score = self.dense_weight * cosine + (1 - self.dense_weight) * keyword.get(passage.chunk_id, 0.0) \
                if "keyword" in stages else cosine
            boost = self._boost(passage, intent, terms) if "rerank" in stages else 0.0
            weight = float(sources[passage.dataset_id]["weight"]) if "rerank" in stages else 1.0
            final = min(1.0, max(0.0, (score + boost) * (0.85 + 0.15 * weight)))
            scored.append(replace(passage, relevance_score=final,
                                  stages={"dense": cosine, "keyword": keyword.get(passage.chunk_id, 0.0),
                                          "boost": boost}))
        scored.sort(key=lambda p: -p.relevance_score)
        if "threshold" in stages:
            floor = min(self.threshold, CRISIS_THRESHOLD) if crisis else self.threshold
            scored = [p for p in scored if p.stages["dense"] >= floor]
        chosen = scored[:k]
        if record and chosen:
            self._record_use(user, persona, chosen, intent)
        return chosen

    @staticmethod
    def _boost(passage: Passage, intent: str, terms: set[str]) -> float:
        text = f"{passage.section or ''} {passage.content}"
        boost = 0.0
        if intent == "crisis" and _CRISIS_TERMS.search(text):
            boost += 0.15
        if intent == "skill_request" and passage.chunk_type in ("exercise", "list"):
            boost += 0.06
        if intent == "psychoeducation" and passage.chunk_type == "text":
            boost += 0.03
        if terms and terms & set(tokenize(text)):
            boost += 0.03
        return boost

    def _load(self, ids: list[int], sources: dict[str, dict[str, Any]]) -> list[Passage]:
        if not ids:
            return []
        placeholders = ", ".join("?" * len(ids))
        rows = self.db.rows(f"SELECT id, dataset_id, content, metadata, chunk_type FROM document_chunks"
                            f" WHERE id IN ({placeholders})", ids)
        out = []
        for row in rows:
            meta, source = json.loads(row["metadata"]), sources[row["dataset_id"]]
            out.append(Passage(chunk_id=row["id"], dataset_id=row["dataset_id"], dataset_name=source["name"],
                               source_file=source["original_filename"], page_reference=meta.get("page_reference"),
                               section=" > ".join(meta.get("section_path") or []) or None, content=row["content"],
                               chunk_type=row["chunk_type"], access_level=source["access_level"],
                               relevance_score=0.0))
        return out

    def _record_use(self, user: User, persona: Persona, passages: list[Passage], intent: str) -> None:
        datasets = sorted({p.dataset_id for p in passages})
        with self.db.transaction() as con:
            for dataset_id in datasets:
                con.execute("UPDATE persona_datasets SET last_used = now() WHERE persona_id = ? AND dataset_id = ?",
                            [persona.id, dataset_id])
            self.events.record(user.id, "context_retrieved", {"persona_id": persona.id, "passages": len(passages),
                                                              "datasets": datasets, "intent": intent}, con=con)
