"""``python -m luna_core``: Luna's command-line interface (the contract is ../shared/CLI.md).

With ``--json`` exactly one JSON document goes to stdout; messages go to stderr. A refused or
invalid request exits with code 2, an unexpected failure with 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from luna_core.analytics import Cohort, compute
from luna_core.analytics.seed import seed as demo_seed
from luna_core.cli import chat as cli_chat
from luna_core.cli import docs as cli_docs
from luna_core.cli import journal as cli_journal
from luna_core.cli import review as cli_review
from luna_core.cli.format import human
from luna_core.config import Settings
from luna_core.errors import LunaError, ValidationError
from luna_core.luna import Luna
from luna_core.personas.legacy import import_legacy
from luna_core.store.db import Database
from luna_core.store.migrations import upgrade
from luna_core.store.users import ROLES


class UsageError(LunaError):
    """The command line itself is wrong; argparse's message says how."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit by itself
        raise UsageError(f"{self.prog}: {message}")


def _on_off(value: str) -> bool:
    if value.lower() not in ("on", "off"):
        raise argparse.ArgumentTypeError("use 'on' or 'off'")
    return value.lower() == "on"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m luna_core", description="Luna's headless interface.")
    parser.add_argument("--data-dir", help="runtime folder (default $LUNA_DATA_DIR or data/runtime)")
    parser.add_argument("--user", help="account to act as (default: the local administrator)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    db = commands.add_parser("db", help="database maintenance").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="apply pending migrations")

    kpis = commands.add_parser("kpis", help="the success metrics for a period (administrators)")
    kpis.add_argument("--since", type=_date, help="first day, YYYY-MM-DD (default: 30 days ago)")
    kpis.add_argument("--until", type=_date, help="last day, YYYY-MM-DD, included (default: today)")
    kpis.add_argument("--flag", help="only the testers who saw this flag on (with --unexposed: only ever off)")
    kpis.add_argument("--unexposed", action="store_true", help="with --flag: the testers who never saw it on")
    kpis.add_argument("--template", help="only the testers who created a persona from this template")
    kpis.add_argument("--category", help="only the testers who created a persona in this category or specialty")

    seed = commands.add_parser("demo-seed", help="a clearly labelled synthetic beta (refused beside real testers)")
    seed.add_argument("--testers", type=int, default=20)
    seed.add_argument("--days", type=int, default=28)
    seed.add_argument("--events", type=int, default=0, help="pad with this many synthetic events (benchmarks)")

    legacy = commands.add_parser("import-legacy", help="import personas from an original Luna SQLite file")
    legacy.add_argument("sqlite_file")

    templates = commands.add_parser("templates").add_subparsers(dest="action", required=True)
    listing = templates.add_parser("list", help="therapeutic templates")
    listing.add_argument("--specialty")
    templates.add_parser("validate", help="check every template file; exit 2 when one is malformed")
    cli_review.register(templates)

    personas = commands.add_parser("personas").add_subparsers(dest="action", required=True)
    plist = personas.add_parser("list")
    plist.add_argument("--category", help="therapy, specialty, cloud, local, custom, favourites or a specialty")
    plist.add_argument("--search")
    personas.add_parser("show").add_argument("id")
    create = personas.add_parser("create")
    source = create.add_mutually_exclusive_group(required=True)
    source.add_argument("--template", help="template id")
    source.add_argument("--scratch", action="store_true")
    create.add_argument("--name", required=True)
    create.add_argument("--prompt")
    for flag in ("--specialty", "--category", "--description", "--icon", "--color", "--model"):
        create.add_argument(flag)
    create.add_argument("--temperature", type=float)
    create.add_argument("--max-tokens", type=int)
    create.add_argument("--top-p", type=float)
    dup = personas.add_parser("duplicate")
    dup.add_argument("id")
    dup.add_argument("--name", required=True)
    personas.add_parser("delete").add_argument("id")
    fav = personas.add_parser("favorite")
    fav.add_argument("id")
    fav.add_argument("--off", action="store_true")
    spec = personas.add_parser("set-specialty")
    spec.add_argument("id")
    spec.add_argument("specialty")

    flags = commands.add_parser("flags").add_subparsers(dest="action", required=True)
    flags.add_parser("list")
    fset = flags.add_parser("set")
    fset.add_argument("name")
    fset.add_argument("state", type=_on_off)
    fset.add_argument("--percent", type=int)
    fset.add_argument("--reason", help="why, for the audit of flag changes")
    fset.add_argument("--auto-rollback", type=_on_off, metavar="on|off",
                      help="roll the flag back to 0%% by itself when a rollback trigger fires")

    cli_docs.register(commands)
    cli_journal.register(commands, personas)
    cli_chat.register(commands)

    users = commands.add_parser("users", help="accounts (administrators only)").add_subparsers(
        dest="action", required=True)
    uadd = users.add_parser("add", help="create an account")
    uadd.add_argument("name")
    uadd.add_argument("--role", required=True, choices=ROLES)
    uadd.add_argument("--password-stdin", action="store_true", help="read its password from the first line of stdin")
    users.add_parser("list", help="every account")
    urole = users.add_parser("set-role", help="change an account's role (its sessions end)")
    urole.add_argument("name")
    urole.add_argument("role", choices=ROLES)
    upass = users.add_parser("set-password", help="set an account's password (its sessions end)")
    upass.add_argument("name")
    upass.add_argument("--password-stdin", action="store_true", required=True,
                       help="read the password from the first line of stdin")
    users.add_parser("disable", help="stop an account signing in (its data is kept)").add_argument("name")
    return parser


def _personas(luna: Luna, args: argparse.Namespace) -> Any:
    if args.action == "set-data-access":
        return cli_journal.handle(luna, args)
    user, service = luna.user(args.user), luna.personas
    if args.action == "list":
        return [p.to_dict() for p in service.list(user, args.category, args.search)]
    if args.action == "show":
        return service.get(user, args.id).to_dict()
    if args.action == "create":
        fields = {"specialty": args.specialty, "category": args.category, "description": args.description,
                  "icon": args.icon, "color_theme": args.color, "model": args.model,
                  "temperature": args.temperature, "max_tokens": args.max_tokens, "top_p": args.top_p}
        fields = {k: v for k, v in fields.items() if v is not None}
        if args.scratch:
            if not args.prompt:
                raise UsageError("personas create --scratch needs --prompt.")
            return service.create_from_scratch(user, args.name, args.prompt, **fields).to_dict()
        if args.prompt:
            fields["prompt"] = args.prompt
        return service.create_from_template(user, args.template, name=args.name, **fields).to_dict()
    if args.action == "duplicate":
        return service.duplicate(user, args.id, args.name).to_dict()
    if args.action == "delete":
        return {"deleted": service.delete(user, args.id)}
    if args.action == "favorite":
        return service.set_favorite(user, args.id, not args.off).to_dict()
    return service.set_specialty(user, args.id, args.specialty).to_dict()


def _templates(luna: Luna, args: argparse.Namespace) -> Any:
    if args.action in cli_review.ACTIONS:
        return cli_review.handle(luna, args)
    if args.action == "validate":
        if luna.template_report["errors"]:
            raise LunaError("Malformed template files:\n" + "\n".join(luna.template_report["errors"]))
        return {"valid": [t.id for t in luna.templates.list(offered_only=False)]}
    return [t.to_dict() for t in luna.templates.list(args.specialty, offered_only=False)]


def _flags(luna: Luna, args: argparse.Namespace) -> Any:
    if args.action == "set":
        luna.flags.set(args.name, args.state, args.percent, by=luna.user(args.user), reason=args.reason,
                       auto_rollback=args.auto_rollback)
    return [f.to_dict() for f in luna.flags.list()]


def _import_legacy(luna: Luna, args: argparse.Namespace) -> Any:
    result = import_legacy(luna.personas, luna.user(args.user), args.sqlite_file)
    for row in result["refused"]:
        print(f"warning: {row['legacy_id']} ({row['name']!r}) not imported: {row['reason']}", file=sys.stderr)
    return result


def _password_from_stdin() -> str:
    """The first line of stdin, without its line ending: a password never goes on the command line,
    where other local users could read it in the process list and shells keep it in their history."""
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UsageError("--password-stdin: the first line of stdin is empty; send the password on it.")
    return password


def _users(luna: Luna, args: argparse.Namespace) -> Any:
    """Account commands; every one acts as ``--user`` and the services refuse a non-administrator."""
    by, accounts = luna.user(args.user), luna.accounts
    if args.action == "add":
        password = _password_from_stdin() if args.password_stdin else None
        return accounts.add(by, args.name, args.role, password=password).to_dict()
    if args.action == "set-role":
        return accounts.set_role(by, args.name, args.role).to_dict()
    if args.action == "set-password":
        return accounts.set_password(by, args.name, _password_from_stdin(), trusted=by.is_admin).to_dict()
    if args.action == "disable":
        return accounts.disable(by, args.name).to_dict()
    return [u.to_dict() for u in luna.accounts.list(by)]


def _date(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-01") from error


def _kpis(luna: Luna, args: argparse.Namespace) -> Any:
    until = args.until + timedelta(days=1) if args.until else None
    if args.unexposed and not args.flag:
        raise ValidationError("--unexposed needs --flag NAME: the testers who never saw that flag on.")
    if args.flag:
        luna.flags.get(args.flag)  # an unknown flag or template is refused, naming the known ones
    if args.template:
        luna.templates.get(args.template, offered_only=False)
    cohort = Cohort(flag=args.flag, exposed=not args.unexposed, template=args.template, category=args.category)
    figures = compute(luna.db, luna.user(args.user), args.since, until, cohort)
    return {kpi: {k: figure[k] for k in ("label", "value", "target", "unit", "met")} for kpi, figure in figures.items()}


def _demo_seed(luna: Luna, args: argparse.Namespace) -> Any:
    return demo_seed(luna, luna.user(args.user), args.testers, args.days, args.events)


HANDLERS: dict[str, Callable[[Luna, argparse.Namespace], Any]] = {
    "kpis": _kpis,
    "demo-seed": _demo_seed,
    "personas": _personas,
    "templates": _templates,
    "flags": _flags,
    "users": _users,
    "docs": cli_docs.handle,
    "journal": cli_journal.handle,
    "retrieve": cli_chat.handle,
    "ask": cli_chat.handle,
    "safety": cli_chat.handle,
    "import-legacy": _import_legacy,
}


def _emit(result: Any, as_json: bool, as_lines: bool = False) -> bool:
    """Print the result; a --jsonl batch prints one object per line as each is ready.
    Returns False when an item of a batch failed."""
    if as_lines:
        ok = True
        for item in (result if isinstance(result, (list, Iterator)) else [result]):
            ok = ok and not (isinstance(item, dict) and "error" in item)
            print(json.dumps(item, ensure_ascii=False, default=str), flush=True)
        return ok
    if as_json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(human(result))
    return True


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    as_lines = "--jsonl" in argv
    argv = [a for a in argv if a not in ("--json", "--jsonl")]
    started = time.perf_counter()
    luna: Luna | None = None
    args = None
    code = 0
    try:
        args = build_parser().parse_args(argv)
        args.jsonl = as_lines
        settings = Settings.from_env(data_dir=args.data_dir)
        if args.command == "db":
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            result = upgrade(Database(settings.db_path, settings.db_lock_timeout, migrate=False))
            luna = Luna.open(settings)
        else:
            luna = Luna.open(settings)
            result = HANDLERS[args.command](luna, args)
        for problem in luna.template_report["errors"]:
            print(f"warning: template file skipped: {problem}", file=sys.stderr)
        if not _emit(result, as_json, as_lines):
            code = 2
    except LunaError as error:
        code = 2
        print(f"error: {error}", file=sys.stderr)
        if as_json or as_lines:
            print(json.dumps({"error": str(error)}, ensure_ascii=False))
    except Exception as error:  # an unexpected failure: show it, never pretend success
        code = 1
        traceback.print_exc(file=sys.stderr)
        if as_json:
            print(json.dumps({"error": f"unexpected failure: {error}"}, ensure_ascii=False))
    if luna is not None and args is not None:
        _record(luna, args, code, started)
    return code


def _record(luna: Luna, args: argparse.Namespace, code: int, started: float) -> None:
    """Every command leaves a ``cli_command`` event for the acting user (best effort)."""
    command = " ".join(x for x in (args.command, getattr(args, "action", None)) if x)
    try:
        luna.events.record(luna.user(args.user).id, "cli_command",
                           {"command": command, "exit_code": code},
                           duration_ms=(time.perf_counter() - started) * 1000)
    except LunaError as error:
        print(f"warning: could not record the command event: {error}", file=sys.stderr)

