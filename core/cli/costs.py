"""``factory costs``: total cost by source (usage, FOCUS allocated, FOCUS unallocated) and by
initiative, all time; and the reconciliation of FOCUS with usage over the months the FOCUS
export covers (``core.finance.focus_billing.reconcile_focus_with_usage``).

    factory costs [--db PATH] [--json]
"""

from __future__ import annotations

import argparse

from core.cli.options import add_db_option, add_json_option, open_existing_store, print_json
from core.finance.focus_billing import reconcile_focus_with_usage, total_costs_by_source


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("costs", help="total cost by source and by initiative")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = open_existing_store(args)
    try:
        result = total_costs_by_source(store)
        reconciliation = reconcile_focus_with_usage(store)
    finally:
        store.close()
    payload = {
        "by_source": {"usage": round(result.usage_usd, 2), "focus_allocated": round(result.focus_allocated_usd, 2),
                      "focus_unallocated": round(result.focus_unallocated_usd, 2)},
        "by_initiative": [
            {"initiative": row.initiative, "usage": round(row.usage_usd, 2),
             "focus_allocated": round(row.focus_allocated_usd, 2)}
            for row in result.by_initiative.itertuples()],
        "reconciliation": None if not reconciliation.available else {
            "months": [f"{reconciliation.first_month:%Y-%m}", f"{reconciliation.last_month:%Y-%m}"],
            "usage": round(reconciliation.usage_usd, 2), "focus_billed": round(reconciliation.focus_billed_usd, 2),
            **{key: round(value, 2) for key, value in reconciliation.segments_usd.items()},
            "usage_outside_focus_months": round(reconciliation.usage_outside_usd, 2)},
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
        if payload["reconciliation"]:
            months = payload["reconciliation"]["months"]
            print(f"\nFOCUS vs usage, {months[0]} to {months[1]}")
            for key, value in payload["reconciliation"].items():
                if key != "months":
                    print(f"{key:<28} {value:>16,.2f}")
    return 0
