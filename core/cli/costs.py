"""``factory costs``: total cost by source (usage, FOCUS allocated, FOCUS unallocated) and by
initiative, all time.

    factory costs [--db PATH] [--json]
"""

from __future__ import annotations

import argparse

from core.cli.options import add_db_option, add_json_option, open_existing_store, print_json
from core.finance.focus_billing import total_costs_by_source


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("costs", help="total cost by source and by initiative")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = open_existing_store(args)
    try:
        result = total_costs_by_source(store)
    finally:
        store.close()
    payload = {
        "by_source": {"usage": round(result.usage_usd, 2), "focus_allocated": round(result.focus_allocated_usd, 2),
                      "focus_unallocated": round(result.focus_unallocated_usd, 2)},
        "by_initiative": [
            {"initiative": row.initiative, "usage": round(row.usage_usd, 2),
             "focus_allocated": round(row.focus_allocated_usd, 2)}
            for row in result.by_initiative.itertuples()],
        "currency": "USD",
    }
    if args.json:
        print_json(payload)
    else:
        for source, value in payload["by_source"].items():
            print(f"{source:<18} {value:>16,.2f}")
        print()
        for row in payload["by_initiative"]:
            print(f"{row['initiative']:<18} usage {row['usage']:>16,.2f}   focus {row['focus_allocated']:>14,.2f}")
    return 0
