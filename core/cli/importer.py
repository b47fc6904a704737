"""``factory import KIND FILE``: validate and import a file, as the Imports page does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.auth import Actor, get_actor
from core.cli.options import add_db_option, add_json_option, open_existing_store, print_json
from core.errors import ValidationError
from core.ingest import all_kinds, import_upload

EXIT_REJECTED = 2

HELP = """Validate FILE as KIND and import it in one transaction (all rows or none).
The same file twice is a no-op (status "duplicate").

Output: {kind, file, status, rows_added, rows_rejected, problems: [{row, column, message}]}
(with --json as one JSON object; otherwise a summary and the problems).
Exit codes: 0 imported / dry run clean / duplicate; 2 rejected (the JSON still goes to
stdout, the one-line summary to stderr) or the file could not be read at all."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "import", help="validate and import a data file", description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=[k.name for k in all_kinds()], metavar="KIND",
                        help=f"one of: {', '.join(k.name for k in all_kinds())}")
    parser.add_argument("file", type=Path, metavar="FILE", help=".csv, .parquet or .xlsx")
    parser.add_argument("--as", dest="user", default=None,
                        help="act as this user (default: the local administrator, recorded as such in the audit log)")
    parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise ValidationError(f"No file at {args.file}.")
    store = open_existing_store(args)
    try:
        actor = get_actor(store, args.user) if args.user else Actor.local_admin()
        # the path, not its bytes: staged by a hard link (or a streamed copy), so a large file
        # is never held in memory and is hashed while it is read
        result = import_upload(store, actor, args.kind, args.file.name, args.file, dry_run=args.dry_run)
    finally:
        store.close()
    payload = result.as_dict()
    if args.json:
        print_json(payload)
    else:
        print(result.summary())
        for p in result.problems:
            print(f"  {p.line(result.file)}")
        if result.status != "duplicate":  # a duplicate's note is its summary
            for note in result.notes:  # e.g. which sheet of a workbook was read, columns ignored
                print(f"  note: {note}")
    if result.status == "rejected":
        print(f"factory import: {result.summary()}", file=sys.stderr)
        return EXIT_REJECTED
    return 0
