"""The document pipeline for real: real files, the real embedding model, real hnswlib, real DuckDB."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from luna_core.config import Settings
from luna_core.documents.embeddings import HashingEmbedder
from luna_core.errors import FileTooLargeError
from luna_core.luna import Luna
from tests.conftest import ROOT
from tests.fixture_docs import build_fixture_pdfs, doc_path


@pytest.fixture
def docs_luna(tmp_path, embedder):
    return Luna.open(Settings.from_env({}, data_dir=tmp_path / "data", max_upload_mb=2), embedder=embedder)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    return build_fixture_pdfs(tmp_path_factory.mktemp("pdfs"))


def uploads(luna) -> list[Path]:
    return [p for p in luna.settings.uploads_dir.rglob("*") if p.is_file()]


def test_cbt_thought_record_pdf_completes_with_its_exercise_as_one_chunk(docs_luna, pdfs):
    user = docs_luna.user("tess")
    path = pdfs["cbt_thought_record"]
    result = docs_luna.documents.add_file(user, path.name, path.read_bytes())
    assert result.status == "completed" and result.chunk_count > 3 and result.pages >= 1
    chunks = docs_luna.library.chunks(user, result.dataset_id)
    exercise = [c for c in chunks if c["chunk_type"] == "exercise"]
    assert len(exercise) == 1, [(c["chunk_type"], c["section"]) for c in chunks]
    text = exercise[0]["content"]
    for step in ("Situation", "Emotions", "Automatic thoughts", "supports", "does not support",
                 "balanced thought", "Re-rate"):
        assert step.lower() in text.lower(), step
    assert exercise[0]["section"] == "Exercise: Thought Record"
    assert exercise[0]["page_reference"].split("-")[0].isdigit()
    dataset = docs_luna.library.get(user, result.dataset_id)
    assert dataset.status == "completed" and dataset.embedding_model == docs_luna.embedder.name
    assert len(uploads(docs_luna)) == 1 and not uploads(docs_luna)[0].name.startswith(path.stem)


def test_markdown_front_matter_and_scripts_are_not_indexed(docs_luna):
    user = docs_luna.user("tess")
    text = ("---\ntitle: Secret front matter\n---\n# Breathing\nBreathe in for four counts.\n"
            "<script>alert('tracking')</script>\n<div class=\"x\">Hold for four counts.</div>\n")
    result = docs_luna.documents.add_file(user, "breathing.md", text.encode())
    content = " ".join(c["content"] for c in docs_luna.library.chunks(user, result.dataset_id))
    assert "Breathe in for four counts." in content and "Hold for four counts." in content
    assert "Secret front matter" not in content and "alert" not in content and "<div" not in content


def test_same_content_twice_is_recognised(docs_luna):
    user, other = docs_luna.user("tess"), docs_luna.user("otto")
    data = doc_path("grief_support.md").read_bytes()
    first = docs_luna.documents.add_file(user, "grief.md", data)
    again = docs_luna.documents.add_file(user, "grief-copy.md", data)
    assert again.duplicate and again.dataset_id == first.dataset_id
    assert len(docs_luna.library.list(user)) == 1 and len(uploads(docs_luna)) == 1
    theirs = docs_luna.documents.add_file(other, "grief.md", data)  # another user's upload is theirs
    assert not theirs.duplicate and theirs.dataset_id != first.dataset_id


@pytest.mark.parametrize("name, data, message", [
    ("big.txt", b"a" * (2 * 1024 * 1024 + 1), "the limit is 2 MB"),
    ("notes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".docx"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "This picture is damaged"),
])
def test_refused_uploads_are_error_rows_like_failed_ones_and_keep_no_file(docs_luna, name, data, message):
    """A file refused for its type or size is listed with its reason, like one that failed to
    extract (a .doc and a password-protected PDF are handled alike), and its bytes are not kept."""
    user = docs_luna.user("tess")
    result = docs_luna.documents.add_file(user, name, data)
    assert result.status == "error" and message in result.error and result.dataset_id
    [row] = docs_luna.library.list(user)
    assert (row.id, row.status, row.error, row.original_filename) == (result.dataset_id, "error", result.error, name)
    assert uploads(docs_luna) == [] and docs_luna.library.chunks(user, row.id) == []
    again = docs_luna.documents.add_file(user, name, data)  # trying again is never taken for a duplicate
    assert not again.duplicate and again.status == "error"
    docs_luna.library.delete(user, row.id)
    assert [d.id for d in docs_luna.library.list(user)] == [again.dataset_id]


def test_size_is_checked_from_the_size_alone_with_the_message_add_file_gives(docs_luna):
    docs, limit = docs_luna.documents, 2 * 1024 * 1024
    docs.check_size("handout.pdf", limit)  # exactly at the limit is allowed
    with pytest.raises(FileTooLargeError, match=r"^workbook\.pdf is 2\.5 MB; the limit is 2 MB\. Split it") as refused:
        docs.check_size("workbook.pdf", limit * 5 // 4)
    result = docs.add_file(docs_luna.user("tess"), "workbook.pdf", b"a" * (limit * 5 // 4))
    assert result.status == "error" and result.error == str(refused.value)


def test_a_file_that_fails_to_extract_is_an_error_row_without_a_stored_file(docs_luna):
    user = docs_luna.user("tess")
    result = docs_luna.documents.add_file(user, "broken.pdf", b"%PDF-1.4\n garbage without objects")
    assert result.status == "error" and result.error
    dataset = docs_luna.library.get(user, result.dataset_id)
    assert dataset.status == "error" and dataset.error == result.error and dataset.file_path is None
    assert uploads(docs_luna) == []


def test_delete_removes_chunks_links_vectors_and_file(docs_luna):
    user = docs_luna.user("tess")
    persona = docs_luna.personas.create_from_template(user, "mindfulness-guide", name="Calm")
    result = docs_luna.documents.add_file(user, "m.md", doc_path("mindfulness_practices.md").read_bytes(),
                                          persona_id=persona.id)
    assert docs_luna.personas.get(user, persona.id).dataset_count == 1
    chunk_ids = [c["chunk_id"] for c in docs_luna.library.chunks(user, result.dataset_id)]
    query = docs_luna.embedder.embed(["body scan"])[0]
    assert set(i for i, _ in docs_luna.index.search(query, 50)) & set(chunk_ids)
    docs_luna.library.delete(user, result.dataset_id)
    assert docs_luna.db.rows("SELECT count(*) AS n FROM document_chunks")[0]["n"] == 0
    assert docs_luna.db.rows("SELECT count(*) AS n FROM persona_datasets")[0]["n"] == 0
    assert docs_luna.index.search(query, 50) == [] and uploads(docs_luna) == []
    assert docs_luna.personas.get(user, persona.id).dataset_count == 0


def test_index_is_rebuilt_from_duckdb_with_identical_results(docs_luna, embedder):
    user = docs_luna.user("tess")
    for name in ("sleep_hygiene.md", "behavioural_activation.md"):
        docs_luna.documents.add_file(user, name, doc_path(name).read_bytes())
    query = embedder.embed(["how do I plan activities when my mood is low"])[0]
    before = docs_luna.index.search(query, 8)
    for path in docs_luna.settings.index_dir.iterdir():
        path.unlink()
    reopened = Luna.open(docs_luna.settings, embedder=embedder)
    after = reopened.index.search(query, 8)
    assert [i for i, _ in after] == [i for i, _ in before]
    assert np.allclose([s for _, s in after], [s for _, s in before], atol=1e-5)
    assert reopened.index.rebuilds == 1


def test_links_weights_access_and_privacy(docs_luna):
    user, other = docs_luna.user("tess"), docs_luna.user("otto")
    persona = docs_luna.personas.create_from_scratch(user, "Mine", "p")
    result = docs_luna.documents.add_file(user, "g.md", doc_path("grief_support.md").read_bytes())
    link = docs_luna.library.link(user, result.dataset_id, persona.id, weight=2.5, access_level="reference_only")
    assert link == {"persona_id": persona.id, "dataset_id": result.dataset_id, "enabled": True,
                    "weight": 2.5, "access_level": "reference_only"}
    from luna_core.errors import NotFoundError, ValidationError
    with pytest.raises(ValidationError, match="Access level"):
        docs_luna.library.link(user, result.dataset_id, persona.id, access_level="everything")
    with pytest.raises(NotFoundError):
        docs_luna.library.get(other, result.dataset_id)
    with pytest.raises(NotFoundError):
        docs_luna.library.delete(other, result.dataset_id)
    assert docs_luna.library.list(other) == []


KILLER = r"""
import sys
sys.path.insert(0, sys.argv[3])
from luna_core.cli.main import main
sys.exit(main(["--data-dir", sys.argv[1], "--user", "tess", "docs", "add", sys.argv[2]]))
"""


def test_killing_the_process_mid_ingest_leaves_no_stuck_status_or_orphans(tmp_path, embedder):
    source = tmp_path / "long-workbook.txt"
    source.write_text("\n\n".join(f"Exercise {i}. " + "Notice your breath and name what you feel. " * 12
                                  for i in range(200)))
    data_dir = tmp_path / "data"
    process = subprocess.Popen([sys.executable, "-c", KILLER, str(data_dir), str(source), str(ROOT)],
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    deadline = time.time() + 120
    for line in process.stderr:  # progress lines: kill it once it is embedding
        if "embedding" in line or time.time() > deadline:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    luna = Luna.open(Settings.from_env({}, data_dir=data_dir), embedder=embedder)
    user = luna.users.get("tess")
    datasets = luna.library.list(user)
    assert len(datasets) == 1 and datasets[0].status == "error" and "interrupted" in datasets[0].error
    assert luna.db.rows("SELECT count(*) AS n FROM document_chunks")[0]["n"] == 0
    assert uploads(luna) == []
    again = luna.documents.add_file(user, source.name, source.read_bytes())  # and the file can be added again
    assert again.status == "completed" and not again.duplicate


# ---- consistency and recovery, with the deterministic hashing embedder (storage, not meaning) ----

@pytest.fixture
def quick_luna(tmp_path):
    return Luna.open(Settings.from_env({}, data_dir=tmp_path / "data"), embedder=HashingEmbedder())


def chunk_ids(luna, dataset_id: str | None = None) -> set[int]:
    rows = luna.db.rows("SELECT id FROM document_chunks WHERE ? IS NULL OR dataset_id = ?", [dataset_id] * 2)
    return {r["id"] for r in rows}


def assert_index_matches_database(luna) -> None:
    """The index holds exactly DuckDB's chunks, and hnswlib finds every one of them."""
    expected = chunk_ids(luna)
    assert set(luna.index.ids().tolist()) == expected
    assert {i for i, _ in luna.index.search(luna.embedder.embed(["breathe"])[0], len(expected) + 5)} == expected


def top_dataset(luna, text: str) -> str:
    best = luna.index.search(luna.embedder.embed([text])[0], 1)[0][0]
    return luna.db.rows("SELECT dataset_id FROM document_chunks WHERE id = ?", [best])[0]["dataset_id"]


def at_once(luna, jobs, committed) -> None:
    """Run ``jobs`` on threads of their own while the index is busy (as during a long search) until
    ``committed()``: every database commit lands before any index update, the worst interleaving."""
    threads = [threading.Thread(target=job) for job in jobs]
    with luna.index._lock:
        for thread in threads:
            thread.start()
        deadline = time.time() + 60
        while not committed() and time.time() < deadline:
            time.sleep(0.01)
    for thread in threads:
        thread.join(60)


def test_two_ingests_and_a_delete_at_once_keep_the_index_equal_to_the_database(quick_luna):
    luna, user, results = quick_luna, quick_luna.user("tess"), {}
    luna.index.ensure_current()  # the app has searched already: the index is built

    def add(name: str) -> None:
        results[name] = luna.documents.add_file(user, name, doc_path(name).read_bytes())

    def completed() -> int:
        return luna.db.rows("SELECT count(*) AS n FROM datasets WHERE processing_status = 'completed'")[0]["n"]

    at_once(luna, [lambda: add("sleep_hygiene.md"), lambda: add("grief_support.md")], lambda: completed() == 2)
    assert_index_matches_database(luna)
    assert top_dataset(luna, "bedtime caffeine bedroom") == results["sleep_hygiene.md"].dataset_id
    assert top_dataset(luna, "grief loss mourning") == results["grief_support.md"].dataset_id
    gone = results["sleep_hygiene.md"].dataset_id
    at_once(luna, [lambda: luna.library.delete(user, gone), lambda: add("mindfulness_practices.md")],
            lambda: completed() == 2 and not chunk_ids(luna, gone))
    assert_index_matches_database(luna)
    assert top_dataset(luna, "body scan breath awareness") == results["mindfulness_practices.md"].dataset_id


class Rerun(BaseException):
    """What Streamlit raises inside a widget callback when the page reruns."""


@pytest.mark.parametrize("stage", ["extracting", "embedding", "saving", "done"])
def test_an_upload_interrupted_in_its_progress_callback_is_never_left_processing(quick_luna, stage):
    user, data = quick_luna.user("tess"), doc_path("grief_support.md").read_bytes()
    persona = quick_luna.personas.create_from_scratch(user, "Mine", "p")

    def progress(at: str, fraction: float) -> None:
        if at == stage:
            raise Rerun()

    with pytest.raises(Rerun):
        quick_luna.documents.add_file(user, "grief.md", data, persona_id=persona.id, progress=progress)
    [dataset] = quick_luna.library.list(user)
    if stage == "done":  # interrupted once it was all done: it stays, linked to its companion
        assert dataset.status == "completed" and quick_luna.personas.get(user, persona.id).dataset_count == 1
        return
    assert dataset.status == "error" and "interrupted" in dataset.error and "again" in dataset.error
    assert chunk_ids(quick_luna) == set() and uploads(quick_luna) == []
    again = quick_luna.documents.add_file(user, "grief.md", data)
    assert again.status == "completed" and not again.duplicate
    assert_index_matches_database(quick_luna)


def test_opening_luna_clears_this_process_s_leftovers_but_not_an_ingest_under_way(quick_luna):
    luna, user = quick_luna, quick_luna.user("tess")
    leftover = luna.settings.uploads_dir / user.id / "ds-leftover.md"  # an earlier Luna instance's upload
    leftover.parent.mkdir(parents=True)
    leftover.write_text("# Left over\nHalf processed.")
    with luna.db.connect() as con:
        con.execute("INSERT INTO datasets (id, name, file_type, original_filename, file_path, processing_status,"
                    " created_by_user, content_hash, processing_pid) VALUES ('ds-leftover', 'Left over', 'md',"
                    " 'l.md', ?, 'processing', ?, 'x', ?)", [f"uploads/{user.id}/ds-leftover.md", user.id, os.getpid()])
    embedding, release, results = threading.Event(), threading.Event(), []

    def progress(at: str, fraction: float) -> None:
        if at == "embedding":
            embedding.set()
            release.wait(30)

    data = doc_path("sleep_hygiene.md").read_bytes()
    thread = threading.Thread(target=lambda: results.append(luna.documents.add_file(user, "s.md", data, progress=progress)))
    thread.start()
    assert embedding.wait(30)
    statuses = {d.id: d for d in Luna.open(luna.settings, embedder=HashingEmbedder()).library.list(user)}
    release.set()
    thread.join(30)
    assert statuses["ds-leftover"].status == "error" and "interrupted" in statuses["ds-leftover"].error
    assert statuses[results[0].dataset_id].status == "processing" and results[0].status == "completed"
    assert not leftover.exists() and len(uploads(luna)) == 1


def test_a_data_folder_opened_by_another_spelling_keeps_its_files(tmp_path, monkeypatch):
    real = tmp_path / "data"
    first = Luna.open(Settings.from_env({}, data_dir=real), embedder=HashingEmbedder())
    user = first.user("tess")
    added = [first.documents.add_file(user, n, doc_path(n).read_bytes()).dataset_id
             for n in ("grief_support.md", "sleep_hygiene.md")]
    with first.db.connect() as con:  # a row from before paths were stored relative: the whole path
        con.execute("UPDATE datasets SET file_path = ? WHERE id = ?",
                    [str(real / "uploads" / user.id / f"{added[1]}.md"), added[1]])
    first.db.release_file()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    for spelling in (tmp_path / "link", Path("link"), Path("data/")):
        luna = Luna.open(Settings.from_env({}, data_dir=spelling), embedder=HashingEmbedder())
        assert len(uploads(luna)) == 2, spelling
        assert [d.status for d in luna.library.list(user)] == ["completed", "completed"]
        luna.db.release_file()
    for dataset_id in added:
        luna.library.delete(user, dataset_id)
    assert luna.library.list(user) == [] and uploads(luna) == [] and chunk_ids(luna) == set()


def test_deleting_the_last_document_leaves_an_empty_library_that_searches(quick_luna):
    user, query = quick_luna.user("tess"), quick_luna.embedder.embed(["sleep"])[0]
    data = doc_path("sleep_hygiene.md").read_bytes()
    quick_luna.library.delete(user, quick_luna.documents.add_file(user, "s.md", data).dataset_id)
    assert quick_luna.index.search(query, 5) == [] and quick_luna.index.search(query, 5, allowed=[1]) == []
    second = quick_luna.documents.add_file(user, "s.md", data)
    restarted = Luna.open(quick_luna.settings, embedder=HashingEmbedder())  # its index is not built yet
    restarted.library.delete(user, second.dataset_id)
    assert restarted.index.search(query, 5) == [] and restarted.library.list(user) == []
    empty = Luna.open(quick_luna.settings, embedder=HashingEmbedder())
    assert empty.index.search(query, 5) == [] and uploads(empty) == []
