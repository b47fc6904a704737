"""Cached queries of the Right-Size Lab and Model Registry pages (keyed on the store revision)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from core.errors import CoreError
from core.lab import runs as lab_runs, workloads as lab_workloads
from core.models import adoption, catalogue
from ui.queries import reporting_date

if TYPE_CHECKING:
    from core.store import Store


@st.cache_data(show_spinner=False, max_entries=8)
def profiles(_store: Store, revision: int):
    return lab_runs.hardware_profiles(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def workloads(_store: Store, revision: int) -> pd.DataFrame:
    return lab_workloads.list_workloads(_store)


@st.cache_data(show_spinner=False, max_entries=16)
def workload(_store: Store, revision: int, workload_id: int):
    return lab_workloads.get_workload(_store, workload_id)


@st.cache_data(show_spinner="Reading the workload…", max_entries=8)
def workload_preview(_store: Store, revision: int, workload_id: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """First rows, and the task each column would get as the target."""
    frame = lab_workloads.workload_frame(_store, workload_id)
    return frame.head(lab_workloads.PREVIEW_ROWS), lab_workloads.column_tasks(frame)


@st.cache_data(show_spinner=False, max_entries=16)
def runs(_store: Store, revision: int, workload_id: int | None = None) -> pd.DataFrame:
    return lab_runs.list_runs(_store, workload_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def run_report(_store: Store, revision: int, run_id: int):
    """A resource, not data: a LabReport is immutable but holds a mappingproxy, which pickle refuses."""
    return lab_runs.load_run(_store, run_id)


@st.cache_data(show_spinner=False, max_entries=16)
def run_table(_store: Store, revision: int, run_id: int) -> pd.DataFrame:
    """One row per candidate of a run, with the costs on the run's profile."""
    report, _ = lab_runs.load_run(_store, run_id)
    rows = []
    for c in report.candidates:
        cost = c.cost_on(report.profile)
        ci = c.quality_ci or (None, None)
        rows.append({
            "name": c.name, "source": c.source, "status": c.status, "quality": c.quality,
            "ci_low": ci[0], "ci_high": ci[1],
            "p50_ms": c.latency.p50_ms if c.latency else None, "p95_ms": c.latency.p95_ms if c.latency else None,
            "p99_ms": c.latency.p99_ms if c.latency else None, "throughput_rps": c.throughput_rps,
            "size_kb": c.size_bytes / 1024 if c.size_bytes is not None else None,
            "cost_per_1m_usd": cost.cost_per_1m_usd if cost else None,
            "energy_wh_per_1k": cost.energy_wh_per_1k if cost else None,
            "parity": c.parity_max_abs_diff, "frontier": c.name in report.frontier,
            "role": ", ".join(role for role, name in (("today", report.today), ("recommended", report.recommended),
                                                      ("best", report.best)) if c.name == name),
            "reason": c.reason or "",
        })
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, max_entries=32)
def unit_initiatives(_store: Store, revision: int, business_unit: str) -> list[tuple[str, str]]:
    return lab_workloads.unit_initiatives(_store, business_unit)


@st.cache_data(show_spinner=False, max_entries=64)
def initiative_unit(_store: Store, revision: int, initiative: str) -> str:
    return catalogue.initiative_business_unit(_store, initiative)


@st.cache_data(show_spinner=False, max_entries=64)
def savings(_store: Store, revision: int, run_id: int, candidate: str, initiative: str):
    """The projection of adopting ``candidate`` of run ``run_id`` for ``initiative``, or the
    message saying why it cannot be adopted."""
    try:
        report, workload_id = lab_runs.load_run(_store, run_id)
        adoption.check_adoptable(report, candidate, initiative, lab_workloads.get_workload(_store, workload_id))
        return adoption.project_savings(_store, report, candidate, initiative, as_of=reporting_date(_store, revision))
    except CoreError as error:
        return str(error)


@st.cache_data(show_spinner=False, max_entries=8)
def models(_store: Store, revision: int) -> pd.DataFrame:
    return catalogue.list_models(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def registry_summary(_store: Store, revision: int):
    return catalogue.registry_summary(_store)


@st.cache_data(show_spinner=False, max_entries=32)
def model_versions(_store: Store, revision: int, model_id: int) -> pd.DataFrame:
    """Versions with display texts for the numbers that may be missing."""
    frame = catalogue.model_versions(_store, model_id)
    frame["quality_text"] = frame["quality"].map(lambda v: "—" if pd.isna(v) else f"{v:.4f}")
    # "$0.0155 per 1B inferences", never "$0.0000155" per 1M
    frame["cost_text"] = frame["cost_per_1m_usd"].map(
        lambda v: "—" if pd.isna(v) else adoption.per_inferences_text(float(v) / 1e6).removesuffix(" inferences"))
    frame["size_text"] = frame["size_bytes"].map(lambda v: "—" if pd.isna(v) else f"{v / 1024:,.1f} KB")
    frame["opset_text"] = frame["opsets"]  # per domain: 'ai.onnx 17, ai.onnx.ml 3'
    frame["nodes_text"] = frame["node_count"].map(lambda v: "—" if pd.isna(v) else f"{int(v):,}")
    return frame


@st.cache_data(show_spinner=False, max_entries=8)
def version_bytes(_store: Store, revision: int, version_id: int) -> bytes:
    return catalogue.version_onnx_bytes(_store, version_id)


@st.cache_data(show_spinner=False, max_entries=8)
def adoptions(_store: Store, revision: int) -> pd.DataFrame:
    """Every adopted recommendation (``core.models.adoption.list_adoptions``) with the
    initiative's name; ``adopted_at`` as a timestamp."""
    frame = pd.DataFrame(adoption.list_adoptions(_store), columns=[
        "initiative", "candidate", "basis", "reason", "today_candidate", "today_cost_per_1k",
        "candidate_cost_per_1k", "annual_volume", "annual_savings", "annual_savings_range", "run_id",
        "adopted_at", "adopted_by"])
    names = dict(_store.rows("SELECT code, name FROM initiative"))
    return frame.assign(initiative_name=frame["initiative"].map(names),
                        adopted_at=pd.to_datetime(frame["adopted_at"]))
