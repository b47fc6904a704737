"""``factory savings``: every adopted right-size recommendation and the saving it can defend.

    factory savings [--db PATH] [--json]

JSON: a list, newest adoption first, of ``{initiative, candidate, basis, reason,
today_candidate, today_cost_per_1k, candidate_cost_per_1k, annual_volume, annual_savings,
annual_savings_range, run_id, adopted_at, adopted_by}``. ``basis`` is ``measured`` (today's
production model measured in the same lab run, same profile: savings = (today − candidate) ×
the initiative's last-12-months volume) or ``not measurable`` with ``reason`` and null savings.
Costs are USD per 1,000 inferences, savings USD a year (``core.models.adoption``).
"""

from __future__ import annotations

import argparse

from core.cli.options import add_db_option, add_json_option, open_existing_store, print_json
from core.models.adoption import MEASURED, list_adoptions


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("savings", help="adopted right-size recommendations and their measured savings")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(handler=run)


def _money(value: float | None) -> str:
    """Whole dollars, with cents below $100 (a measured saving of a small model may be $0.72)."""
    if value is None:
        return "-"
    return f"${value:,.0f}" if abs(value) >= 100 else f"${value:,.2f}"


def format_rows(rows: list[dict]) -> str:
    if not rows:
        return "No right-size recommendation has been adopted yet."
    lines = []
    measured = [r["annual_savings"] for r in rows if r["basis"] == MEASURED]
    for r in rows:
        if r["basis"] == MEASURED:
            low, high = r["annual_savings_range"] or (None, None)
            lines.append(f"{r['initiative']:<10} {r['candidate'][:46]:<46} {_money(r['annual_savings']):>12} a year "
                         f"({_money(low)} – {_money(high)}); ${r['today_cost_per_1k'] * 1e6:.4g} → "
                         f"${r['candidate_cost_per_1k'] * 1e6:.4g} per 1B × {r['annual_volume']:,}")
        else:
            lines.append(f"{r['initiative']:<10} {r['candidate'][:46]:<46} {'not measurable':>12}: {r['reason']}")
    lines.append(f"Measured savings: {_money(sum(measured))} a year over {len(measured)} of {len(rows)} adoptions.")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    store = open_existing_store(args)
    try:
        rows = list_adoptions(store)
    finally:
        store.close()
    print_json(rows) if args.json else print(format_rows(rows))
    return 0
