"""The ``factory`` command line: the same operations as the app, with JSON output.

Each sub-command lives in its own module of this package and exposes
``add_parser(subparsers)``, which registers the sub-command and sets
``handler=<function(args) -> int>`` as its default. Adding a command is one module
plus one line in ``COMMAND_MODULES``.

Exit codes: 0 ok, 2 bad input (one-line reason on stderr).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from core.errors import CoreError

COMMAND_MODULES = (
    "core.cli.init",
    "core.cli.demo",
    "core.cli.users",
    "core.cli.drift",
    "core.cli.rightsize",
    "core.cli.importer",
    "core.cli.portfolio",
    "core.cli.savings",
    "core.cli.roi",
    "core.cli.costs",
    "core.cli.reprice",
    "core.cli.export",
)

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on bad usage already; keep its one-line message."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factory", description="Factory Floor command line.")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or EXIT_OK)
    except CoreError as error:
        print(f"factory {args.command}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
