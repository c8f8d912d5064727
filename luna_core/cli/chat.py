"""The ``retrieve``, ``ask`` and ``safety scan`` commands, single or as ``--jsonl`` batches."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

from luna_core.errors import LunaError, ValidationError


def register(commands: argparse._SubParsersAction) -> None:
    retrieve = commands.add_parser("retrieve", help="the passages a persona would use for a query")
    retrieve.add_argument("--persona", required=True)
    retrieve.add_argument("--k", type=int, default=None)
    retrieve.add_argument("query", nargs="*")
    ask = commands.add_parser("ask", help="ask a persona (safety scan, retrieval, LLM)")
    ask.add_argument("--persona", required=True)
    ask.add_argument("--conversation")
    ask.add_argument("message", nargs="*")
    safety = commands.add_parser("safety").add_subparsers(dest="action", required=True)
    safety.add_parser("scan", help="crisis level of a text").add_argument("text", nargs="*")


def _lines(key: str) -> Iterator[tuple[str | None, str | None]]:
    """(value, error) for each stdin line of a --jsonl batch."""
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)[key]
            if not isinstance(value, str):
                raise TypeError
            yield value, None
        except (json.JSONDecodeError, KeyError, TypeError):
            yield None, f"line {number}: expected a JSON object with a string {key!r}"


def _one_or_many(args: argparse.Namespace, key: str, words: list[str], run: Callable[[str], Any]) -> Any:
    if not args.jsonl:
        text = " ".join(words).strip()
        if not text:
            raise ValidationError(f"Give the {key} as an argument, or use --jsonl with lines on stdin.")
        return run(text)

    def batch() -> Iterator[Any]:
        for value, problem in _lines(key):
            if problem:
                yield {"error": problem}
                continue
            try:
                yield run(value)
            except LunaError as error:
                yield {"error": str(error)}
    return batch()


def handle(luna, args: argparse.Namespace) -> Any:
    user = luna.user(args.user)
    if args.command == "safety":
        return _one_or_many(args, "text", args.text, lambda t: luna.detector.assess(t).to_dict())
    if args.command == "retrieve":
        persona = luna.personas.get(user, args.persona)
        k = args.k or luna.settings.max_chunks
        return _one_or_many(args, "query", args.query, lambda q: {
            "query": q, "results": [p.to_dict() for p in luna.retriever.retrieve(user, persona, q, k=k)]})
    luna.personas.get(user, args.persona)
    conversation = args.conversation

    def ask(message: str) -> dict[str, Any]:
        nonlocal conversation
        answer = luna.chat.ask(user, args.persona, message, conversation)
        conversation = answer.conversation_id  # a batch is one conversation
        return answer.to_dict()
    return _one_or_many(args, "message", args.message, ask)
