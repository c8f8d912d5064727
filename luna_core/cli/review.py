"""The clinician review commands of ``templates`` (../shared/CLI.md): versions, edit, submit,
approve, request-changes, plus gate (run the safety gate) and verify-log (the audit chain)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from luna_core.errors import ValidationError

if TYPE_CHECKING:
    from luna_core.luna import Luna

ACTIONS = ("versions", "edit", "submit", "approve", "request-changes", "gate", "verify-log", "export")


def register(templates: argparse._SubParsersAction) -> None:
    templates.add_parser("versions", help="every version of a template").add_argument("id")
    edit = templates.add_parser("edit", help="a new draft version with the prompt from a file")
    edit.add_argument("id")
    edit.add_argument("--prompt-file", required=True)
    edit.add_argument("--note")
    for action in ("submit", "approve", "request-changes", "gate"):
        step = templates.add_parser(action)
        step.add_argument("id")
        step.add_argument("--version", type=int, required=True)
        if action in ("approve", "request-changes"):
            step.add_argument("--comment", required=action == "request-changes")
    templates.add_parser("verify-log", help="whether the review audit log is intact")
    export = templates.add_parser("export", help="write the newest approved version as a data/templates file")
    export.add_argument("id")
    export.add_argument("--out", required=True, help="the folder to write ID.toml into (e.g. data/templates)")


def handle(luna: Luna, args: argparse.Namespace) -> Any:
    user, review = luna.user(args.user), luna.review
    if args.action == "verify-log":
        return review.verify_log()
    if args.action == "export":
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{args.id}.toml").write_text(review.export(user, args.id), encoding="utf-8")
        return {"id": args.id, "path": str(folder / f"{args.id}.toml")}
    if args.action == "versions":
        return [v.to_dict() for v in review.versions(user, args.id)]
    if args.action == "edit":
        path = Path(args.prompt_file)
        if not path.is_file():
            raise ValidationError(f"There is no file {args.prompt_file!r} to read the prompt from.")
        return review.edit(user, args.id, path.read_text(encoding="utf-8"), note=args.note).to_dict()
    if args.action == "submit":
        return review.submit(user, args.id, args.version).to_dict()
    if args.action == "gate":
        return review.run_gate(user, args.id, args.version).gate
    if args.action == "approve":
        return review.approve(user, args.id, args.version, args.comment).to_dict()
    return review.request_changes(user, args.id, args.version, args.comment).to_dict()
