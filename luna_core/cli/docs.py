"""The ``docs`` commands of the CLI: add, list, show, delete, link."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from luna_core.documents.datasets import Dataset
from luna_core.errors import DocumentError, LunaError


def register(commands: argparse._SubParsersAction) -> None:
    docs = commands.add_parser("docs", help="document knowledge bases").add_subparsers(dest="action", required=True)
    add = docs.add_parser("add", help="upload and process files")
    add.add_argument("paths", nargs="+", metavar="PATH")
    add.add_argument("--persona", help="link each processed file to this persona")
    add.add_argument("--global", dest="is_global", action="store_true", help="share with every user (admins, clinicians)")
    add.add_argument("--name", help="display name (default: the file name)")
    docs.add_parser("list")
    docs.add_parser("show").add_argument("id")
    docs.add_parser("delete").add_argument("id")
    link = docs.add_parser("link")
    link.add_argument("dataset_id")
    link.add_argument("persona_id")
    link.add_argument("--weight", type=float, default=1.0)
    link.add_argument("--access", choices=["full", "summary", "reference_only"], default="full")
    link.add_argument("--disable", action="store_true", help="keep the link but switch it off")


def dataset_dict(luna, dataset: Dataset) -> dict[str, Any]:
    owner = luna.users.by_id(dataset.created_by_user)
    return {"id": dataset.id, "name": dataset.name, "file_type": dataset.file_type,
            "original_filename": dataset.original_filename, "status": dataset.status,
            "chunk_count": dataset.chunk_count, "error": dataset.error, "is_global": dataset.is_global,
            "created_by_user": owner.name if owner else dataset.created_by_user,
            "file_size": dataset.file_size, "pages": dataset.page_count,
            "upload_date": dataset.upload_date.isoformat(),
            "processed_date": dataset.processed_date.isoformat() if dataset.processed_date else None}


def _add(luna, user, args) -> list[dict[str, Any]]:
    results = []
    for raw in args.paths:
        path = Path(raw)
        if not path.is_file():
            results.append({"dataset_id": None, "name": path.name, "status": "error", "chunk_count": 0,
                            "pages": None, "error": f"{raw} does not exist or is not a file.", "seconds": 0.0})
            continue
        try:  # the size is checked before the file is read; a file over the limit is its own error row
            luna.documents.check_size(path.name, path.stat().st_size)
        except DocumentError as error:
            results.append({"dataset_id": None, "name": path.name, "status": "error", "chunk_count": 0,
                            "pages": None, "error": str(error), "seconds": 0.0})
            continue

        def progress(stage: str, fraction: float, name=path.name) -> None:
            print(f"{name}: {stage} {fraction:.0%}", file=sys.stderr)

        name = args.name if args.name and len(args.paths) == 1 else None
        result = luna.documents.add_file(user, path.name, path.read_bytes(), persona_id=args.persona,
                                         is_global=args.is_global, name=name, progress=progress)
        results.append(result.to_dict())
    return results


def handle(luna, args: argparse.Namespace) -> Any:
    user = luna.user(args.user)
    if args.action == "add":
        return _add(luna, user, args)
    if args.action == "list":
        return [dataset_dict(luna, d) for d in luna.library.list(user)]
    if args.action == "show":
        return {**dataset_dict(luna, luna.library.get(user, args.id)),
                "chunks": [{k: c[k] for k in ("chunk_index", "content", "page_reference", "section", "chunk_type")}
                           for c in luna.library.chunks(user, args.id)]}
    if args.action == "delete":
        dataset = luna.library.get(user, args.id)
        luna.library.delete(user, args.id)
        return {**dataset_dict(luna, dataset), "deleted": True}
    if args.action == "link":
        return luna.library.link(user, args.dataset_id, args.persona_id, args.weight, args.access,
                                 enabled=not args.disable)
    raise LunaError(f"Unknown docs action {args.action!r}.")
