"""``factory users add|list|disable|enable|set-role|reset-password``: manage local accounts (the
CLI acts as the local administrator; every change is audited)."""

from __future__ import annotations

import argparse
import getpass
import sys

from core.auth import Actor, add_user, list_users, reset_password, set_user_disabled, set_user_role
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
    for action, help_text in (("disable", "disable a user: no sign-in, open sessions end"),
                              ("enable", "enable a disabled user again")):
        toggle = actions.add_parser(action, help=help_text)
        toggle.add_argument("name")
        add_db_option(toggle)
        toggle.set_defaults(handler=run_toggle, disabled=action == "disable")
    role = actions.add_parser("set-role", help="change a user's role (and business unit for a team lead)")
    role.add_argument("name")
    role.add_argument("--role", required=True, help=f"one of: {', '.join(ROLES)}")
    role.add_argument("--business-unit", default=None, help="business unit code (required for team_lead)")
    add_db_option(role)
    role.set_defaults(handler=run_set_role)
    reset = actions.add_parser("reset-password", help="set a new password (from a prompt, or stdin when piped)")
    reset.add_argument("name")
    add_db_option(reset)
    reset.set_defaults(handler=run_reset_password)


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


def run_toggle(args: argparse.Namespace) -> int:
    store = open_existing_store(args)
    try:
        set_user_disabled(store, Actor.local_admin(), args.name, args.disabled)
    finally:
        store.close()
    print(f"{args.name} is {'disabled' if args.disabled else 'enabled'}.")
    return 0


def run_set_role(args: argparse.Namespace) -> int:
    store = open_existing_store(args)
    try:
        set_user_role(store, Actor.local_admin(), args.name, args.role, args.business_unit)
    finally:
        store.close()
    unit = f", {args.business_unit}" if args.role == "team_lead" else ""
    print(f"{args.name} is now {args.role}{unit}.")
    return 0


def run_reset_password(args: argparse.Namespace) -> int:
    password = _read_password()
    store = open_existing_store(args)
    try:
        reset_password(store, Actor.local_admin(), args.name, password)
    finally:
        store.close()
    print(f"New password set for {args.name}.")
    return 0
