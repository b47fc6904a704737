"""``factory demo``: build the deterministic demo store."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from core.cli.options import add_db_option, add_json_option, print_json, resolve_db
from core.demo import DEFAULT_SEED, DEFAULT_USAGE_ROWS, build_demo


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="build the demo database (60 initiatives, ~2M usage events)")
    add_db_option(parser)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, same store)")
    parser.add_argument("--usage-rows", type=int, default=DEFAULT_USAGE_ROWS, help="about this many usage events")
    parser.add_argument("--replace", action="store_true", help="rebuild the file if it exists")
    parser.add_argument("--skip-lab", action="store_true",
                        help="skip the sample right-size run and its adoption (saves about 5 s)")
    add_json_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    result = build_demo(resolve_db(args), seed=args.seed, usage_rows=args.usage_rows, replace=args.replace,
                        with_lab=not args.skip_lab)
    if args.json:
        print_json(asdict(result))
    else:
        print(f"Built {result.db} in {result.seconds:.1f} s: {result.business_units} business units, "
              f"{result.initiatives} initiatives, {result.financial_lines:,} financial lines, "
              f"{result.usage_events:,} usage events.")
    return 0
