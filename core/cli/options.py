"""Options shared by several sub-commands, and the one way a command opens the store."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.config import db_path
from core.errors import ValidationError
from core.store import Store


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, default=None,
        help="DuckDB file (default: $FACTORY_DB or data/factory.duckdb)",
    )


def resolve_db(args: argparse.Namespace) -> Path:
    """``--db`` when given, else the ``FACTORY_DB`` setting."""
    return args.db if args.db is not None else db_path()


def open_store_at(path: Path) -> Store:
    """The store at ``path``; a missing file is bad input (exit 2), never created here."""
    path = Path(path)
    if not path.exists():
        raise ValidationError(f"No database at {path}; create one with `factory demo --db {path}` or set FACTORY_DB.")
    return Store.open(path)


def open_existing_store(args: argparse.Namespace) -> Store:
    """The store at ``--db`` (or $FACTORY_DB), which must exist."""
    return open_store_at(resolve_db(args))


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def print_json(payload: object) -> None:
    print(json.dumps(payload, indent=2, default=str, allow_nan=False))
