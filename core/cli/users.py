"""``factory users add|list``: manage local accounts (the CLI acts as the local administrator)."""

from __future__ import annotations

import argparse
import getpass
import sys

from core.auth import Actor, add_user, list_users
from core.cli.options import add_db_option, add_json_option, open_existing_store, print_json
from core.entities import ROLES
from core.errors import ValidationError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("users", help="add or list users")
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a user (password from a prompt, or stdin when piped)")
    add.add_argument("name")
    add.add_argument("--role", required=True, help=f"one of: {', '.join(ROLES)}")
    add.add_argument("--business-unit", default=None, help="business unit code (required for team_lead)")
    add.add_argument("--display-name", default="")
    add_db_option(add)
    add_json_option(add)
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="list users")
    add_db_option(listing)
    add_json_option(listing)
    listing.set_defaults(handler=run_list)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            raise ValidationError("The two passwords differ; nothing was saved.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run_add(args: argparse.Namespace) -> int:
    if args.role not in ROLES:
        raise ValidationError(f"Unknown role {args.role!r}: choose one of {', '.join(ROLES)}.")
    password = _read_password()
    store = open_existing_store(args)
    try:
        user = add_user(store, Actor.local_admin(), args.name, args.role, password,
                        business_unit=args.business_unit, display_name=args.display_name)
    finally:
        store.close()
    if args.json:
        print_json(user.model_dump())
    else:
        print(f"Added {user.name} ({user.role}{', ' + user.business_unit if user.business_unit else ''}).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = open_existing_store(args)
    try:
        users = list_users(store)
    finally:
        store.close()
    if args.json:
        print_json(users)
    else:
        for user in users:
            print(f"{user['name']:<20} {user['role']:<10} {user['business_unit'] or ''}")
    return 0
