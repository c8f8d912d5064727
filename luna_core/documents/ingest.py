"""The roadmap's ``uploadAndProcess``: validate, store, extract, chunk, embed, index, link.

Status moves pending -> processing -> completed | error. Chunks and the 'completed' status are
written in one transaction, so a crash leaves no half-indexed dataset; an interruption (a Streamlit
rerun raised in the progress callback, Ctrl+C) marks the upload as error. ``recover`` (run when Luna
opens) marks what no live thread or process is processing as error and removes files nobody
references. Stored files are named relative to the data folder, whatever its spelling.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from luna_core import policy
from luna_core.config import Settings
from luna_core.documents.chunking import Chunk, chunk_pages
from luna_core.documents.datasets import (
    Dataset,
    alive_elsewhere,
    dataset_from_row,
    processing_here,
    processing_in_this_process,
    stored_file,
)
from luna_core.documents.embeddings import Embedder
from luna_core.documents.extract import ExtractedDocument, detect_file_type, extract_with_timeout
from luna_core.documents.index import VectorIndex
from luna_core.documents.library import Library
from luna_core.errors import DocumentError, EmptyDocumentError, FileTooLargeError
from luna_core.personas.service import PersonaService
from luna_core.safety.passages import passage_class
from luna_core.store.db import Database
from luna_core.store.events import EventLog
from luna_core.store.flags import FlagStore
from luna_core.store.users import User

log = logging.getLogger(__name__)
Progress = Callable[[str, float], None]
INTERRUPTED = ("Processing was interrupted before it finished (Luna stopped). "
               "Delete this entry and upload the file again.")
UPLOAD_INTERRUPTED = ("The upload was interrupted before Luna finished processing it (the page was "
                      "reloaded or left). Upload the file again.")


@dataclass(frozen=True)
class IngestResult:
    """What happened to one uploaded file (the CLI's ``docs add`` rows)."""
    dataset_id: str | None
    name: str
    status: str
    chunk_count: int
    pages: int | None
    error: str | None
    seconds: float
    duplicate: bool = False

    def to_dict(self) -> dict:
        return {"dataset_id": self.dataset_id, "name": self.name, "status": self.status,
                "chunk_count": self.chunk_count, "pages": self.pages, "error": self.error,
                "seconds": round(self.seconds, 3), "duplicate": self.duplicate}


def ocr_confidences(document: ExtractedDocument) -> dict[int | None, float]:
    """The confidence of each page read from a picture, by page number (empty for a text document)."""
    return {page.number: page.ocr_confidence for page in document.pages if page.ocr_confidence is not None}


def ocr_marks(confidence: dict[int | None, float], chunk: Chunk) -> dict[str, Any]:
    """``{"ocr": True, "ocr_confidence": c}`` for a chunk read from a picture (the lowest confidence
    of its pages, from ``ocr_confidences``), else nothing."""
    if not confidence:
        return {}
    numbers = [None] if chunk.page_start is None else range(chunk.page_start, (chunk.page_end or chunk.page_start) + 1)
    read = [confidence[n] for n in numbers if confidence.get(n) is not None]
    return {"ocr": True, "ocr_confidence": min(read)} if read else {}


class DocumentService:
    def __init__(self, db: Database, settings: Settings, flags: FlagStore, events: EventLog,
                 personas: PersonaService, library: Library, embedder: Embedder, index: VectorIndex,
                 extractor: Callable[..., ExtractedDocument] = extract_with_timeout) -> None:
        self.db, self.settings, self.flags, self.events = db, settings, flags, events
        self.personas, self.library = personas, library
        self.embedder, self.index, self.extractor = embedder, index, extractor

    # ---- adding ---------------------------------------------------------------------------
    def add_file(self, user: User, filename: str, data: bytes, persona_id: str | None = None,
                 is_global: bool = False, name: str | None = None,
                 progress: Progress | None = None) -> IngestResult:
        """Validate, store and process one file; a refused or failed file is reported, not raised."""
        started = time.perf_counter()
        progress = progress or (lambda stage, fraction: None)
        label = (name or Path(filename).stem or filename).strip()[:120]
        try:
            self.flags.require("RAG_DOCUMENT_PROCESSING", user)
            if persona_id:
                self.personas.get(user, persona_id)
            if is_global:
                policy.require(user, "document.share")
        except DocumentError as error:  # the request itself is refused: nothing to keep
            return IngestResult(None, label, "error", 0, None, str(error), time.perf_counter() - started)
        try:
            self.check_size(filename, len(data))
            file_type = detect_file_type(data, filename)
        except DocumentError as error:  # a file Luna cannot use stays listed, like one that failed later
            dataset_id = self._refused(user, label, filename, data, is_global, str(error))
            return IngestResult(dataset_id, label, "error", 0, None, str(error), time.perf_counter() - started)
        content_hash = hashlib.sha256(data).hexdigest()
        existing = self._same_content(user, content_hash)
        if existing is not None:
            if persona_id:
                self.library.link(user, existing.id, persona_id)
            return IngestResult(existing.id, existing.name, existing.status, existing.chunk_count,
                                existing.page_count, existing.error, time.perf_counter() - started, True)
        dataset_id = f"ds-{uuid.uuid4().hex[:12]}"
        with processing_here(dataset_id):  # before its row exists: recover never takes it for a leftover
            self._store(user, dataset_id, label, filename, file_type, data, content_hash, is_global)
            try:
                result = self._process(user, dataset_id, label, data, filename, progress, started)
            except BaseException:  # a rerun or Ctrl+C: no upload may stay 'processing'
                self._fail(user, dataset_id, UPLOAD_INTERRUPTED)
                raise
        if result.status == "completed":
            if persona_id:
                self.library.link(user, dataset_id, persona_id)
            progress("done", 1.0)
        return result

    def check_size(self, filename: str, size: int) -> None:
        """Raise ``FileTooLargeError`` when a file of ``size`` bytes is over the upload limit, so
        callers can refuse a file before reading it (``add_file`` checks again)."""
        if size > self.settings.max_upload_mb * 1024 * 1024:
            raise FileTooLargeError(
                f"{filename} is {size / 1048576:.1f} MB; the limit is "
                f"{self.settings.max_upload_mb:g} MB. Split it into smaller files and upload those.")

    def _refused(self, user: User, label: str, filename: str, data: bytes, is_global: bool, message: str) -> str:
        """An error row for a file refused before processing (type, size); its bytes are not kept."""
        dataset_id = f"ds-{uuid.uuid4().hex[:12]}"
        file_type = (Path(filename).suffix.lstrip(".").lower() or "unknown")[:16]
        with self.db.transaction() as con:
            con.execute(
                "INSERT INTO datasets (id, name, file_type, original_filename, file_size, processing_status, error,"
                " created_by_user, is_global, content_hash, processed_date, embedding_model)"
                " VALUES (?, ?, ?, ?, ?, 'error', ?, ?, ?, ?, now(), ?)",
                [dataset_id, label, file_type, Path(filename).name, len(data), message, user.id, is_global,
                 hashlib.sha256(data).hexdigest(), self.embedder.name])
            self.events.record(user.id, "document_failed", {"dataset_id": dataset_id, "stage": "refused"}, con=con)
        return dataset_id

    def _same_content(self, user: User, content_hash: str) -> Dataset | None:
        rows = self.db.rows("SELECT * FROM datasets WHERE created_by_user = ? AND content_hash = ?"
                            " AND processing_status <> 'error' ORDER BY upload_date LIMIT 1",
                            [user.id, content_hash])
        return dataset_from_row(rows[0]) if rows else None

    def _store(self, user: User, dataset_id: str, label: str, filename: str, file_type: str, data: bytes,
               content_hash: str, is_global: bool) -> None:
        """The dataset row first (so a crash never leaves a file nobody knows), then the file."""
        folder = self.settings.uploads_dir / user.id
        path = folder / f"{dataset_id}.{file_type}"
        with self.db.transaction() as con:
            con.execute(
                "INSERT INTO datasets (id, name, file_type, original_filename, file_path, file_size,"
                " processing_status, created_by_user, is_global, content_hash, processing_pid,"
                " embedding_model) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
                [dataset_id, label, file_type, Path(filename).name, str(path.relative_to(self.settings.data_dir)),
                 len(data), user.id, is_global, content_hash, os.getpid(), self.embedder.name])
            self.events.record(user.id, "document_uploaded",
                               {"dataset_id": dataset_id, "file_type": file_type, "bytes": len(data)}, con=con)
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)

    def _set_status(self, dataset_id: str, status: str, error: str | None = None) -> None:
        with self.db.connect() as con:
            con.execute("UPDATE datasets SET processing_status = ?, error = ? WHERE id = ?",
                        [status, error, dataset_id])

    def _process(self, user: User, dataset_id: str, name: str, data: bytes, filename: str, progress: Progress,
                 started: float) -> IngestResult:
        timings: dict[str, float] = {}
        try:
            self._set_status(dataset_id, "processing")
            progress("extracting", 0.05)
            mark = time.perf_counter()
            document = self.extractor(data, filename, timeout=self.settings.extraction_timeout,
                                      progress=lambda done, total: progress(
                                          f"reading page {min(done + 1, total)} of {total} by OCR" if done < total
                                          else f"read {total} page{'s' if total != 1 else ''} by OCR",
                                          0.05 + 0.15 * done / max(total, 1)))
            timings["extract"] = time.perf_counter() - mark
            progress("chunking", 0.2)
            mark = time.perf_counter()
            chunks = self.chunk(document)
            timings["chunk"] = time.perf_counter() - mark
            vectors = self._embed(chunks, progress, timings)
            progress("saving", 0.95)
            mark = time.perf_counter()
            self._save(user, dataset_id, document, chunks, vectors, timings)
            timings["save"] = time.perf_counter() - mark
        except DocumentError as error:
            self._fail(user, dataset_id, str(error))
            return IngestResult(dataset_id, name, "error", 0, None, str(error), time.perf_counter() - started)
        except Exception as error:  # one broken file must not stop a batch; it is logged and shown
            log.exception("processing %s failed", dataset_id)
            message = f"Luna could not process this file because of an internal error ({type(error).__name__}: {error})."
            self._fail(user, dataset_id, message)
            return IngestResult(dataset_id, name, "error", 0, None, message, time.perf_counter() - started)
        return IngestResult(dataset_id, name, "completed", len(chunks), document.metadata.get("page_count"),
                            None, time.perf_counter() - started)

    def chunk(self, document: ExtractedDocument) -> list[Chunk]:
        """The document's chunks; an extraction that yields no passage at all is an empty document."""
        chunks = chunk_pages(((p.number, p.text) for p in document.pages), self.embedder.count_tokens,
                             self.embedder.max_tokens, self.settings.chunk_size, self.settings.chunk_overlap,
                             markdown=document.file_type == "md")
        if not chunks:
            raise EmptyDocumentError("This document has no text Luna can use.")
        return chunks

    def _embed(self, chunks: list[Chunk], progress: Progress, timings: dict[str, float]) -> np.ndarray:
        mark = time.perf_counter()
        batch = 64
        parts = []
        for start in range(0, len(chunks), batch):
            parts.append(self.embedder.embed([c.content for c in chunks[start:start + batch]]))
            progress("embedding", 0.25 + 0.7 * min(1.0, (start + batch) / len(chunks)))
        timings["embed"] = time.perf_counter() - mark
        return np.vstack(parts)

    def _save(self, user: User, dataset_id: str, document: ExtractedDocument, chunks: list[Chunk],
              vectors: np.ndarray, timings: dict[str, float]) -> None:
        """Chunks, vectors and the 'completed' status in one transaction, then the index."""
        confidence = ocr_confidences(document)
        metadata = {**document.metadata, "timings_s": {k: round(v, 3) for k, v in timings.items()},
                    "chunking": {"size": self.settings.chunk_size, "overlap": self.settings.chunk_overlap,
                                 "max_tokens": self.embedder.max_tokens}}
        with self.db.transaction() as con:
            ids = [row[0] for row in con.execute("SELECT nextval('chunk_id_seq') FROM range(?)",
                                                 [len(chunks)]).fetchall()]
            rows = pa.table({
                "id": pa.array(ids, pa.int64()),
                "dataset_id": [dataset_id] * len(chunks),
                "chunk_index": [c.index for c in chunks],
                "content": [c.content for c in chunks],
                "embedding": pa.FixedSizeListArray.from_arrays(pa.array(vectors.ravel(), pa.float32()),
                                                               vectors.shape[1]),
                "metadata": [json.dumps({"page": c.page_start, "page_end": c.page_end,
                                         "page_reference": c.page_reference,
                                         "section_path": list(c.section_path), "char_start": c.char_start,
                                         "char_end": c.char_end, "tokens": c.token_count,
                                         **ocr_marks(confidence, c)}) for c in chunks],
                "chunk_type": [c.chunk_type for c in chunks],
                "safety_class": [passage_class(c.content, " > ".join(c.section_path)) for c in chunks],
            })
            con.register("incoming_chunks", rows)
            con.execute("INSERT INTO document_chunks (id, dataset_id, chunk_index, content, embedding,"
                        " metadata, chunk_type, safety_class) SELECT * FROM incoming_chunks")
            con.unregister("incoming_chunks")
            con.execute(
                "UPDATE datasets SET processing_status = 'completed', error = NULL, chunk_count = ?,"
                " page_count = ?, processed_date = now(), metadata = ?, processing_pid = NULL,"
                " embedding_model = ? WHERE id = ?",
                [len(chunks), document.metadata.get("page_count"),
                 json.dumps(metadata, default=str), self.embedder.name, dataset_id])
            self.events.record(user.id, "document_processed",
                               {"dataset_id": dataset_id, "chunks": len(chunks), "file_type": document.file_type,
                                "pages": document.metadata.get("page_count")},
                               duration_ms=sum(timings.values()) * 1000, con=con)
        self.index.add(np.array(ids, dtype=np.int64), vectors)

    def _fail(self, user: User, dataset_id: str, message: str) -> None:
        """Status error with the message; chunks, vectors and the stored copy go (upload it again)."""
        rows = self.db.rows("SELECT file_path FROM datasets WHERE id = ?", [dataset_id])
        with self.db.transaction() as con:
            ids = [r[0] for r in con.execute("SELECT id FROM document_chunks WHERE dataset_id = ?",
                                             [dataset_id]).fetchall()]
            con.execute("DELETE FROM document_chunks WHERE dataset_id = ?", [dataset_id])
            con.execute("UPDATE datasets SET processing_status = 'error', error = ?, file_path = NULL,"
                        " processing_pid = NULL, processed_date = now() WHERE id = ?", [message, dataset_id])
            self.events.record(user.id, "document_failed", {"dataset_id": dataset_id}, con=con)
        if rows and rows[0]["file_path"]:
            stored_file(self.settings.data_dir, rows[0]["file_path"]).unlink(missing_ok=True)
        self.index.remove(ids)

    # ---- recovery ---------------------------------------------------------------------------
    def recover(self) -> list[str]:
        """Mark as error the pending/processing datasets that no thread of this process and no other
        live process is processing; delete stored files no dataset references."""
        with processing_in_this_process() as busy:  # no ingest of this process starts or ends meanwhile
            stuck = [r["id"] for r in self.db.rows("SELECT id, processing_pid FROM datasets"
                                                   " WHERE processing_status IN ('pending', 'processing')")
                     if r["id"] not in busy and not alive_elsewhere(r["processing_pid"])]
            if stuck:
                with self.db.transaction() as con:
                    for dataset_id in stuck:
                        con.execute("DELETE FROM document_chunks WHERE dataset_id = ?", [dataset_id])
                        con.execute("UPDATE datasets SET processing_status = 'error', error = ?, file_path = NULL,"
                                    " processing_pid = NULL WHERE id = ?", [INTERRUPTED, dataset_id])
            known = {stored_file(self.settings.data_dir, r["file_path"])
                     for r in self.db.rows("SELECT file_path FROM datasets WHERE file_path IS NOT NULL")}
            if self.settings.uploads_dir.exists():
                for path in self.settings.uploads_dir.rglob("*"):
                    if path.is_file() and path not in known and not self._being_written(path, busy):
                        path.unlink(missing_ok=True)
        return stuck

    def _being_written(self, path: Path, busy: set[str]) -> bool:
        """A file an ingest under way is writing: this process's, or (a .part) a live process's."""
        if path.stem in busy:
            return True
        if path.suffix != ".part":
            return False
        rows = self.db.rows("SELECT processing_pid FROM datasets WHERE id = ?", [path.stem])
        return bool(rows) and alive_elsewhere(rows[0]["processing_pid"])
