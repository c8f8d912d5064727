"""What an answer shows besides the model's words: its sources, and the honest offline reply.

A source keeps what may be shown of its passage (``prompt.shareable_text``: all of a ``full``
passage, the opening of a ``summary`` one, nothing of a ``reference_only`` one), with the chunk and
dataset ids so that deleting a document can remove its text from earlier answers too. The offline
reply says why there is no real answer and points to the sources; it never copies passage text
into the stored message.
"""

from __future__ import annotations

from typing import Any

from luna_core.chat.prompt import shareable_text
from luna_core.chat.retrieval import Passage

EXCERPT_CHARS = 280


def source_of(passage: Passage) -> dict[str, Any]:
    """What the answer shows under 'Based on your documents', with the passage text it may show."""
    return {"dataset_id": passage.dataset_id, "dataset_name": passage.dataset_name,
            "source_file": passage.source_file, "page_reference": passage.page_reference,
            "section": passage.section, "relevance_score": round(passage.relevance_score, 4),
            "chunk_id": passage.chunk_id, "access_level": passage.access_level,
            "content": shareable_text(passage)}


def excerpt(source: dict[str, Any]) -> str | None:
    """The first ``EXCERPT_CHARS`` of what a source may show, on one line."""
    text = " ".join((source.get("content") or "").split())
    if not text:
        return None
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def offline_text(reason: str, has_sources: bool, crisis: bool, for_other: bool = False) -> str:
    """The reply when no language model answered: why, and where to look; in a crisis turn a
    caring message under the resources (for a helper when the worry is about someone else), never
    an invented answer."""
    if crisis and for_other:
        lines = ["It's good that you're looking out for them. I can't reach my language model right now, so I "
                 "can't write a proper reply, but the people above can help you help them, right now. "
                 f"({reason})"]
    elif crisis:
        lines = ["I'm really glad you told me. I can't reach my language model right now, so I can't write a "
                 "proper reply, but what you're going through matters. Please reach out to one of the people "
                 f"above now: they are there for exactly this. ({reason})"]
    else:
        lines = [f"I can't reach my language model right now, so I can't write a proper reply. ({reason})"]
    if has_sources:
        lines.append("The passages of your documents that seem closest to what you wrote are listed under the "
                     "sources below.")
    elif not crisis:
        lines.append("Please try again in a moment.")
    return "\n\n".join(lines)


# A passage this relevant (after reranking; the retrieval floor is 0.25) is a good match; weaker ones are still listed as sources,
# but the answer is not called personalised on their strength.
GOOD_MATCH = 0.4


def well_grounded(sources: list[dict[str, Any]], context_used: bool) -> bool:
    """Whether an answer may say it was personalised with the person's materials: the model used
    passages (not offline), and at least one of them, still in the library, is a good match."""
    return context_used and any(not s.get("deleted") and (s.get("relevance_score") or 0) >= GOOD_MATCH
                                for s in sources)
