"""Options shared by several sub-commands."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

DEFAULT_DB_PATH = Path("data/factory.duckdb")


def default_db_path() -> Path:
    """``FACTORY_DB`` when set, else ``data/factory.duckdb`` (relative to the working folder)."""
    return Path(os.environ.get("FACTORY_DB") or DEFAULT_DB_PATH)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, default=None,
        help="DuckDB file (default: $FACTORY_DB or data/factory.duckdb)",
    )


def resolve_db(args: argparse.Namespace) -> Path:
    return args.db if args.db is not None else default_db_path()


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def print_json(payload: object) -> None:
    print(json.dumps(payload, indent=2, default=str, allow_nan=False))
