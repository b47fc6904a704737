"""``factory portfolio``: the Portfolio page's tiles and table, for scripts and checks.

    factory portfolio [--db PATH] [--json]

JSON: ``{"as_of", "tiles": {…}, "initiatives": [{code, name, business_unit, stage, kind,
bu_owner, platform_owner, spend, value, roi, verdict, flags}, …]}``. Money in the store's
currency (USD), ``roi`` = (value − spend) ÷ spend as a fraction (null for ideas and for no
spend), ``verdict`` Scale / Sustain / Fix / Cut for initiatives in production (null otherwise),
``flags`` the labels of the portfolio flags the initiative carries — the same figures the page
shows, from the same core functions.
"""

from __future__ import annotations

import argparse
import math

from core.cli.options import add_db_option, add_json_option, open_existing_store, print_json
from core.portfolio.period import as_of_date
from core.portfolio.summary import compute_headline, initiative_table

FIELDS = ("code", "name", "business_unit", "stage", "kind", "bu_owner", "platform_owner", "spend", "value", "roi",
          "verdict", "flags")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("portfolio", help="portfolio tiles and one row per initiative")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(handler=run)


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def portfolio_payload(store) -> dict:
    """The tiles and the initiative rows as plain JSON-safe values."""
    as_of = as_of_date(store)
    headline = compute_headline(store, as_of=as_of)
    table = initiative_table(store, as_of=as_of)
    tiles = {
        "initiatives": headline.initiatives,
        "spend_to_date": headline.spend_to_date_usd,
        "realised_value": headline.realised_value_usd,
        "roi": headline.roi,
        "in_production": headline.in_production,
        "pilot_to_production": headline.conversion_rate,
        "without_kpi": headline.without_kpi,
    }
    rows = []
    for record in table.to_dict("records"):
        verdict = record["verdict"]
        rows.append({
            "code": record["code"], "name": record["name"], "business_unit": record["business_unit"],
            "stage": record["stage"], "kind": record["kind"], "bu_owner": record["bu_owner"],
            "platform_owner": record["platform_owner"], "spend": _number(record["spend_usd"]),
            "value": _number(record["value_usd"]), "roi": _number(record["roi"]),
            "verdict": verdict if isinstance(verdict, str) else None, "flags": list(record["flags"]),
        })
    return {"as_of": as_of.isoformat(), "tiles": tiles, "initiatives": rows}


def _money(value: float | None) -> str:
    return "-" if value is None else f"${value:,.0f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def run(args: argparse.Namespace) -> int:
    store = open_existing_store(args)
    try:
        payload = portfolio_payload(store)
    finally:
        store.close()
    if args.json:
        print_json(payload)
        return 0
    tiles = payload["tiles"]
    print(f"As of {payload['as_of']}: {tiles['initiatives']} initiatives, spend {_money(tiles['spend_to_date'])}, "
          f"value {_money(tiles['realised_value'])}, ROI {_percent(tiles['roi'])}, "
          f"{tiles['in_production']} in production, {tiles['without_kpi']} without a KPI.")
    for row in payload["initiatives"]:
        print(f"{row['code']:<10} {row['stage']:<11} {row['verdict'] or '':<8} {_money(row['spend']):>14} "
              f"{_money(row['value']):>14} {_percent(row['roi']):>7}  {row['name']}"
              + (f"  [{', '.join(row['flags'])}]" if row["flags"] else ""))
    return 0
