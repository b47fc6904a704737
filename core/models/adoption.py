"""Adopting a right-size recommendation for an initiative, and the savings it can defend.

Savings are measured against the model the initiative runs today: its production model version
(an ONNX file in the registry) measured in the same lab run, on the same hardware profile, with
the same serving cost model as every candidate (``core.rightsize.pricing``). Formula (USD):

    today_cost      = today's model's cost per inference on the run's profile (measured)
    candidate_cost  = the candidate's cost per inference on the same profile (measured)
    annual_volume   = Σ requests of the initiative, last 12 months of ``usage_monthly``
    annual_savings  = (today_cost − candidate_cost) × annual_volume

Both pay the profile's serving overhead, which therefore cancels out of the saving. The range
scales each model's compute cost (cost − overhead per request) by its single-row latency's
p50 ÷ mean (low) and p95 ÷ mean (high) — how much one call's time varies on the measuring
machine — and pairs today's high with the candidate's low and vice versa:

    range = [(today_lo − candidate_hi) × volume, min((today_hi − candidate_lo) × volume, today_cost × volume)]

so no projection ever exceeds today's measured cost × volume. Adopting needs a workload linked
to the initiative and a candidate whose quality is within the run's tolerance of today's model
(quality ≥ tolerance × today's quality). When today's model cannot be measured (the initiative
runs a vendor API, has no production ONNX file, the run left it out, or the model failed on the
workload), the basis is ``not measurable``: the reason is recorded and no saving is projected —
the usage logs' cost per call (vendor price, network, margin) is not comparable with a model's
compute, and comparing them made "savings" of nearly the whole bill.

The 12 months end at the store's reporting date (``core.portfolio.period.as_of_date``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from core.errors import ValidationError
from core.models.catalogue import initiative_business_unit, insert_model_version, production_onnx
from core.portfolio.period import as_of_date

if TYPE_CHECKING:
    import pandas as pd

    from core.auth import Actor
    from core.rightsize.report import CandidateResult, LabReport
    from core.store import Store

MEASURED, NOT_MEASURABLE = "measured", "not measurable"


@dataclass(frozen=True)
class SavingsProjectionResult:
    """What adopting a candidate saves a year, and on what basis (module docstring)."""

    basis: str  # MEASURED or NOT_MEASURABLE
    reason: str | None  # why not measurable (None when measured)
    today_candidate: str | None  # the run's candidate that is today's model
    today_cost_per_inference_usd: float | None
    candidate_cost_per_inference_usd: float
    annual_volume: int
    annual_savings_usd: float | None
    annual_savings_range_usd: tuple[float, float] | None
    assumptions: tuple[str, ...] = ()

    @property
    def measured(self) -> bool:
        return self.basis == MEASURED

    def to_dict(self) -> dict:
        per_1k = (lambda v: None if v is None else round(v * 1000, 9))
        return {"basis": self.basis, "reason": self.reason, "today_candidate": self.today_candidate,
                "today_cost_per_1k": per_1k(self.today_cost_per_inference_usd),
                "candidate_cost_per_1k": per_1k(self.candidate_cost_per_inference_usd),
                "annual_volume": self.annual_volume,
                "annual_savings": None if self.annual_savings_usd is None else round(self.annual_savings_usd, 2),
                "annual_savings_range": (None if self.annual_savings_range_usd is None
                                         else [round(v, 2) for v in self.annual_savings_range_usd])}


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


def _measured_cost(candidate: CandidateResult, profile: str) -> float | None:
    """Cost per inference (USD) of a measured candidate on ``profile``, else None."""
    cost = candidate.cost_on(profile)
    if not candidate.ok or cost is None or cost.cost_per_1m_usd is None:
        return None
    return cost.cost_per_1m_usd / 1e6


def _cost_band(candidate: CandidateResult, cost: float, overhead: float) -> tuple[float, float]:
    """(low, high) cost per inference: the compute part scaled by p50 ÷ mean and p95 ÷ mean of
    the single-row latency; the overhead per request as is."""
    latency = candidate.latency
    if latency is None or not latency.mean_ms > 0:
        return cost, cost
    compute = max(cost - overhead, 0.0)
    return (overhead + compute * latency.p50_ms / latency.mean_ms,
            overhead + compute * latency.p95_ms / latency.mean_ms)


def _not_measurable_reason(store: Store, report: LabReport, initiative_code: str, profile_label: str) -> str:
    today = report.today_candidate
    if today is not None:
        return f"today's model could not be measured on this workload ({today.reason or today.status})"
    if production_onnx(store, initiative_code) is None:
        _, cost = usage_12m(store, initiative_code)
        return (f"{initiative_code} has no production model version with an ONNX file in the registry (it may run "
                "a vendor API), so there is nothing to measure on " + profile_label + "; its usage logs' cost per "
                "call covers vendor price, network and margin and is not comparable with a model's compute")
    return ("this run did not measure the initiative's production model (it was registered after the run, or the "
            "workload was not linked to the initiative then): run the lab again on this workload")


def project_savings(store: Store, report: LabReport, candidate_name: str, initiative_code: str, *,
                    as_of: dt.date | None = None) -> SavingsProjectionResult:
    """Savings of adopting ``candidate_name`` of ``report`` for the initiative (module formula).

    ``ValidationError`` when the candidate was not measured or the initiative served nothing in
    the 12 months to ``as_of``; a ``not measurable`` result when today's model was not measured.
    """
    candidate = _candidate(report, candidate_name)
    profile = report.profile
    new = _measured_cost(candidate, profile)
    if new is None:
        raise ValidationError(f"{candidate_name} was not measured ({candidate.reason or candidate.status}); "
                              "only a measured candidate can be adopted.")
    as_of = as_of_date(store) if as_of is None else as_of
    volume, _ = usage_12m(store, initiative_code, as_of=as_of)
    if volume <= 0:
        raise ValidationError(f"Initiative {initiative_code} served no inferences in the last 12 months, so no "
                              "savings can be projected. Import its usage first, or pick another initiative.")
    today = report.today_candidate
    current = _measured_cost(today, profile) if today is not None else None
    volume_note = f"Volume: {volume:,} inferences of {initiative_code} in the 12 months to {as_of:%d %b %Y}."
    if current is None:
        reason = _not_measurable_reason(store, report, initiative_code, profile)
        return SavingsProjectionResult(NOT_MEASURABLE, reason, report.today, None, new, volume, None, None,
                                       (volume_note, f"No saving is projected: {reason}."))
    overhead = report.overhead_per_request_usd
    today_lo, today_hi = _cost_band(today, current, overhead)
    new_lo, new_hi = _cost_band(candidate, new, overhead)
    savings = (current - new) * volume
    cap = current * volume
    low, high = (today_lo - new_hi) * volume, min((today_hi - new_lo) * volume, cap)
    assumptions = (
        f"Today's model ({today.name}), measured in this run on {profile}: {per_inferences_text(current)}.",
        f"{candidate.name}: {per_inferences_text(new)} on the same profile.",
        volume_note,
        f"Both pay {profile}'s serving overhead (${overhead * 1e6:,.2f} per 1M requests and its monthly cost), "
        "which cancels out of the saving.",
        "Range: each model's compute cost scaled by its single-row latency p50 ÷ mean (low) and p95 ÷ mean "
        "(high); never above today's cost × volume.",
        f"Quality: {candidate.name} {_quality_text(candidate)} against today's {_quality_text(today)}.",
    )
    return SavingsProjectionResult(MEASURED, None, today.name, current, new, volume, savings,
                                   (min(low, savings), max(high, savings)), assumptions)


#: the volumes a cost per inference is written per, smallest first
INFERENCE_SCALES = ((1e3, "1,000"), (1e6, "1M"), (1e9, "1B"), (1e12, "1T"))


def inference_scale(*costs_per_inference_usd: float) -> tuple[float, str]:
    """The smallest volume of ``INFERENCE_SCALES`` at which the smallest non-zero cost reaches a
    cent: ``(count, label)``, e.g. ``(1e9, "1B")`` for $1.55e-11 an inference ("$0.0155 per 1B")."""
    positive = [abs(c) for c in costs_per_inference_usd if c]
    smallest = min(positive) if positive else 1.0
    for count, label in INFERENCE_SCALES:
        if smallest * count >= 0.01:
            return count, label
    return INFERENCE_SCALES[-1]


def scaled_cost_text(amount: float) -> str:
    """A scaled cost with 3 significant digits: "$4.29", "$0.0155", "$1,204"."""
    digits = 0 if amount == 0 else max(0, 2 - math.floor(math.log10(abs(amount))))
    return f"${amount:,.{digits}f}"


def per_inferences_text(*costs_per_inference_usd: float) -> str:
    """Costs per inference on one readable scale, e.g. "$0.308 → $0.0142 per 1B inferences"
    (``inference_scale``), 3 significant digits."""
    count, label = inference_scale(*costs_per_inference_usd)
    return " → ".join(scaled_cost_text(c * count) for c in costs_per_inference_usd) + f" per {label} inferences"


def _quality_text(candidate: CandidateResult) -> str:
    ci = candidate.quality_ci
    interval = f" (95% CI {ci[0]:.3f}–{ci[1]:.3f})" if ci and None not in ci else ""
    return f"{candidate.quality:.3f}{interval}" if candidate.quality is not None else "—"


def _candidate(report: LabReport, candidate_name: str) -> CandidateResult:
    try:
        return report.candidate(candidate_name)
    except KeyError:
        names = ", ".join(c.name for c in report.candidates)
        raise ValidationError(f"This run has no candidate {candidate_name!r}; choose one of: {names}.") from None


def check_adoptable(report: LabReport, candidate_name: str, initiative_code: str, workload) -> None:
    """The rules an adoption must pass before anything is projected or written (module docstring)."""
    if workload.initiative != initiative_code:
        linked = f"is linked to {workload.initiative}" if workload.initiative else "is linked to no initiative"
        raise ValidationError(
            f"Workload '{workload.name}' {linked}: savings for {initiative_code} can only be measured on a workload "
            f"of {initiative_code}, against the model it runs today. Upload {initiative_code}'s workload with "
            "'For initiative' set, and run the lab on it.")
    candidate = _candidate(report, candidate_name)
    today = report.today_candidate
    if candidate.source == "today":
        raise ValidationError(f"{candidate_name} is the model {initiative_code} runs today: nothing to adopt.")
    if today is not None and today.ok and today.quality is not None and candidate.quality is not None:
        needed = report.tolerance * today.quality
        if candidate.quality < needed:
            raise ValidationError(
                f"{candidate_name} reaches {candidate.quality:.3f}, below {report.tolerance:.0%} of today's model "
                f"({today.quality:.3f} → at least {needed:.3f}). Nothing was adopted; pick a better candidate.")


def adopt_recommendation(store: Store, actor: Actor, run_id: int, candidate_name: str,
                         initiative_code: str) -> AdoptionResult:
    """Register the candidate's ONNX file as a ``candidate`` version of a model of the initiative and
    record the adoption with its savings and their basis (permission ``adopt`` for the
    initiative's business unit). Refused — nothing written — when a rule of
    ``check_adoptable`` fails or a measured saving would be ≤ 0.
    """
    from core.lab.runs import load_run
    from core.lab.workloads import get_workload

    unit = initiative_business_unit(store, initiative_code)
    store.require(actor, "adopt", action="lab.adopt", target=candidate_name, business_unit=unit)
    report, workload_id = load_run(store, run_id)
    workload = get_workload(store, workload_id)
    check_adoptable(report, candidate_name, initiative_code, workload)
    projection = project_savings(store, report, candidate_name, initiative_code)
    model_bytes = report.onnx_bytes_by_name.get(candidate_name)
    if model_bytes is None:
        raise ValidationError(f"Run #{run_id} kept no ONNX file for {candidate_name}: only frontier candidates can "
                              f"be adopted (here: {', '.join(report.frontier) or 'none'}).")
    existing = store.one("SELECT id, model_version_id FROM adoption WHERE benchmark_run_id = ? AND candidate_name = ? "
                         "AND initiative = ?", [int(run_id), candidate_name, initiative_code])
    if existing is not None:
        return AdoptionResult(existing[0], existing[1], initiative_code, candidate_name, projection, created=False)
    if projection.measured and projection.annual_savings_usd <= 0:
        raise ValidationError(
            f"Adopting {candidate_name} for {initiative_code} would not save money: today's model → the candidate "
            f"costs {per_inferences_text(projection.today_cost_per_inference_usd, projection.candidate_cost_per_inference_usd)}. "
            "Nothing was adopted; pick a cheaper candidate or profile.")
    candidate = report.candidate(candidate_name)
    savings = projection.annual_savings_usd
    with store.write(actor, "adopt", action="lab.adopt", target=initiative_code, business_unit=unit,
                     detail={"run_id": run_id, "candidate": candidate_name, "basis": projection.basis,
                             "annual_savings_usd": None if savings is None else round(savings, 2)}) as cur:
        version_id = insert_model_version(
            cur, actor, initiative_code, f"{workload.name} · {candidate_name}"[:120], model_bytes,
            task=report.task, version=f"run-{run_id}", workload_id=workload_id, benchmark_run_id=int(run_id),
            quality=candidate.quality, cost_per_1m_usd=projection.candidate_cost_per_inference_usd * 1e6)
        low, high = projection.annual_savings_range_usd or (None, None)
        adoption_id = cur.execute(
            "INSERT INTO adoption (initiative, model_version_id, benchmark_run_id, candidate_name, "
            "current_cost_per_1k_usd, new_cost_per_1k_usd, volume_12m, annual_savings_usd, adopted_by, basis, "
            "basis_reason, today_candidate, annual_savings_low_usd, annual_savings_high_usd) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [initiative_code, version_id, int(run_id), candidate_name,
             _per_1k(projection.today_cost_per_inference_usd), _per_1k(projection.candidate_cost_per_inference_usd),
             projection.annual_volume,
             _decimal(savings, "0.01"), actor.name, projection.basis, projection.reason, projection.today_candidate,
             _decimal(low, "0.01"), _decimal(high, "0.01")]).fetchone()[0]
    return AdoptionResult(adoption_id, version_id, initiative_code, candidate_name, projection)


def _decimal(value: float | None, quantum: str) -> Decimal | None:
    """``value`` rounded to ``quantum`` (e.g. "0.01") as the DECIMAL the store keeps; None stays None."""
    if value is None:
        return None
    return Decimal(repr(float(value))).quantize(Decimal(quantum))


def _per_1k(cost_per_inference_usd: float | None) -> float | None:
    return None if cost_per_inference_usd is None else cost_per_inference_usd * 1000


def initiative_adoptions(store: Store, initiative_code: str) -> pd.DataFrame:
    """Adoptions of one initiative, newest first (the Initiative page's savings block)."""
    return store.frame(
        "SELECT a.adopted_at, a.candidate_name, a.benchmark_run_id, a.model_version_id, a.basis, "
        "a.current_cost_per_1k_usd, a.new_cost_per_1k_usd, a.volume_12m, "
        "a.annual_savings_usd::DOUBLE AS annual_savings_usd, "
        "a.annual_savings_low_usd::DOUBLE AS annual_savings_low_usd, "
        "a.annual_savings_high_usd::DOUBLE AS annual_savings_high_usd, a.basis_reason, a.adopted_by "
        "FROM adoption a WHERE a.initiative = ? ORDER BY a.adopted_at DESC, a.id DESC", [initiative_code])


def list_adoptions(store: Store) -> list[dict]:
    """Every adoption, newest first, as ``factory savings`` prints it (costs per 1,000 inferences)."""
    rows = store.rows(
        "SELECT a.initiative, a.candidate_name, a.basis, a.basis_reason, a.today_candidate, "
        "a.current_cost_per_1k_usd, a.new_cost_per_1k_usd, a.volume_12m, "
        "a.annual_savings_usd::DOUBLE, a.annual_savings_low_usd::DOUBLE, a.annual_savings_high_usd::DOUBLE, "
        "a.benchmark_run_id, a.adopted_at, a.adopted_by FROM adoption a ORDER BY a.adopted_at DESC, a.id DESC")
    return [{"initiative": r[0], "candidate": r[1], "basis": r[2], "reason": r[3], "today_candidate": r[4],
             "today_cost_per_1k": r[5], "candidate_cost_per_1k": r[6], "annual_volume": r[7],
             "annual_savings": r[8], "annual_savings_range": None if r[9] is None else [r[9], r[10]],
             "run_id": r[11], "adopted_at": r[12].isoformat(timespec="seconds"), "adopted_by": r[13]}
            for r in rows]
