"""Words a PDF splits in two are joined again; real words next to each other never are."""

from __future__ import annotations

import re
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from pypdf import PdfReader

from luna_core.documents.extract import extract
from luna_core.documents.extract.dekern import known_words, rejoin_split_words
from luna_core.documents.extract.text import clean_text
from tests.conftest import ROOT, SHARED

THERAPY = SHARED / "corpus" / "therapy"
BOOKLETS = sorted(THERAPY.glob("*.pdf"))


@pytest.mark.parametrize(("split", "joined"), [
    ("Ad ditional", "Additional"),
    ("Pre gnancy", "Pregnancy"),
    ("medi cation", "medication"),
    ("Ad\nditional", "Additional"),
    ("T oday", "Today"),
    ("Wh at", "What"),
    ("over whelmed", "overwhelmed"),
    ("medi ca tion", "medication"),
])
def test_a_split_word_is_joined(split: str, joined: str) -> None:
    assert rejoin_split_words(split) == joined
    assert rejoin_split_words(f"Ask about {split}, please.") == f"Ask about {joined}, please."


@pytest.mark.parametrize("words", [
    "a part", "in to", "to day", "the rapist", "the rapists", "to get her", "a typical", "a void",
    "some one", "be cause", "no thing", "his tory",
    # a word after a term the vocabulary lacks: "compressor", "strand", "Renamed" would be false
    "compress or decompress", "str and bytes", "Rename d to dict",
])
def test_real_words_next_to_each_other_stay_apart(words: str) -> None:
    assert rejoin_split_words(words) == words


def test_a_paragraph_of_ordinary_prose_comes_back_unchanged() -> None:
    prose = (
        "When you feel overwhelmed, it can help to take a part of the day for yourself. Talk to a\n"
        "therapist or a friend you trust, and try to get her or him to listen in to what you need.\n"
        "Today may be hard. A typical worry is that things will not get better, and it is not\n"
        "a void you fall into alone: a part of getting better is asking. To day-to-day worries,\n"
        "add one thing at a time. If you are ever in danger, call 988 or go to the\n"
        "nearest emergency room. Cognitive behavioral therapy (CBT) teaches skills such as\n"
        "noticing automatic thoughts, testing them against the facts and trying a new way to\n"
        "respond, step by step, with someone's support.  Tabs\tand  double  spaces stay too."
    )
    assert rejoin_split_words(prose) == prose


def test_case_is_kept_and_only_one_word_cased_pieces_are_joined() -> None:
    assert rejoin_split_words("ADDI TIONAL pre gnancy Medi cation") == "ADDITIONAL pregnancy Medication"
    assert rejoin_split_words("aD ditional") == "aD ditional"
    assert rejoin_split_words("Ad Ditional") == "Ad Ditional"  # a capital starts a new word


def test_only_the_gap_is_removed_and_other_spacing_and_line_breaks_stay() -> None:
    text = "Ad\nditional types\nof depression\n\n  Pre gnancy, the postpartum period.\n"
    assert rejoin_split_words(text) == "Additional types\nof depression\n\n  Pregnancy, the postpartum period.\n"
    for wide in ("Ad  ditional", "Ad\n\nditional", "Ad\tditional", "Ad \nditional"):
        assert rejoin_split_words(wide) == wide


@pytest.mark.parametrize("text", [
    "nimh.nih.gov/ad ditional", "co-ad ditional", "l’ad ditional", "ad ditional's", "ad ditionalé",
    "ija\u0331a sia",  # Chinantec: an "a" with a combining accent is no "a" ("asia")
])
def test_fragments_of_longer_tokens_are_not_joined(text: str) -> None:
    assert rejoin_split_words(text) == text
    assert rejoin_split_words("(ad ditional)") == "(additional)"


def test_known_words_are_the_vocabularys_whole_words() -> None:
    words = known_words()
    assert 15_000 < len(words) < 30_522
    assert {"a", "i", "additional", "pregnancy", "medication", "therapist"} <= words
    assert not {"ditional", "gnancy", "[UNK]", "[unused0]", "##ing", "café", "x86"} & words


def test_the_word_list_is_read_without_numpy_or_torch() -> None:
    probe = ("import sys; from luna_core.documents.extract.dekern import known_words; known_words(); "
             "print(sorted({name.split('.')[0] for name in sys.modules} & {'numpy', 'torch'}))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- the therapy booklets --------------------------------------------------------------------


def pypdf_text(path: Path) -> str:
    """A booklet's cleaned page text as pypdf gives it, before any rejoining."""
    return "\n\n".join(clean_text(page.extract_text()) for page in PdfReader(path).pages)


def rejoined(before: str, after: str) -> list[tuple[str, str]]:
    """Each change from ``before`` to ``after`` as (pieces with their gaps, the word they became)."""
    old, new = re.split(r"([^A-Za-z]+)", before), re.split(r"([^A-Za-z]+)", after)
    changes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return [("".join(old[i1:i2]), "".join(new[j1:j2])) for tag, i1, i2, j1, j2 in changes if tag != "equal"]


@pytest.fixture(scope="module", params=[path.name for path in BOOKLETS] or ["absent"])
def booklet(request: pytest.FixtureRequest) -> Path:
    if not BOOKLETS:
        pytest.skip(f"{THERAPY} has no PDFs: the shared corpus is not checked out beside this repo")
    return THERAPY / request.param


def test_on_a_booklet_only_non_word_pieces_of_a_vocabulary_word_are_joined(booklet: Path) -> None:
    before = pypdf_text(booklet)
    changes = rejoined(before, rejoin_split_words(before))
    assert len(changes) <= 0.002 * len(before.split())  # depression.pdf: 2 of 2,700; the others: none
    words = known_words()
    for pieces, word in changes:
        parts = re.split(r"[ \n]", pieces)
        assert "".join(parts) == word and word.isalpha() and word.lower() in words, (pieces, word)
        assert not all(part.lower() in words for part in parts), (pieces, word)


def test_the_depression_booklets_split_words_read_whole() -> None:
    path = THERAPY / "depression.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared corpus is not checked out beside this repo")
    assert "Ad\nditional" in pypdf_text(path)  # what pypdf gives, so this test can fail
    text = extract(path.read_bytes(), path.name).text
    assert "Additional types of depression can occur" in text
    assert "Pregnancy, the postpartum period" in text
    assert "Ad\nditional" not in text and "Pre\ngnancy" not in text
