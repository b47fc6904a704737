"""``factory roi``: ROI, NPV, IRR and payback of the portfolio, a business unit or an initiative.

    factory roi [--db PATH] [--initiative CODE | --business-unit BU] [--horizon 12m|24m|all]
                [--discount-rate 0.10] [--json]
"""

from __future__ import annotations

import argparse

from core.cli.options import add_db_option, add_json_option, open_existing_store, print_json
from core.finance.roi import HORIZONS, parse_scope, review_roi


def discount_rate(text: str) -> float:
    """``0.1`` or ``10%`` → 0.1; between 0 and 1 (0%–100% a year)."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an annual rate like 0.10 or 10%, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected an annual rate between 0 and 1 (0%–100%), got {text!r}")
    return value


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("roi", help="ROI, NPV, IRR and payback of a scope")
    add_db_option(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--initiative", metavar="CODE", help="one initiative (default: the whole portfolio)")
    which.add_argument("--business-unit", metavar="BU", help="one business unit")
    parser.add_argument("--horizon", choices=list(HORIZONS), default="all", help="window to the as-of date (default all)")
    parser.add_argument("--discount-rate", type=discount_rate, default=0.10, metavar="R",
                        help="annual discount rate, 0.10 or 10%% (default 0.10)")
    add_json_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    raw = (f"initiative:{args.initiative}" if args.initiative else
           f"bu:{args.business_unit}" if args.business_unit else "portfolio")
    store = open_existing_store(args)
    try:
        review = review_roi(store, parse_scope(store, raw), args.horizon, args.discount_rate)
    finally:
        store.close()
    figures = review.figures
    payload = {
        "scope": review.scope.key, "horizon": args.horizon, "as_of": review.as_of.isoformat(),
        "discount_rate": args.discount_rate, "npv": round(figures.npv_usd, 2),
        "irr": figures.irr.irr_annual, "irr_note": figures.irr.reason,
        "irr_candidates": list(figures.irr.candidates_annual) if figures.irr.reason == "multiple IRRs" else [],
        "roi": figures.roi,
        "payback_month": review.payback_month.isoformat() if review.payback_month is not None else None,
        "total_cost": round(figures.total_cost_usd, 2), "total_benefit": round(figures.total_benefit_usd, 2),
        "currency": review.currency,
    }
    if args.json:
        print_json(payload)
    else:
        irr = f"{payload['irr']:.1%}" if payload["irr"] is not None else f"— ({payload['irr_note']})"
        roi = f"{payload['roi']:.1%}" if payload["roi"] is not None else "—"
        print(f"{review.scope.label}, {HORIZONS[args.horizon][0].lower()} to {payload['as_of']} ({review.currency}):\n"
              f"  NPV at {args.discount_rate:.1%}: {payload['npv']:,.0f}\n  IRR: {irr}\n  ROI: {roi}\n"
              f"  payback month: {payload['payback_month'] or 'not within horizon'}\n"
              f"  cost {payload['total_cost']:,.0f} · benefit {payload['total_benefit']:,.0f}")
    return 0
