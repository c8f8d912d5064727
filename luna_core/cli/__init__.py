"""The command-line interface, ``python -m luna_core`` (the contract is ../shared/CLI.md).

``main`` builds the parser and dispatches; ``docs`` and ``chat`` hold the document and chat
commands; ``format`` prints results for people when ``--json`` is not given.
"""

from luna_core.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
