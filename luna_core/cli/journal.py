"""The ``journal`` commands (add, list) and ``personas set-data-access`` of the CLI."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import Any

from luna_core.errors import LunaError
from luna_core.safety.resources import crisis_message


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-01") from error


def _on_off(value: str) -> bool:
    if value.lower() not in ("on", "off"):
        raise argparse.ArgumentTypeError("use 'on' or 'off'")
    return value.lower() == "on"


def register(commands: argparse._SubParsersAction, personas: argparse._SubParsersAction) -> None:
    journal = commands.add_parser("journal", help="your own journal entries").add_subparsers(dest="action",
                                                                                            required=True)
    add = journal.add_parser("add", help="write an entry (Markdown), optionally with a mood check-in")
    add.add_argument("text")
    add.add_argument("--mood", type=int, help="1 (very low) to 5 (very good)")
    add.add_argument("--feelings", help="a few feeling words, comma-separated")
    add.add_argument("--date", type=_day, help="the day it is about, YYYY-MM-DD (default: today)")
    listing = journal.add_parser("list", help="your entries, newest first")
    listing.add_argument("--search")
    access = personas.add_parser("set-data-access", help="what of your own data a persona may read")
    access.add_argument("id")
    for flag in ("journal", "mood", "profile"):
        access.add_argument(f"--{flag}", type=_on_off, metavar="on|off")
    access.add_argument("--allow-cloud", action=argparse.BooleanOptionalAction, default=None,
                        help="let a cloud persona send them to the cloud host (--no-allow-cloud withdraws it)")


def handle(luna, args: argparse.Namespace) -> Any:
    user = luna.user(args.user)
    if args.command == "personas":
        if args.allow_cloud:
            print("warning: with --allow-cloud, the journal passages, mood summary and profile this persona may "
                  "read go with its prompts to the cloud host " + luna.settings.ollama_cloud_host, file=sys.stderr)
        return luna.personas.set_data_access(user, args.id, journal_entries=args.journal, mood_data=args.mood,
                                             user_profile=args.profile, cloud_consent=args.allow_cloud).to_dict()
    if args.action == "list":
        return [e.to_dict() for e in luna.journal.list(user, args.search)]
    feelings = [f for f in (args.feelings or "").split(",") if f.strip()]
    try:
        saved = luna.journal.add(user, args.text, args.mood, feelings, args.date)
    except LunaError as error:  # not saved, but assessed: a crisis still gets the resources
        _resources(luna, error.assessment)
        raise
    _resources(luna, saved.assessment)
    return {**saved.entry.to_dict(), "crisis": {"detected": saved.assessment.crisis, "level": saved.assessment.level}}


def _resources(luna, assessment) -> None:
    """The crisis resources on stderr (beside the JSON on stdout) when ``assessment`` is a crisis."""
    if assessment is not None and assessment.crisis:
        print(crisis_message(luna.settings.crisis_region, assessment.level, assessment.for_other), file=sys.stderr)
