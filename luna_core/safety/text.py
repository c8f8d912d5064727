"""Normalising a message before the crisis rules read it.

People in distress write fast: typos, repeated letters, leetspeak, censored words, text slang and
euphemisms that grew up to dodge moderation ("unalive", "sewerslide", "kms"). ``normalise`` maps
all of that onto plain lowercase English with contractions expanded, so the rules can be written
once against the plain form. It never adds meaning that was not there: a slang word is replaced by
what it stands for, and a typo is corrected only towards a small risk vocabulary.
"""

from __future__ import annotations

import difflib
import re
import threading
import unicodedata
from collections.abc import Callable
from typing import Any

# A joke marker that survives normalisation (tie-breaker 2 of the labelling rules uses it).
JOKE = "lol"
_LAUGH_EMOJI = "\U0001f602\U0001f923\U0001f480\u2620\U0001f606\U0001f605\U0001f639\U0001f62d"

_PUNCT_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                             "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})

# Leetspeak inside a word ("k1ll", "su1c1de", "d!e"); only between letters, so "3am" stays.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
_LEET_RE = re.compile(r"(?<=[a-z])[013457@$!](?=[a-z])")

_CONTRACTIONS = [
    (r"\bcan'?t\b", "cannot"), (r"\bwon'?t\b", "will not"), (r"\bain'?t\b", "am not"),
    (r"\b(do|does|did|is|are|was|were|have|has|had|would|could|should|must|need)n'?t\b", r"\1 not"),
    (r"\b(i|you|he|she|they|we)'d (?=(?:never |not |just |already |only )?(?:been|had|done|gone|seen|known|taken|"
     r"made|given|tried|wanted|thought|told|said|left|lost|got|gotten)\b)", r"\1 had "),
    (r"\bi'?m\b", "i am"), (r"\bi'?ve\b", "i have"), (r"\bi'd\b", "i would"), (r"\bi'll\b", "i will"),
    (r"\b(you|we|they)'re\b", r"\1 are"), (r"\b(you|we|they)'ve\b", r"\1 have"),
    (r"\b(you|we|they|he|she|it)'ll\b", r"\1 will"),
    (r"\b(you|we|they|he|she|that|it|there|who|what)'d\b", r"\1 would"),
    (r"\b(it|that|what|there|he|she|who|everything|nothing|life|tonight|today|tomorrow|everyone|no one|nobody|"
     r"this|here|now)'s\b", r"\1 is"),
    (r"\b(im)\b", "i am"), (r"\bive\b", "i have"),
    (r"\bill (?=(?:kill|do|end|hurt|be|never|just|take|jump|go|make|cut|stab|shoot|finally)\b)", "i will "),
    (r"\b(dont|doesnt|didnt|isnt|arent|wasnt|werent|havent|hasnt|wouldnt|couldnt|shouldnt)\b",
     lambda m: m.group(1)[:-2] + " not"),
    (r"\bcant\b", "cannot"), (r"\bwont\b", "will not"), (r"\b(thats|whats|theres|its)\b",
                                                         lambda m: m.group(1)[:-1] + " is"),
]

# Text slang, abbreviations and euphemisms, each to what it stands for. Only widely used forms.
_SLANG = {
    "kms": "kill myself", "kys": "kill yourself", "ctb": "kill myself", "sewerslide": "suicide",
    "sewerslided": "suicide", "sewerslidal": "suicidal", "suicided": "killed myself",
    "unalive": "kill", "unaliving": "killing", "unalived": "killed", "sui": "suicide",
    "selfharm": "self harm", "selfharming": "self harming", "s/h": "self harm", "od": "overdose",
    "oding": "overdosing", "od'd": "overdosed", "odd'd": "overdosed", "o.d.": "overdose",
    "u": "you", "ur": "your", "r": "are", "rn": "right now", "tn": "tonight", "tonite": "tonight",
    "2nite": "tonight", "2night": "tonight", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrrw": "tomorrow",
    "2moro": "tomorrow", "2day": "today", "idk": "i do not know", "idc": "i do not care",
    "ngl": "not going to lie", "tbh": "to be honest", "fr": "for real", "frfr": "for real",
    "istg": "i swear to god", "wanna": "want to", "gonna": "going to", "gotta": "got to",
    "finna": "going to", "tryna": "trying to", "imma": "i am going to", "ima": "i am going to",
    "bc": "because", "cuz": "because", "coz": "because", "cos": "because", "ppl": "people",
    "every1": "everyone", "evry1": "everyone", "no1": "no one", "noone": "no one", "some1": "someone",
    "bf": "boyfriend", "gf": "girlfriend", "abt": "about", "bout": "about", "thru": "through",
    "kinda": "kind of", "dunno": "do not know", "lemme": "let me", "pls": "please", "plz": "please",
    "jk": "just kidding", "myslf": "myself", "meself": "myself", "mself": "myself",
    "kil": "kill", "kll": "kill", "kiling": "killing", "killin": "killing", "klling": "killing",
    "thinkin": "thinking", "wantin": "wanting", "doin": "doing", "goin": "going", "nothin": "nothing",
    "lmao": JOKE, "lmfao": JOKE, "lmaoo": JOKE, "rofl": JOKE, "haha": JOKE, "hahaha": JOKE,
    "hehe": JOKE, "xd": JOKE, "lolol": JOKE, "lool": JOKE,
}
_SLANG_RE = re.compile(r"(?<![\w/.'])(" + "|".join(re.escape(k) for k in sorted(_SLANG, key=len, reverse=True))
                       + r")(?![\w/'])")
# "sh" is self-harm only next to the words it keeps company with ("relapsed on sh", "sh urges").
_SH_RE = re.compile(r"\b(?:(?<=relapsed on )|(?<=relapse on )|(?<=urge to )|(?<=urges to )|(?<=clean from )"
                    r"|(?<=free from ))sh\b|\bsh(?= (?:urges?|scars?|again|relapse|free|clean)\b)")
_PHRASES = [
    (r"\bsewer ?slide\b", "suicide"), (r"\bself[- ]?(?:injury|injure|injuring|mutilation)\b", "self harm"),
    (r"\bself[- ](harm\w*)", r"self \1"), (r"\b(?:off|offing|offed) (myself|me)\b", "kill myself"),
    (r"\bmy ?self\b", "myself"), (r"\bun-alive\b", "kill"), (r"\bend my ?self\b", "kill myself"),
    (r"\bdelete myself\b", "kill myself"),
    (r"\bun-?alive\b(?! (?:myself|yourself|himself|herself|themselves|him|her|them|me|you|someone|somebody|people|my|"
     r"his|the|every\w*|a |that|this|those|these))", "kill myself"),
    (r"\b(want|wanna|going|gonna|need|have|got|ready|about|trying|wish|plan|planning) 2 (?=[a-z])", r"\1 to "),
    (r"\bk\*+ll\b", "kill"), (r"\bk\*+s\b", "kill myself"),
]

_RISK_WORDS = ["suicide", "suicidal", "myself", "overdose", "overdosing", "overdosed", "paracetamol",
               "acetaminophen", "tylenol", "ibuprofen", "goodbye", "killing", "bleeding"]
_REAL_WORDS = {"oversee", "overseeing", "overcoming", "overdoes", "willing", "filling", "drilling",
               "spilling", "milling", "billing", "chilling", "billings", "killings", "breeding",
               "blending", "pleading", "heeding", "feeding", "needing", "speeding", "weeding", "reading",
               "beading", "shedding", "sledding", "bidding", "kidding", "ceiling", "feeling", "dealing",
               "healing", "peeling", "selling", "telling", "yelling", "spelling", "smelling", "swelling",
               "dwelling", "falling", "calling", "rolling", "pulling", "tolling", "ruling", "tiling",
               "piling", "filing", "mailing", "sailing", "failing", "nailing", "wailing", "railing"}


def fold_unicode(text: str) -> str:
    """Lowercase ASCII-ish text: accents stripped, smart quotes plain, laughing emoji as ' lol '."""
    for emoji in _LAUGH_EMOJI:
        text = text.replace(emoji, f" {JOKE} ")
    text = unicodedata.normalize("NFKD", text.translate(_PUNCT_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower()


def _unspace(match: re.Match) -> str:
    return match.group(0).replace(" ", "")


def _uncensor(token: str) -> str:
    """'s*icide', 'su**ide' -> 'suicide' when exactly one risk word fits the gaps."""
    pattern = re.compile("^" + re.escape(token).replace(r"\*", "[a-z]?") + "$")
    hits = [w for w in _RISK_WORDS + ["kill", "die", "dead", "cut", "rape", "raped"] if pattern.match(w)]
    return hits[0] if len(hits) == 1 else token


def _fix_typo(token: str) -> str:
    if len(token) < 5 or token in _REAL_WORDS or token in _RISK_WORDS:
        return token
    close = difflib.get_close_matches(token, _RISK_WORDS, n=1, cutoff=0.8)
    return close[0] if close else token


_UNDOUBLE_TARGETS = {"die", "dead", "dying", "pills", "suicide", "myself", "cut", "hurt", "end", "life",
                     "bye", "goodbye", "tonight", "now", "done", "over", "alone", "tired", "help",
                     "please", "want", "so", "sad", "me", "hate", "kill", "killing"}


def _undouble(token: str) -> str:
    """A stretched word back to its risk-vocabulary form ("diee" -> "die"); others unchanged."""
    if token in _UNDOUBLE_TARGETS:
        return token
    for i in range(len(token) - 1):
        if token[i] == token[i + 1] and (shorter := token[:i] + token[i + 1:]) in _UNDOUBLE_TARGETS:
            return shorter
    return token


def normalise(text: str) -> str:
    """The message in the plain form the rules are written against (see the module docstring)."""
    text = fold_unicode(text)
    text = _LEET_RE.sub(lambda m: _LEET[m.group(0)], text)
    text = re.sub(r"\b[a-z]\*+[a-z*]*\b|\b[a-z]+\*+[a-z*]*", lambda m: _uncensor(m.group(0)), text)
    text = re.sub(r"\b(?:[a-z] ){3,}[a-z]\b", _unspace, text)       # "s u i c i d e"
    text = re.sub(r"([a-z])\1{2,}", r"\1\1", text)                  # "soooo" -> "soo"
    text = re.sub(r"\b(l+o+l+|(?:ha){2,}h?|(?:he){2,}|lma+o+|lmf+a+o+)\b", JOKE, text)
    for pattern, repl in _PHRASES:
        text = re.sub(pattern, repl, text)
    text = _SLANG_RE.sub(lambda m: _SLANG[m.group(1)], text)
    text = _SH_RE.sub("self harm", text)
    for pattern, repl in _CONTRACTIONS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"[a-z]{5,}", lambda m: _fix_typo(m.group(0)), text)
    text = re.sub(r"[a-z]*([a-z])\1[a-z]*", lambda m: _undouble(m.group(0)), text)  # "diee", "pillss"
    text = text.replace("'", "")
    return re.sub(r"[ \t]+", " ", text).strip()


def sentences(text: str) -> list[str]:
    """Clauses split at sentence punctuation and line breaks, empty ones dropped."""
    return [s.strip() for s in re.split(r"[.!?;\n]+|,\s*(?:but|and then|so)\s", text) if s.strip()]


_REPLY_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+|\s+-\s+(?=[a-z])")


def reply_sentences(text: str) -> list[str]:
    """A model reply's sentences, punctuation kept (split after . ! ?, at line breaks and dashes)."""
    return [s for s in _REPLY_SENTENCE.split(text) if s.strip()]


_EMBEDDED: dict[tuple[Any, tuple[str, ...]], Any] = {}
_EMBEDDED_LOCK = threading.Lock()


def embed_fixed(embed: Callable[[list[str]], Any], texts: list[str]) -> Any:
    """``embed(texts)`` for a fixed list (a bank of labelled sentences), computed once per process
    and embedding function: every Luna opened in one process (tests, the app's reruns) shares it."""
    key = (embed, tuple(texts))
    with _EMBEDDED_LOCK:
        if key not in _EMBEDDED:
            _EMBEDDED[key] = embed(texts)
        return _EMBEDDED[key]
