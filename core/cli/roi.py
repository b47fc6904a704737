"""``factory roi``: ROI, NPV, IRR and payback of the portfolio, a business unit or an initiative.

    factory roi [--db PATH] [--initiative CODE | --business-unit BU] [--horizon 12m|24m|all]
                [--discount-rate 0.10] [--json] [scenario options]

``npv`` is the baseline NPV (the horizon's actual flows, nothing projected; ``npv_label`` says
so in the page's words). With a scenario option (``core.cli.scenario_options``) the output
adds ``scenario``: the knobs and the baseline vs scenario figures over the actual + projected
months, as the ROI Review's Scenarios panel shows them.
"""

from __future__ import annotations

import argparse

from core.cli.options import add_db_option, add_json_option, open_existing_store, print_json
from core.cli.scenario_options import add_scenario_options, scenario_from_args
from core.finance.roi import HORIZONS, baseline_npv_label, parse_scope, review_roi
from core.finance.scenarios import ScenarioOutcome, compare_scenario, projected_label


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
    add_scenario_options(parser)
    add_json_option(parser)
    parser.set_defaults(handler=run)


def _outcome(npv_label: str, outcome: ScenarioOutcome) -> dict:
    return {"npv_label": npv_label, "npv": round(outcome.npv_usd, 2), "roi": outcome.roi,
            "payback_month": outcome.payback_month.isoformat() if outcome.payback_month is not None else None,
            "forward_cost": round(outcome.forward_cost_usd, 2), "forward_benefit": round(outcome.forward_benefit_usd, 2)}


def run(args: argparse.Namespace) -> int:
    raw = (f"initiative:{args.initiative}" if args.initiative else
           f"bu:{args.business_unit}" if args.business_unit else "portfolio")
    store = open_existing_store(args)
    try:
        review = review_roi(store, parse_scope(store, raw), args.horizon, args.discount_rate)
        what_if = scenario_from_args(store, args)
        compare = None if what_if is None else compare_scenario(store, review.scope, args.horizon, args.discount_rate,
                                                                what_if[0], as_of=review.as_of)
    finally:
        store.close()
    figures = review.figures
    npv_label = baseline_npv_label(args.discount_rate, args.horizon)
    payload = {
        "scope": review.scope.key, "horizon": args.horizon, "as_of": review.as_of.isoformat(),
        "discount_rate": args.discount_rate, "npv": round(figures.npv_usd, 2), "npv_label": npv_label,
        "irr": figures.irr.irr_annual, "irr_note": figures.irr.reason,
        "irr_candidates": list(figures.irr.candidates_annual) if figures.irr.reason == "multiple IRRs" else [],
        "roi": figures.roi,
        "payback_month": review.payback_month.isoformat() if review.payback_month is not None else None,
        "total_cost": round(figures.total_cost_usd, 2), "total_benefit": round(figures.total_benefit_usd, 2),
        "currency": review.currency,
    }
    if compare is not None:
        config = compare.config
        payload["scenario"] = {
            "name": what_if[1], "knobs": dict(config.__dict__),
            "baseline": _outcome(projected_label("Baseline", "NPV", config), compare.baseline),
            "scenario": _outcome(projected_label("Scenario", "NPV", config), compare.scenario)}
    if args.json:
        print_json(payload)
    else:
        irr = f"{payload['irr']:.1%}" if payload["irr"] is not None else f"— ({payload['irr_note']})"
        roi = f"{payload['roi']:.1%}" if payload["roi"] is not None else "—"
        print(f"{review.scope.label}, {HORIZONS[args.horizon][0].lower()} to {payload['as_of']} ({review.currency}):\n"
              f"  {npv_label}: {payload['npv']:,.0f}\n  IRR: {irr}\n  ROI: {roi}\n"
              f"  payback month: {payload['payback_month'] or 'not within horizon'}\n"
              f"  cost {payload['total_cost']:,.0f} · benefit {payload['total_benefit']:,.0f}")
        if compare is not None:
            shown = payload["scenario"]
            print(f"  scenario {what_if[1] or '(unsaved knobs)'}: {shown['scenario']['npv_label']} "
                  f"{shown['scenario']['npv']:,.0f} · {shown['baseline']['npv_label']} "
                  f"{shown['baseline']['npv']:,.0f}")
    return 0
