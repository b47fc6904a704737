"""Adopting a right-size recommendation for an initiative, and the savings it projects.

Formula (USD, per inference unless the name says otherwise):

    current_cost_per_inference = Σ usage cost ÷ Σ requests      (initiative, last 12 months of
                                                                  the ``usage_monthly`` rollup)
    new_cost_per_inference     = candidate's cost per 1M inferences on the run's profile ÷ 1e6
    volume_12m                 = Σ requests, same 12 months
    annual_savings_usd         = (current − new) × volume_12m

The 12 months end at the store's reporting date (``core.portfolio.period.as_of_date``). An adoption that
would cost more than today (savings ≤ 0) is refused with both costs in the message: adopting
it would feed a loss into the ROI Review's right-size scenario as if it were a saving.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from core.auth import require
from core.errors import ValidationError
from core.models.catalogue import initiative_business_unit, initiatives_permitting, insert_model_version
from core.portfolio.period import as_of_date

if TYPE_CHECKING:
    import pandas as pd

    from core.auth import Actor
    from core.rightsize.report import LabReport
    from core.store import Store


@dataclass(frozen=True)
class SavingsProjectionResult:
    current_cost_per_inference_usd: float
    new_cost_per_inference_usd: float
    volume_12m: int
    annual_savings_usd: float


@dataclass(frozen=True)
class AdoptionResult:
    adoption_id: int
    model_version_id: int
    initiative: str
    candidate_name: str
    projection: SavingsProjectionResult
    created: bool = True  # False when this run's candidate was already adopted for the initiative


def usage_12m(store: Store, initiative_code: str, *, as_of: dt.date | None = None) -> tuple[int, float]:
    """(requests, cost USD) of the initiative over the 12 months up to ``as_of`` (the
    reporting date; read from the store when None)."""
    as_of = as_of_date(store) if as_of is None else as_of
    # usage_monthly is the rollup (primary key month, initiative, …): a few hundred rows at most
    row = store.one("SELECT coalesce(sum(requests), 0), coalesce(sum(cost_usd), 0)::DOUBLE FROM usage_monthly "
                    "WHERE initiative = ? AND month > ?::DATE - INTERVAL 12 MONTH AND month <= ?",
                    [initiative_code, as_of, as_of])
    return int(row[0]), float(row[1])


def project_savings(store: Store, initiative_code: str, new_cost_per_1m_usd: float, *,
                    as_of: dt.date | None = None) -> SavingsProjectionResult:
    """Apply the module's formula over the 12 months to ``as_of`` (read from the store when
    None); ``ValidationError`` when the initiative has no recent usage."""
    requests, cost = usage_12m(store, initiative_code, as_of=as_of)
    if requests <= 0:
        raise ValidationError(f"Initiative {initiative_code} served no inferences in the last 12 months, so no "
                              "savings can be projected. Import its usage first, or pick another initiative.")
    current = cost / requests
    new = new_cost_per_1m_usd / 1e6
    return SavingsProjectionResult(current, new, requests, (current - new) * requests)


def _candidate_cost(report: LabReport, candidate_name: str) -> float:
    """The candidate's cost per 1M inferences (USD) on the run's profile; only a measured one."""
    try:
        candidate = report.candidate(candidate_name)
    except KeyError:
        names = ", ".join(c.name for c in report.candidates)
        raise ValidationError(f"This run has no candidate {candidate_name!r}; choose one of: {names}.") from None
    cost = candidate.cost_on(report.profile)
    if not candidate.ok or cost is None or cost.cost_per_1m_usd is None:
        raise ValidationError(f"{candidate_name} was not measured ({candidate.reason or candidate.status}); "
                              "only a measured candidate can be adopted.")
    return cost.cost_per_1m_usd


def adopt_recommendation(store: Store, actor: Actor, run_id: int, candidate_name: str,
                         initiative_code: str) -> AdoptionResult:
    """Register the candidate's ONNX file as a ``candidate`` version of a model of the initiative and
    record the adoption with its projected annual savings (permission ``adopt`` for the initiative's
    business unit). Refused — nothing written — when the savings would be ≤ 0.
    """
    from core.lab.runs import load_run
    from core.lab.workloads import get_workload

    unit = initiative_business_unit(store, initiative_code)
    require(actor, "adopt", business_unit=unit)
    report, workload_id = load_run(store, run_id)
    new_cost_per_1m = _candidate_cost(report, candidate_name)
    model_bytes = report.onnx_bytes_by_name.get(candidate_name)
    if model_bytes is None:
        raise ValidationError(f"Run #{run_id} kept no ONNX file for {candidate_name}: only frontier candidates can "
                              f"be adopted (here: {', '.join(report.frontier) or 'none'}).")
    existing = store.one("SELECT id, model_version_id FROM adoption WHERE benchmark_run_id = ? AND candidate_name = ? "
                         "AND initiative = ?", [int(run_id), candidate_name, initiative_code])
    projection = project_savings(store, initiative_code, new_cost_per_1m)
    if existing is not None:
        return AdoptionResult(existing[0], existing[1], initiative_code, candidate_name, projection, created=False)
    if projection.annual_savings_usd <= 0:
        raise ValidationError(
            f"Adopting {candidate_name} for {initiative_code} would not save money: it costs "
            f"${projection.new_cost_per_inference_usd * 1000:.4f} per 1,000 inferences against "
            f"${projection.current_cost_per_inference_usd * 1000:.4f} today. Nothing was adopted; pick a cheaper "
            "candidate or profile.")
    workload = get_workload(store, workload_id)
    candidate = report.candidate(candidate_name)
    with store.write(actor, "adopt", action="lab.adopt", target=initiative_code, business_unit=unit,
                     detail={"run_id": run_id, "candidate": candidate_name,
                             "annual_savings_usd": round(projection.annual_savings_usd, 2)}) as cur:
        version_id = insert_model_version(
            cur, actor, initiative_code, f"{workload.name} · {candidate_name}"[:120], model_bytes,
            task=report.task, version=f"run-{run_id}", workload_id=workload_id, benchmark_run_id=int(run_id),
            quality=candidate.quality, cost_per_1m_usd=new_cost_per_1m)
        adoption_id = cur.execute(
            "INSERT INTO adoption (initiative, model_version_id, benchmark_run_id, candidate_name, "
            "current_cost_per_1k_usd, new_cost_per_1k_usd, volume_12m, annual_savings_usd, adopted_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [initiative_code, version_id, int(run_id), candidate_name,
             _decimal(projection.current_cost_per_inference_usd * 1000, "0.000001"),
             _decimal(projection.new_cost_per_inference_usd * 1000, "0.000001"), projection.volume_12m,
             _decimal(projection.annual_savings_usd, "0.01"), actor.name]).fetchone()[0]
    return AdoptionResult(adoption_id, version_id, initiative_code, candidate_name, projection)


def _decimal(value: float, quantum: str) -> Decimal:
    """``value`` rounded to ``quantum`` (e.g. "0.01") as the DECIMAL the store keeps."""
    return Decimal(repr(float(value))).quantize(Decimal(quantum))


def initiative_adoptions(store: Store, initiative_code: str) -> pd.DataFrame:
    """Adoptions of one initiative, newest first (the Initiative page's savings block)."""
    return store.frame(
        "SELECT a.adopted_at, a.candidate_name, a.benchmark_run_id, a.model_version_id, "
        "a.current_cost_per_1k_usd::DOUBLE AS current_cost_per_1k_usd, "
        "a.new_cost_per_1k_usd::DOUBLE AS new_cost_per_1k_usd, a.volume_12m, "
        "a.annual_savings_usd::DOUBLE AS annual_savings_usd, a.adopted_by "
        "FROM adoption a WHERE a.initiative = ? ORDER BY a.adopted_at DESC, a.id DESC", [initiative_code])


def adoptable_initiatives(store: Store, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the initiatives ``actor`` may adopt for: their unit's for a team lead, all for admin."""
    return initiatives_permitting(store, actor, "adopt")

