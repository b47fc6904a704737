"""``factory export board-pack``: the ROI Review's board pack as an Excel file.

    factory export board-pack --out FILE.xlsx [--scope portfolio|bu:CODE|initiative:CODE]
                              [--horizon 12m|24m|all] [--discount-rate 0.10] [--as USER] [--db PATH]
                              [--scenario NAME] [--vendor-price-change=-90%] [--volume-growth 5%]
                              [--[no-]benefits-scale-with-volume] [--[no-]adopt-rightsize]

The scenario options (``core.cli.scenario_options``) fill the pack's Scenario sheet as the ROI
Review's knobs do; without them the knobs are at zero (scenario = baseline). Needs the
``export`` permission (finance, admin); the export is recorded in the audit log.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.auth import Actor, get_actor
from core.cli.options import add_db_option, open_existing_store
from core.cli.roi import discount_rate
from core.cli.scenario_options import add_scenario_options, scenario_from_args
from core.errors import ValidationError
from core.finance.board_pack import build_board_pack
from core.finance.roi import HORIZONS, parse_scope


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("export", help="export files (board pack)")
    kinds = parser.add_subparsers(dest="what", required=True)
    pack = kinds.add_parser("board-pack", help="the ROI Review board pack (xlsx)")
    pack.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    pack.add_argument("--scope", default="portfolio", help="portfolio | bu:CODE | initiative:CODE")
    pack.add_argument("--horizon", choices=list(HORIZONS), default="all")
    pack.add_argument("--discount-rate", type=discount_rate, default=0.10, metavar="R")
    pack.add_argument("--as", dest="user", default=None,
                      help="act as this user (default: the local administrator, recorded as such in the audit log)")
    add_scenario_options(pack)
    add_db_option(pack)
    pack.set_defaults(handler=run_board_pack)


def run_board_pack(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".xlsx":
        raise ValidationError(f"--out {args.out}: expected a file name ending in .xlsx.")
    if not args.out.parent.exists():
        raise ValidationError(f"--out {args.out}: the folder {args.out.parent} does not exist; create it first.")
    store = open_existing_store(args)
    try:
        actor = get_actor(store, args.user) if args.user else Actor.local_admin()
        scope = parse_scope(store, args.scope)
        config, name = scenario_from_args(store, args) or (None, None)
        data = build_board_pack(store, actor, scope, args.horizon, args.discount_rate, config, name)
    finally:
        store.close()
    args.out.write_bytes(data)
    print(f"Wrote {args.out} ({len(data):,} bytes).")
    return 0
