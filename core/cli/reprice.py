"""``factory reprice``: re-price the usage the price book priced, from a date, with today's book.

    factory reprice --from YYYY-MM-DD [--apply] [--as USER] [--db PATH] [--json]

Without ``--apply`` it only shows what would change: the book-priced usage rows on or after
the date and their total cost before and after, per model (nothing is written). With
``--apply`` it re-prices them in one audited transaction, the monthly rollup included
(``core.finance.price_book.reprice_from``); refused (exit 2, one line) when a row would have
no price valid at its date. Rows whose file gave ``cost_usd`` are never rewritten.
"""

from __future__ import annotations

import argparse

from core.auth import Actor, get_actor
from core.cli.options import add_db_option, add_json_option, open_existing_store, print_json
from core.finance.price_book import preview_repricing, reprice_from


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("reprice", help="re-price book-priced usage from a date (preview, or --apply)")
    parser.add_argument("--from", dest="from_date", required=True, metavar="YYYY-MM-DD",
                        help="re-price usage rows on or after this date (UTC)")
    parser.add_argument("--apply", action="store_true", help="write the new costs (default: preview only)")
    parser.add_argument("--as", dest="user", default=None,
                        help="act as this user (default: the local administrator, recorded as such in the audit log)")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = open_existing_store(args)
    try:
        if args.apply:
            actor = get_actor(store, args.user) if args.user else Actor.local_admin()
            report = reprice_from(store, actor, args.from_date)
        else:
            report = preview_repricing(store, args.from_date)
    finally:
        store.close()
    if args.json:
        print_json(report.to_dict())
        return 0
    verb = "Re-priced" if report.applied else "Would re-price"
    after = "no price for some rows" if report.after_usd is None else f"${report.after_usd:,.2f}"
    print(f"{verb} {report.rows:,} book-priced usage rows from {report.from_date}: "
          f"${report.before_usd:,.2f} → {after}. {report.file_priced_rows:,} rows priced by their file stay as imported.")
    for model in report.by_model:
        new = f"${model.after_usd:,.4f}" if model.after_usd is not None else f"no price from {model.first_unpriced}"
        print(f"  {model.model:<28} {model.rows:>12,} rows  ${model.before_usd:,.4f} → {new}")
    if not report.applied and report.rows:
        print("Nothing was written; add --apply to re-price.")
    return 0
