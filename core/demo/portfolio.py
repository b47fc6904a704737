"""Deterministic demo portfolio: initiatives with stories, their stage history, 24 months of
plan and actual money, the models they use and a monthly usage plan that the usage
generator (``core.demo.usage``) expands into events.

Stories built in (each checked by tests/unit/test_demo.py): clear winners to scale,
money-losers to cut, stalled pilots (> 6 months in pilot), initiatives without a KPI,
over-budget initiatives, rising unit cost, agentic systems with and without guardrails.

The money follows a bank's AI programme, not a start-up's: each initiative pays a build
effort through its pilot and first months live (``BUILD_UPLIFT``) before its benefits ramp
up over ``BENEFIT_RAMP_MONTHS``, so the portfolio's cumulative net cash dips for about a year
and pays back in its second (tests/unit/demo/test_demo_figures.py states the ranges).
The inference cost lines, which the usage events reproduce, do not carry the build effort.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np

from core.demo.catalogue import INITIATIVE_IDEAS, MODELS_BY_KIND, PEOPLE, PLATFORM_OWNERS

FIRST_MONTH = dt.date(2024, 11, 1)
MONTHS = 24
LAST_MONTH = dt.date(2026, 10, 1)

STAGE_COUNTS = {"idea": 8, "pilot": 16, "production": 18, "scaled": 11, "retired": 7}

CATEGORY_SHARES = {
    "predictive": {"compute": 0.25, "inference": 0.10, "licences": 0.10, "people": 0.40, "data": 0.15},
    "generative": {"compute": 0.05, "inference": 0.35, "licences": 0.15, "people": 0.35, "data": 0.10},
    "agentic": {"compute": 0.05, "inference": 0.45, "licences": 0.10, "people": 0.32, "data": 0.08},
}
PLANNED_BENEFIT_MULTIPLE = 2.2  # business cases promise 2.2× the run cost once live
# Monthly cost of each phase as a multiple of the production run cost.
PHASE_LEVELS = {"idea": 0.08, "pilot": 0.35, "production": 1.0, "scaled": 2.0}
# The build effort a bank pays before value arrives, on top of the phase's cost in every
# category but inference (which follows usage): a pilot's build team (data engineering,
# integration, model-risk validation) costs 1.5× its run cost again, and the first
# BUILD_PRODUCTION_MONTHS months live carry +75% for hardening and roll-out.
BUILD_UPLIFT = {"pilot": 1.5, "production": 0.75}
BUILD_PRODUCTION_MONTHS = 6
# Benefits reach the business case's level over nine months after go-live (adoption by
# branches and staff), not at once.
BENEFIT_RAMP_MONTHS = 9
REALISATION = {"winner": (1.3, 1.8), "steady": (0.8, 1.05), "loser": (0.15, 0.45), "costly": (0.36, 0.42)}


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_index(month: dt.date) -> int:
    return (month.year - FIRST_MONTH.year) * 12 + month.month - FIRST_MONTH.month


@dataclass
class DemoInitiative:
    code: str
    name: str
    kind: str
    business_unit: str
    kpi: tuple
    stage: str
    archetype: str
    stage_dates: dict[str, dt.date]
    over_budget: bool = False
    rising_unit_cost: bool = False
    guardrails: str = "none"
    deployment: str = "cloud"
    risk_tier: str = "medium"
    bu_owner: str = ""
    platform_owner: str = ""
    run_cost: float = 0.0  # monthly run cost in production, USD
    models: list[tuple] = field(default_factory=list)  # (usage name, catalogue row, share)

    def phase(self, month: dt.date) -> str | None:
        """Stage the initiative was in during ``month`` (None before start or after retiring)."""
        current = None
        for stage in ("idea", "pilot", "production", "scaled", "retired"):
            entered = self.stage_dates.get(stage)
            if entered is not None and entered.replace(day=1) <= month:
                current = stage
        return None if current == "retired" else current


def _slug(name: str) -> str:
    """Model-name stem from the first two significant words: 'Churn early warning' -> 'churn-early'."""
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in {"of", "for", "and", "the", "a"}]
    return "-".join(words[:2])


def _code(name: str, used: set[str]) -> str:
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in {"of", "for", "and", "the"}]
    base = "".join(w[0] for w in words[:3]).upper()
    for n in range(1, 100):
        code = f"{base}-{n:02d}"
        if code not in used:
            used.add(code)
            return code
    raise AssertionError("ran out of codes")


def _date_in(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    span = month_index(last) - month_index(first)
    return add_months(first, int(rng.integers(0, span + 1))) + dt.timedelta(days=int(rng.integers(0, 27)))


def build_initiatives(rng: np.random.Generator) -> list[DemoInitiative]:
    """Sixty initiatives whose stage, timing and economics tell the portfolio's stories."""
    stages = [s for s, n in STAGE_COUNTS.items() for _ in range(n)]
    order = rng.permutation(len(INITIATIVE_IDEAS))
    used_codes: set[str] = set()
    initiatives = []
    pilots_seen = 0
    production_seen = 0
    for position, idea_index in enumerate(order):
        name, kind, bu, kpi_name, kpi_unit, baseline, target = INITIATIVE_IDEAS[idea_index]
        stage = stages[position]
        dates, archetype = _stage_dates_and_archetype(rng, stage, pilots_seen, production_seen)
        pilots_seen += stage == "pilot"
        production_seen += stage == "production"
        item = DemoInitiative(
            code=_code(name, used_codes), name=name, kind=kind, business_unit=bu,
            kpi=(kpi_name, kpi_unit, baseline, target), stage=stage, archetype=archetype,
            stage_dates=dates,
        )
        item.over_budget = stage in ("production", "scaled", "pilot") and rng.random() < 0.25
        item.rising_unit_cost = stage in ("production", "scaled") and kind != "predictive" and rng.random() < 0.45
        item.deployment = "cloud" if kind != "predictive" else ("edge", "hybrid", "cloud", "cloud")[int(rng.integers(0, 4))]
        item.risk_tier = ("low", "medium", "high")[int(rng.integers(0, 3))] if kind == "predictive" else ("medium", "high")[int(rng.integers(0, 2))]
        if kind == "agentic":
            item.guardrails = ("human approval", "validator agent", "none")[int(rng.integers(0, 3))]
        else:
            item.guardrails = ("human approval", "none", "none")[int(rng.integers(0, 3))]
        item.bu_owner = PEOPLE[int(rng.integers(0, len(PEOPLE)))]
        item.platform_owner = PLATFORM_OWNERS[3 if item.deployment == "edge" else (1 if kind != "predictive" else 0)]
        item.run_cost = float(rng.uniform(50_000, 170_000)) * (2.2 if archetype == "costly" else 1.0)
        item.models = _choose_models(rng, item)
        initiatives.append(item)
    return initiatives


def _stage_dates_and_archetype(rng, stage: str, pilots_seen: int, production_seen: int):
    """When each stage was entered, and the economic archetype (winner/steady/loser)."""
    if stage == "idea":
        return {"idea": _date_in(rng, dt.date(2026, 5, 1), LAST_MONTH)}, "steady"
    if stage == "pilot":
        stalled = pilots_seen < 6  # the first six pilots have been stuck for 7–20 months
        start = _date_in(rng, FIRST_MONTH, dt.date(2025, 6, 1)) if stalled else _date_in(rng, dt.date(2026, 3, 1), dt.date(2026, 7, 1))
        pilot = add_months(start, int(rng.integers(1, 3))) + dt.timedelta(days=int(rng.integers(0, 27)))
        return {"idea": start, "pilot": pilot}, "steady"
    start = _date_in(rng, FIRST_MONTH, dt.date(2025, 3, 1))
    pilot = add_months(start, int(rng.integers(1, 3)))
    production = add_months(pilot, int(rng.integers(3, 7)))
    dates = {"idea": start, "pilot": pilot, "production": production}
    if stage == "scaled":
        dates["scaled"] = add_months(production, int(rng.integers(5, 9)))
        return dates, ("winner" if rng.random() < 0.8 else "steady")
    if stage == "retired":
        dates["retired"] = add_months(production, int(rng.integers(4, 9)))
        return dates, "loser"
    # "costly" = valuable but run at a loss (the Fix quadrant); "loser" = the Cut quadrant
    archetype = ("winner", "steady", "costly", "loser", "steady", "winner")[production_seen % 6]
    return dates, archetype


def _choose_models(rng, item: DemoInitiative) -> list[tuple]:
    catalogue = MODELS_BY_KIND[item.kind]
    if item.kind == "predictive":
        row = catalogue[1] if item.deployment == "edge" else catalogue[0 if rng.random() < 0.75 else 2]
        models = [(f"{_slug(item.name)}-{row[0].split('-')[0]}", row, 1.0)]
        if item.deployment == "hybrid":
            models = [(f"{_slug(item.name)}-gbm", catalogue[0], 0.6), (f"{_slug(item.name)}-gbm-edge", catalogue[1], 0.4)]
        return models
    first = catalogue[int(rng.integers(0, len(catalogue)))]
    models = [(first[0], first, 1.0)]
    if rng.random() < 0.4:
        second = catalogue[(catalogue.index(first) + 1) % len(catalogue)]
        models = [(first[0], first, 0.75), (second[0], second, 0.25)]
    return models


def financial_rows(rng: np.random.Generator, item: DemoInitiative) -> list[tuple]:
    """(initiative, month, category, kind, scenario, amount) for every month it was active."""
    rows = []
    shares = CATEGORY_SHARES[item.kind]
    low, high = REALISATION.get(item.archetype, (0.8, 1.0))
    realisation = float(rng.uniform(low, high))
    overrun = float(rng.uniform(1.15, 1.4)) if item.over_budget else float(rng.uniform(0.9, 1.04))
    live_from = item.stage_dates.get("production")
    for m in range(MONTHS):
        month = add_months(FIRST_MONTH, m)
        phase = item.phase(month)
        if phase is None:
            continue
        level = PHASE_LEVELS[phase] * item.run_cost
        build = build_uplift(item, month, phase)
        for category, share in shares.items():
            if phase == "idea" and category != "people":
                continue
            uplift = 1.0 if category == "inference" else 1.0 + build  # inference follows usage only
            plan = level * share * uplift * float(rng.uniform(0.97, 1.03))
            actual = plan * overrun * float(rng.uniform(0.92, 1.08))
            rows.append((item.code, month, category, "cost", "plan", round(plan, 2)))
            rows.append((item.code, month, category, "cost", "actual", round(actual, 2)))
        if phase == "idea":
            continue
        if live_from is not None and month >= live_from.replace(day=1):
            ramp = min(1.0, (month_index(month) - month_index(live_from.replace(day=1)) + 1) / BENEFIT_RAMP_MONTHS)
            plan_benefit = PLANNED_BENEFIT_MULTIPLE * level * ramp
            actual_benefit = plan_benefit * realisation * float(rng.uniform(0.9, 1.1))
        else:
            plan_benefit = 0.15 * level
            actual_benefit = plan_benefit * float(rng.uniform(0.3, 0.9))
        rows.append((item.code, month, "value", "benefit", "plan", round(plan_benefit, 2)))
        rows.append((item.code, month, "value", "benefit", "actual", round(actual_benefit, 2)))
    return rows


def build_uplift(item: DemoInitiative, month: dt.date, phase: str) -> float:
    """The build effort of ``month`` as a fraction of the phase's non-inference cost
    (``BUILD_UPLIFT``): the whole pilot, and the first ``BUILD_PRODUCTION_MONTHS`` months live."""
    live_from = item.stage_dates.get("production")
    if phase == "pilot":
        return BUILD_UPLIFT["pilot"]
    months_live = None if live_from is None else month_index(month) - month_index(live_from.replace(day=1))
    if phase == "production" and months_live is not None and months_live < BUILD_PRODUCTION_MONTHS:
        return BUILD_UPLIFT["production"]
    return 0.0


def usage_plan_rows(rng: np.random.Generator, item: DemoInitiative, inference_actual: dict) -> list[tuple]:
    """Monthly (initiative, model, month, requests, cost, ...) targets for the event generator.

    Monthly usage cost equals the initiative's actual *inference* cost line, split over its
    models; requests follow from each model's unit cost, which drifts down 1%/month (vendor
    price cuts) or, for rising-cost initiatives, up 6%/month over the last eight months.
    """
    rows = []
    for m in range(MONTHS):
        month = add_months(FIRST_MONTH, m)
        if item.phase(month) not in ("pilot", "production", "scaled"):
            continue
        cost = inference_actual.get(month, 0.0)
        trend = 0.99 ** m
        if item.rising_unit_cost and m >= MONTHS - 8:
            trend *= 1.06 ** (m - (MONTHS - 9))
        for usage_name, row, share in item.models:
            _, provider, hardware, location, per_1k, tokens_in, tokens_out, latency = row
            unit_cost = per_1k / 1000 * trend * float(rng.uniform(0.95, 1.05))
            model_cost = cost * share
            requests = model_cost / unit_cost
            operation = {"predictive": "predict", "generative": "chat", "agentic": "invoke_agent"}[item.kind]
            rows.append((item.code, usage_name, provider, operation, month, requests, model_cost,
                         tokens_in, tokens_out, latency, location, hardware))
    return rows
