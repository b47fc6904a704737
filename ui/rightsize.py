"""Widget clusters of the Right-Size Lab page: workload picker, settings, the run with progress and
Cancel, the results and the adopt panel.

Running: the lab runs inside the script run. Its progress callback and its cancel hook touch a
progress bar; a click on Cancel makes Streamlit interrupt the script at the next such touch
(``runner.fastReruns``), the exception unwinds ``run_lab`` — whose ``finally`` stops the
measurement worker process — and nothing is saved; the next run of the script sees the click
and says so. (Any other widget click during a run interrupts it the same way.) A background
thread was not needed: this is what Streamlit 1.67 does by itself, and
tests/browser/test_browser.py clicks Cancel in a real browser.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.models.adoption import adopt_recommendation, inference_scale, per_inferences_text, scaled_cost_text
from core.models.catalogue import production_onnx
from core.errors import CoreError
from core.rightsize.config import LabConfig
from core.rightsize.lab import run_lab
from core.rightsize.quality import METRIC_LABELS
from core.lab.runs import record_run
from core.lab.workloads import save_workload, workload_frame
from ui import queries_rightsize as q
from ui import state
from ui.empty import empty_state
from ui.filters import literal, url_selectbox
from ui.formatting import count, money, percent

UPLOAD_TYPES = ["csv", "parquet", "xlsx"]


@dataclass(frozen=True)
class LabChoices:
    target: str
    config: LabConfig
    uploads: tuple[tuple[str, bytes], ...]


def can_run(actor) -> bool:
    return actor.role in ("team_lead", "admin")


def upload_workload(store, actor, units: list[str]) -> None:
    """File uploader + business unit; a new file is stored at once and becomes the chosen workload.
    A workload belongs to a business unit: with none in the store yet, the page says so instead."""
    if not units and actor.role != "team_lead":
        empty_state(actor, "No business units yet: a workload is stored for a business unit, and business units "
                           "come with the initiatives file.", kinds=("initiatives",))
        return
    left, right = st.columns([3, 1])
    if actor.role == "team_lead":
        unit = actor.business_unit
        right.caption(f"Stored for **{unit}**")
    else:
        unit = right.selectbox("Business unit", units)
    options = dict(q.unit_initiatives(store, store.revision, unit))
    initiative = right.selectbox("For initiative (optional)", [None, *options], key=state.LAB_UPLOAD_INITIATIVE,
                                 format_func=lambda c: "—" if c is None else f"{options[c]} ({c})",
                                 help="What the workload benchmarks: adopting one of its results defaults to it.")
    upload = left.file_uploader("Upload a workload (CSV, Parquet or xlsx; one row per example, a header row)",
                                type=UPLOAD_TYPES, key=state.LAB_UPLOAD)
    # act once per uploaded file: later reruns must not override the workload picked below
    if upload is None or st.session_state.get(state.LAB_UPLOADED) == upload.file_id:
        return
    try:
        record = save_workload(store, actor, upload.name.rsplit(".", 1)[0], upload.getvalue(),
                               file_name=upload.name, business_unit=unit, initiative=initiative)
    except CoreError as error:
        st.error(f"{literal(upload.name)} was not stored: {literal(str(error), 600)}")
        return
    st.session_state[state.LAB_UPLOADED] = upload.file_id
    st.query_params["workload"] = str(record.id)  # the picker below follows the link
    st.query_params.pop("run", None)
    st.toast(f"{'Stored' if record.created else 'Already stored'}: {literal(record.name)} "
               f"({record.rows:,} rows × {record.columns} columns).", icon=":material/upload_file:")


def pick_workload(store) -> int | None:
    frame = q.workloads(store, store.revision)
    if frame.empty:
        st.info("No workload stored yet. A team lead uploads one here to start.")
        return None
    labels = {int(r.id): " · ".join([r.name, r.business_unit, *([r.initiative] if isinstance(r.initiative, str) else []),
                                     f"{r.rows:,} rows", f"#{r.id}"]) for r in frame.itertuples()}
    before = st.query_params.get("workload")
    chosen = url_selectbox("Workload", "workload", list(labels), key=state.LAB_WORKLOAD, default=next(iter(labels)),
                           parse=int, format_func=labels.get)
    if st.query_params.get("workload") != before:  # another workload: its runs, not the last one's
        st.query_params.pop("run", None)
    return chosen


def lab_settings(store, workload_id: int) -> LabChoices | None:
    """Preview, target picker (inferred task shown), tolerance, latency budget, profile, ONNX uploads."""
    head, tasks = q.workload_preview(store, store.revision, workload_id)
    record = q.workload(store, store.revision, workload_id)
    st.dataframe(head, hide_index=True, width="stretch", height=210)
    columns = list(tasks)
    default = columns.index(record.target) if record.target in columns else len(columns) - 1
    left, middle, right = st.columns(3)
    target = left.selectbox("Target column (what the model predicts)", columns, index=default)
    left.caption(f"Inferred task: **{tasks[target]}**")
    tolerance = middle.slider("Tolerance: share of the best quality", 50, 100, 95, format="%d%%")
    budget = middle.number_input("p95 latency budget (ms, 0 = none)", min_value=0.0, value=0.0, step=0.5)
    names = [p.name for p in q.profiles(store, store.revision)]
    profile = right.selectbox("Price on hardware profile", names,
                              index=names.index("cloud-cpu-4") if "cloud-cpu-4" in names else 0)
    quick = right.toggle("Quick ladder (3 small candidates)", value=False,
                         help="For a first look; the full ladder trains 6+ candidates, tiny to large.")
    onnx = st.file_uploader("Compare your own ONNX models (optional; checked before use)", type=["onnx"],
                            accept_multiple_files=True)
    try:
        config = LabConfig(tolerance=tolerance / 100, latency_budget_ms=budget or None, profile=profile,
                           ladder="quick" if quick else "full")
    except CoreError as error:
        st.error(str(error))
        return None
    return LabChoices(target, config, tuple((f.name, f.getvalue()) for f in onnx or ()))


def run_with_progress(store, actor, workload_id: int, choices: LabChoices) -> int | None:
    """Run the lab with a progress bar and a Cancel button; store the run; return its id."""
    record = q.workload(store, store.revision, workload_id)
    st.button("Cancel", key=state.LAB_CANCEL, icon=":material/cancel:")
    bar = st.progress(0.0, text="Starting the lab…")
    shown = {"value": 0.0, "text": "Starting the lab…", "at": time.monotonic()}

    def on_progress(step: str, done: int, total: int) -> None:
        shown.update(value=done / total if total else 0.0, text=f"{step} · step {min(done + 1, total)} of {total}",
                     at=time.monotonic())
        bar.progress(shown["value"], text=shown["text"])

    def should_cancel() -> bool:
        # re-sending the bar lets Streamlit deliver a Cancel click now (it interrupts this run)
        if time.monotonic() - shown["at"] > 0.5:
            bar.progress(shown["value"], text=shown["text"])
            shown["at"] = time.monotonic()
        return False

    # the model the initiative serves today is measured in the same run: the basis of its savings
    production = production_onnx(store, record.initiative) if record.initiative else None
    today = (production.label, production.model_bytes) if production else None
    started = dt.datetime.now()
    try:
        report = run_lab(workload_frame(store, workload_id), choices.target, choices.config, uploads=choices.uploads,
                         today=today,
                         profiles=q.profiles(store, store.revision), on_progress=on_progress,
                         should_cancel=should_cancel, workload_name=record.name)
        run_id = record_run(store, actor, workload_id, choices.config, report, started_at=started)
    except CoreError as error:
        bar.empty()
        st.error(f"The lab did not finish: {error}")
        return None
    bar.empty()
    st.query_params["run"] = str(run_id)  # the results picker follows the link
    return run_id


def pick_run(store, workload_id: int) -> int | None:
    frame = q.runs(store, store.revision, workload_id)
    if frame.empty:
        return None
    labels = {int(r.id): f"Run #{r.id} · {r.finished_at:%d %b %Y %H:%M} · by {r.run_by}" for r in frame.itertuples()}
    return url_selectbox("Results of", "run", list(labels), key=state.LAB_RUN, default=next(iter(labels)),
                         parse=int, format_func=labels.get)


def _interval(low, high, digits: int = 3) -> str:
    return "—" if low is None or high is None or low != low or high != high else f"{low:.{digits}f}–{high:.{digits}f}"


def _latencies(row) -> str:
    values = (row.p50_ms, row.p95_ms, row.p99_ms)
    if any(v is None or v != v for v in values):
        return "—"
    return " / ".join(f"{v:.3g}" for v in values)


def candidate_view(table: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The candidates table as read on the page: the key column pinned, the interval and the
    three latencies in one column each (a table that fits), costs on one readable scale for
    every row ("$ per 1B", never "$1.55e-05 per 1M"), "—" wherever a figure is missing."""
    per_inference = [v / 1e6 for v in table["cost_per_1m_usd"] if v is not None and v == v]
    count, scale = inference_scale(*per_inference) if per_inference else (1e6, "1M")
    view = pd.DataFrame({
        "name": table["name"], "role": table["role"], "status": table["status"], "quality": table["quality"],
        "ci": [_interval(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
        "latency": [_latencies(row) for row in table.itertuples()],
        "throughput_rps": table["throughput_rps"], "size_kb": table["size_kb"],
        "cost": ["—" if v is None or v != v else scaled_cost_text(v / 1e6 * count) for v in table["cost_per_1m_usd"]],
        "energy_wh_per_1k": table["energy_wh_per_1k"], "parity": table["parity"], "source": table["source"],
        "reason": table["reason"].replace("", "—"),
    })
    columns = {
        "name": st.column_config.TextColumn("Candidate", pinned=True), "role": st.column_config.TextColumn(
            "Role", width=110), "status": "Status",
        "quality": st.column_config.NumberColumn("Quality", format="%.4f"),
        "ci": st.column_config.TextColumn("95% CI", help="Bootstrap interval of the quality on the held-out rows"),
        "latency": st.column_config.TextColumn("Latency ms (p50 / p95 / p99)", help="Single-row latency"),
        "throughput_rps": st.column_config.NumberColumn("Rows/s", format="compact"),
        "size_kb": st.column_config.NumberColumn("Size KB", format="%.1f"),
        "cost": st.column_config.TextColumn(f"$ per {scale}", help=f"Cost per {scale} inferences on the run's profile"),
        "energy_wh_per_1k": st.column_config.NumberColumn("Wh per 1k", format="%.3g"),
        "parity": st.column_config.NumberColumn("Parity max |Δ|", format="%.1e",
                                                help="Largest difference between ONNX and scikit-learn outputs"),
        "source": "Source", "reason": st.column_config.TextColumn("Reason", width="medium"),
    }
    if not (table["reason"] != "").any():
        view, columns = view.drop(columns=["reason"]), {k: v for k, v in columns.items() if k != "reason"}
    return view, columns


def show_summary(report) -> None:
    label = METRIC_LABELS.get(report.metric, report.metric)
    (st.success if report.recommended else st.warning)(report.sentence, icon=":material/recommend:")
    recommended = report.candidate(report.recommended).cost_on(report.profile) if report.recommended else None
    best = report.candidate(report.best).cost_on(report.profile) if report.best else None
    tiles = st.columns(4)
    tiles[0].metric("Quality kept", percent(report.quality_ratio, 1),
                    help=f"Recommended ÷ best {label}, on the held-out rows.")
    tiles[1].metric("Cost vs best", percent(report.cost_ratio, 1), help=f"Recommended ÷ best cost on {report.profile}.")
    # both on one readable scale ("$0.0155 per 1B"), never "$0.0000155 per 1M"
    per_inference = [c.cost_per_1m_usd / 1e6 for c in (recommended, best) if c is not None]
    count, scale = inference_scale(*per_inference)
    for column, name, cost in ((tiles[2], "Recommended", recommended), (tiles[3], "Best", best)):
        column.metric(f"{name}: $ per {scale}",
                      "—" if cost is None else scaled_cost_text(cost.cost_per_1m_usd / 1e6 * count),
                      help=f"Cost per {scale} inferences on {report.profile}.")


def show_table(table: pd.DataFrame) -> None:
    view, columns = candidate_view(table)
    st.dataframe(view, hide_index=True, width="stretch", column_config=columns)


def adopt_panel(store, actor, run_id: int, report, table: pd.DataFrame, linked: str | None = None) -> None:
    """Adopt a frontier candidate for the workload's initiative (``linked``): the savings against
    the model it runs today, their range and every assumption, or why none can be measured."""
    if linked is None:
        st.info("This workload is not linked to an initiative, so no saving can be measured against the model an "
                "initiative runs today. Upload the initiative's workload with **For initiative** set, and run the "
                "lab on it.", icon=":material/link_off:")
        return
    if not actor.can("adopt", q.initiative_unit(store, store.revision, linked)):
        st.caption("Adopting needs a team lead of the initiative's business unit, or an administrator.")
        return
    frontier = [name for name in report.frontier if name in report.onnx_bytes_by_name and name != report.today]
    if not frontier:
        st.info("No frontier candidate other than today's model: nothing to adopt from this run.")
        return
    left, middle = st.columns(2)
    left.markdown(f"**For initiative** {linked}")
    candidate = middle.selectbox("Candidate", frontier, index=frontier.index(report.recommended)
                                 if report.recommended in frontier else 0)
    projection = q.savings(store, store.revision, run_id, candidate, linked)
    if isinstance(projection, str):
        st.warning(projection, icon=":material/block:")
        return
    show_savings(projection, report.profile)
    if st.button(f"Adopt {candidate}", type="primary", icon=":material/task_alt:"):
        try:
            result = adopt_recommendation(store, actor, run_id, candidate, linked)
        except CoreError as error:
            st.error(literal(str(error), 600))
        else:
            saved = result.projection
            said = (f"projected savings {money(saved.annual_savings_usd)} a year (measured against today's model)"
                    if saved.measured else "no saving projected (today's model could not be measured)")
            st.success(f"Adopted for {linked}: model version #{result.model_version_id} registered as a candidate; "
                       f"{said}.")


def show_savings(projection, profile: str) -> None:
    """The saving with its range and basis, or — when today's model was not measured — what a
    number would and would not cover, instead of one."""
    if not projection.measured:
        st.metric("Projected annual savings", "not measurable",
                  help="Savings are measured against the model the initiative runs today, in the same run.")
        st.warning(f"No saving is projected: {literal(projection.reason, 600)}.", icon=":material/help:")
        st.caption(f"What a saving would cover: the difference between today's model and "
                   f"{per_inferences_text(projection.candidate_cost_per_inference_usd)} (this "
                   f"candidate's compute and serving overhead on {profile}) × {projection.annual_volume:,} inferences "
                   "a year. What it would not: vendor fees, network and people, which the usage logs' cost per call "
                   "includes.")
        return
    low, high = projection.annual_savings_range_usd
    cols = st.columns(3)
    cols[0].metric("Projected annual savings", money(projection.annual_savings_usd),
                   help="(today's measured cost per inference − the candidate's) × inferences in the last 12 months.")
    cols[1].metric("Range", f"{money(low)} – {money(high)}",
                   help="From each model's single-row latency spread (p50 ÷ mean to p95 ÷ mean); never above "
                        "today's cost × volume.")
    costs, scale = per_inferences_text(projection.today_cost_per_inference_usd,
                                       projection.candidate_cost_per_inference_usd).split(" per ")
    cols[2].metric(f"Today → candidate, per {scale.removesuffix(' inferences')}", costs,
                   help=f"Both measured in this run on {profile}.")
    st.markdown("\n".join(f"- {sentence}" for sentence in projection.assumptions))

def adopted_savings(store, year: int) -> None:
    """This year's adopted right-size savings: the measured total (the saving an adoption made
    in ``year`` defends: (today's − candidate's cost per inference) × last-12-months volume),
    its range, and one row per adoption with its basis. Not-measurable adoptions are listed
    with their reason and add nothing."""
    frame = q.adoptions(store, store.revision)
    if frame.empty:
        st.info("No right-size recommendation adopted yet: run the lab on a workload below, then adopt its "
                "recommendation for an initiative; the saving is measured against that initiative's model today.",
                icon=":material/savings:")
        return
    this_year = frame[frame["adopted_at"].dt.year == year]
    measured = this_year[this_year["basis"] == "measured"]
    low = sum(r[0] for r in measured["annual_savings_range"] if r is not None)
    high = sum(r[1] for r in measured["annual_savings_range"] if r is not None)
    cols = st.columns(3)
    cols[0].metric(f"Measured savings adopted in {year}", money(measured["annual_savings"].sum()),
                   help="Sum over adoptions measured against today's production model: (today's − candidate's "
                        "cost per inference) × the initiative's inferences in the last 12 months, a year.")
    cols[1].metric("Range (latency p50 … p95)", f"{money(low)} … {money(high)}" if len(measured) else "—",
                   help="The saving again with each model's p50 and p95 latency in place of its mean.")
    cols[2].metric(f"Adoptions in {year}", count(len(this_year)),
                   help=f"{len(measured)} measured against today's model, {len(this_year) - len(measured)} not "
                        "measurable (listed with the reason; they add no saving).")
    view = frame.assign(
        range=[None if r is None else f"{money(r[0])} … {money(r[1])}" for r in frame["annual_savings_range"]],
        why=frame["reason"].fillna("—"), today=frame["today_candidate"].fillna("—"))
    columns = ["adopted_at", "initiative_name", "candidate", "basis", "annual_savings", "range", "today"]
    st.dataframe(view[columns + (["why"] if frame["reason"].notna().any() else [])], hide_index=True, width="stretch", column_config={
        "adopted_at": st.column_config.DatetimeColumn("Adopted", format="D MMM YYYY"),
        "initiative_name": st.column_config.TextColumn("Initiative", width="medium"),
        "candidate": st.column_config.TextColumn("Candidate", width="medium"),
        "basis": "Basis",
        "annual_savings": st.column_config.NumberColumn("Savings a year (USD)", format="dollar"),
        "range": "Range", "today": st.column_config.TextColumn("Today's model"),
        "why": st.column_config.TextColumn("Why not measurable", width="medium"),
    })
