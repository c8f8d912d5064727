"""Therapy-aware chunking: structure, exercises whole, tables and lists intact, model limit kept,
every word of a document in some chunk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luna_core.documents.chunking import chunk_pages
from luna_core.documents.embeddings import SentenceTransformerEmbedder
from luna_core.documents.extract import extract
from luna_core.errors import DocumentError
from tests.conftest import ROOT, SHARED

CORPUS = SHARED / "corpus"
WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def tokens():
    return SentenceTransformerEmbedder()  # the tokenizer only: the model loads on first embed()


WORKSHEET = """# Thought Record Worksheet
A thought record helps you notice automatic thoughts and test them against the facts. Use it when a
strong feeling shows up and you are not sure why.

## Exercise: Thought Record
1. Situation: where were you, who was there, what happened?
2. Emotions: name each feeling and rate its intensity from 0 to 100%.
3. Automatic thoughts: what went through your mind? Circle the hot thought.
4. Evidence that supports the hot thought.
5. Evidence that does not support the hot thought.
6. Alternative, balanced thought.
7. Re-rate your emotions from 0 to 100%.

Example: Sam's friend did not reply to a message for a day. Sam thought "she is angry with me" (90%).

## Common thinking traps
- All-or-nothing thinking: seeing things in black and white.
- Catastrophising: expecting the worst possible outcome.

| Day | Activity | Mood before | Mood after |
|---|---|---|---|
| Mon | Walk in the park | 3 | 6 |
| Tue | Call a friend | 4 | 7 |
"""


def test_sections_become_paths_and_the_exercise_stays_whole(tokens):
    chunks = chunk_pages([(None, WORKSHEET)], tokens.count_tokens, tokens.max_tokens, markdown=True)
    exercise = [c for c in chunks if c.chunk_type == "exercise"]
    assert len(exercise) == 1
    body = exercise[0].content
    assert body.startswith("Thought Record Worksheet > Exercise: Thought Record\n")
    assert all(f"{n}." in body for n in range(1, 8)) and "Example: Sam's friend" in body  # example kept with it
    assert exercise[0].page_reference == "Exercise: Thought Record"
    table = [c for c in chunks if "| Tue | Call a friend | 4 | 7 |" in c.content]
    assert table and "| Day | Activity |" in table[0].content


def test_no_chunk_exceeds_the_model_limit_and_nothing_is_lost(tokens):
    long_paragraph = " ".join(f"Sentence number {i} talks about breathing slowly and noticing the body." for i in range(400))
    rows = "\n".join(f"| {i} | activity {i} | {i % 10} |" for i in range(300))
    text = f"# Long section\n{long_paragraph}\n\n# Big table\n| N | Activity | Mood |\n|---|---|---|\n{rows}\n"
    chunks = chunk_pages([(None, text)], tokens.count_tokens, tokens.max_tokens, markdown=True)
    assert max(c.token_count for c in chunks) <= tokens.max_tokens
    assert all(tokens.count_tokens(c.content) <= tokens.max_tokens for c in chunks)
    joined = " ".join(c.body for c in chunks)
    assert "Sentence number 0 " in joined and "Sentence number 399 " in joined
    table_chunks = [c for c in chunks if c.section_path == ("Big table",)]
    assert len(table_chunks) > 1
    for chunk in table_chunks:  # rows are never cut, and each part repeats the header row
        assert chunk.body.startswith("| N | Activity | Mood |")
        assert all(line.startswith("|") and line.endswith("|") for line in chunk.body.split("\n"))
    seen_rows = {line for c in table_chunks for line in c.body.split("\n")}
    assert all(f"| {i} | activity {i} | {i % 10} |" in seen_rows for i in range(300))


def test_long_prose_is_split_between_sentences_with_overlap(tokens):
    text = "# Notes\n" + " ".join(f"Idea {i} is about gentle curiosity toward feelings." for i in range(120))
    chunks = chunk_pages([(None, text)], tokens.count_tokens, tokens.max_tokens, overlap_tokens=30, markdown=True)
    assert len(chunks) >= 3
    for before, after in zip(chunks, chunks[1:]):
        first_sentence = after.body.split(". ")[0] + "."
        assert first_sentence in before.body  # the next chunk repeats the tail of the previous one
        assert not after.body[0].islower()  # never starts mid-sentence


def test_pdf_pages_are_tracked_and_plain_text_headings_detected(tokens):
    pages = [(1, "Coping With Stress\nStress is the body's response to a challenge.\nIt can be short or long."),
             (2, "Grounding Exercise\n1. Name five things you can see.\n2. Name four things you can touch.\n"
                 "3. Name three things you can hear."),
             (3, "When To Get Help\nTalk to a health care provider if stress lasts for weeks.")]
    chunks = chunk_pages(pages, tokens.count_tokens, tokens.max_tokens, target_tokens=60)
    by_section = {c.section_path[-1]: c for c in chunks}
    assert set(by_section) == {"Coping With Stress", "Grounding Exercise", "When To Get Help"}
    assert by_section["Grounding Exercise"].page_reference == "2"
    assert by_section["Grounding Exercise"].chunk_type == "exercise"
    assert by_section["When To Get Help"].content.startswith("When To Get Help\n")


def test_a_paragraph_running_over_a_page_break_keeps_both_pages(tokens):
    pages = [(1, "Intro Text\nThe first half of a long sentence that continues"), (2, "on the next page and ends here.")]
    chunks = chunk_pages(pages, tokens.count_tokens, tokens.max_tokens)
    assert len(chunks) == 1 and chunks[0].page_reference == "1-2"
    assert "continues on the next page" in chunks[0].content


def test_target_size_is_respected_below_the_model_limit(tokens):
    text = "\n\n".join(f"Paragraph {i}. " + "Breathe in slowly and out slowly. " * 5 for i in range(30))
    chunks = chunk_pages([(None, text)], tokens.count_tokens, tokens.max_tokens, target_tokens=100)
    assert len(chunks) > 5 and all(c.token_count <= 100 for c in chunks)


def test_empty_input_gives_no_chunks(tokens):
    assert chunk_pages([(1, "   \n\n"), (2, "")], tokens.count_tokens, tokens.max_tokens) == []


def _words(text: str) -> set[str]:
    return {word.casefold() for word in WORD.findall(text)}


def _missing_words(text: str, chunks) -> set[str]:
    return _words(text) - {word for chunk in chunks for word in _words(chunk.content)}


def test_a_short_line_before_a_heading_is_kept(tokens):
    text = ("This is a test document to use for unit tests.\n\n    Doylestown, PA 18901\n\n    Important points:\n\n"
            "       - Hamburgers are delicious\n       - Dogs are the best\n")
    chunks = chunk_pages([(None, text)], tokens.count_tokens, tokens.max_tokens)
    assert _missing_words(text, chunks) == set()
    assert "Doylestown, PA 18901" in chunks[0].body  # a line of text, not a heading nothing belongs to
    listed = [c for c in chunks if "Dogs are the best" in c.body]
    assert listed[0].section_path == ("Important points",)


def test_table_rows_with_missing_cells_keep_their_cells(tokens):
    # how DOCX tables are extracted: cells joined by " | ", empty cells at the end of a row left out
    text = ("Weekly activity plan\n\nDay | Activity | Mood\nMonday | Walk | 6\nTuesday\nWednesday | Call a friend\n"
            "Thursday\nFriday\nSaturday\n | Rest | 5\n")
    chunks = chunk_pages([(None, text)], tokens.count_tokens, tokens.max_tokens)
    assert _missing_words(text, chunks) == set()
    assert any("Monday | Walk | 6\nTuesday\nWednesday | Call a friend" in c.body for c in chunks)  # one table


def test_headings_too_long_for_the_prefix_open_their_section_instead(tokens):
    title = " ".join(f"title{i}" for i in range(200))
    text = f"# {title}\n## Breathing\nBreathe in for four counts and out for six.\n"
    chunks = chunk_pages([(None, text)], tokens.count_tokens, tokens.max_tokens, markdown=True)
    assert _missing_words(text, chunks) == set()
    assert all(c.token_count <= tokens.max_tokens and c.section_path == ("Breathing",) for c in chunks)


def test_a_link_longer_than_a_chunk_is_cut_between_its_words(tokens):
    text = "Read more at https://example.org/" + "/".join(f"part{i}" for i in range(400)) + " today."
    chunks = chunk_pages([(None, text)], tokens.count_tokens, tokens.max_tokens)
    assert len(chunks) > 1 and all(c.token_count <= tokens.max_tokens for c in chunks)
    assert _missing_words(text, chunks) == set()


def _documents() -> list:
    handouts = sorted((ROOT / "data" / "handouts").glob("*.md"))
    folders = [CORPUS / "docs", CORPUS / "therapy"]
    if not all(folder.is_dir() for folder in folders):
        reason = f"{CORPUS} is absent: the shared document corpus is not checked out beside this repo"
        return [*handouts, pytest.param(None, id="corpus", marks=pytest.mark.skip(reason=reason))]
    return handouts + sorted(path for folder in folders for path in folder.iterdir() if path.is_file())


@pytest.mark.parametrize("path", _documents(), ids=lambda path: f"{path.parent.name}/{path.name}" if path else "")
def test_every_extracted_word_is_in_some_chunk(path: Path, tokens, settings):
    """Page furniture is the only text allowed to go, and extraction has removed it already."""
    try:
        document = extract(path.read_bytes(), path.name)
    except DocumentError as error:
        pytest.skip(f"extraction refuses {path.name}: {error}")
    chunks = chunk_pages(((p.number, p.text) for p in document.pages), tokens.count_tokens, tokens.max_tokens,
                         settings.chunk_size, settings.chunk_overlap, markdown=document.file_type == "md")
    missing = _missing_words("\n".join(page.text for page in document.pages), chunks)
    assert not missing, f"{len(missing)} words of {path.name} are in no chunk: {sorted(missing)[:50]}"
