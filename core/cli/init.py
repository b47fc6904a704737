"""``factory init``: a new, empty store for an organisation's own data, with one admin.

    factory init --db PATH --admin NAME [--display-name TEXT] [--json]

The password comes from a prompt (asked twice), or as two lines on standard input when it is
piped; both must agree. The store is built under a temporary name beside PATH and moved into
place only once it is migrated, locked down and holds its admin, so a refusal (an existing
file, a bad name, a weak password) leaves nothing behind. No demo rows: ``demo_mode`` stays
``false``, so the sign-in screen shows no demo accounts.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid
from pathlib import Path

from core.auth import Actor, add_user
from core.cli.options import add_db_option, add_json_option, print_json, resolve_db
from core.errors import ValidationError
from core.store import Store


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("init", help="create an empty store for your own data, with one admin",
                                   description="Create a new, empty Factory Floor store (no demo data) and its "
                                               "first admin. An existing file is never touched.")
    add_db_option(parser)
    parser.add_argument("--admin", required=True, help="user name of the first admin")
    parser.add_argument("--display-name", default="", help="the admin's display name")
    add_json_option(parser)
    parser.set_defaults(handler=run)


def read_new_password() -> str:
    """Asked twice at a terminal; two lines on standard input when piped. They must agree."""
    if sys.stdin.isatty():
        first, second = getpass.getpass("Password: "), getpass.getpass("Repeat password: ")
    else:
        first, second = sys.stdin.readline().rstrip("\r\n"), sys.stdin.readline().rstrip("\r\n")
    if first != second:
        raise ValidationError("The two passwords differ; nothing was created. Type the same password twice.")
    return first


def run(args: argparse.Namespace) -> int:
    path = Path(resolve_db(args))
    if path.exists():
        raise ValidationError(f"{path} already exists; `factory init` only creates a new store. "
                              "Point --db at a new file, or use the existing store as it is.")
    password = read_new_password()
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.init-{uuid.uuid4().hex[:8]}")
    try:
        store = Store.open(building)
        try:
            user = add_user(store, Actor.local_admin(), args.admin, "admin", password, display_name=args.display_name)
        finally:
            store.close()
        if path.exists():  # created meanwhile by someone else: theirs stays
            raise ValidationError(f"{path} was created while this store was being built; nothing was changed.")
        os.replace(building, path)
    finally:
        for leftover in (building, building.with_name(building.name + ".wal")):
            leftover.unlink(missing_ok=True)
    if args.json:
        print_json({"db": str(path), "admin": user.name})
    else:
        print(f"Created {path} with admin {user.name}. Start the app on it: FACTORY_DB={path} make run")
    return 0
