"""Right-Size Lab and Model Registry pages: stored runs for every role, adopt, approve."""

from __future__ import annotations

import re

import pytest

from core.rightsize.config import LabConfig
from core.lab.runs import record_run
from core.lab.workloads import save_workload
from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ACTORS, ADMIN, LEAD_OPS, LEAD_RETAIL, VIEWER
from tests.unit.lab.lab_fixtures import CSV_BYTES, TODAY, hand_report

LAB = "pages/rightsize_lab.py"
REGISTRY = "pages/model_registry.py"


@pytest.fixture
def lab_db(app_db):
    """The demo store with one RETAIL workload of a RETAIL initiative that has usage in the last
    12 months, and one stored (hand-built) run that measured today's model; yields the code."""
    store = Store.open(app_db)
    try:
        code = store.scalar("SELECT i.code FROM initiative i JOIN usage_monthly u ON u.initiative = i.code "
                            "WHERE i.business_unit = 'RETAIL' GROUP BY i.code, i.name ORDER BY i.name LIMIT 1")
        workload = save_workload(store, LEAD_RETAIL, "Churn sample", CSV_BYTES, file_name="churn.csv",
                                 business_unit="RETAIL", initiative=code)
        record_run(store, LEAD_RETAIL, workload.id, LabConfig(), hand_report())
    finally:
        store.close()
    yield code


def _open(actor, page=LAB, **params):
    at = new_app(actor, **params)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("role", list(ACTORS))
def test_stored_run_shows_recommendation_table_and_charts_for_every_role(lab_db, role):
    at = _open(ACTORS[role])
    assert "small reaches 97%" in at.success[0].value
    labels = [m.label for m in at.metric]
    shown = labels[labels.index("Quality kept"):][:4]
    assert shown[:2] == ["Quality kept", "Cost vs best"]
    assert re.fullmatch(r"Recommended: \$ per (1,000|1M|1B|1T)", shown[2]) and shown[3] == "Best" + shown[2][11:]
    table = at.dataframe[-1].value
    assert list(table["name"]) == ["small", "big", "broken", TODAY]
    assert list(table["role"]) == ["recommended", "best", "", "today"]
    charts = at.get("plotly_chart")
    assert len(charts) == 2 and '"type":"log"' in charts[0].proto.spec.replace(" ", "")
    assert (len(at.get("file_uploader")) > 0) == (role in ("team_lead", "admin"))


def test_viewer_and_finance_get_no_upload_run_or_adopt(lab_db):
    for actor in (VIEWER, ACTORS["finance"]):
        at = _open(actor)
        assert not at.get("file_uploader")
        assert not [b for b in at.button if b.label.startswith(("Run", "Adopt"))]


def test_team_lead_adopts_and_sees_savings_measured_against_todays_model(lab_db):
    at = _open(LEAD_RETAIL)
    metrics = {m.label: m.value for m in at.metric}
    # the fixture's usage volume is the demo's; the costs are the run's: $400 → $10 per 1M
    assert metrics["Projected annual savings"].startswith("$")
    assert metrics["Today → candidate, per 1,000"] == "$0.400 → $0.0100"
    low, high = metrics["Range"].split(" – ")
    assert low.startswith("$") and high.startswith("$")
    said = " ".join(m.value for m in at.markdown)
    assert f"Today's model ({TODAY}), measured in this run on cloud-cpu-4" in said and "cancels out of the saving" in said
    next(b for b in at.button if b.label == "Adopt small").click().run()
    assert not at.exception
    assert "Adopted for" in at.success[-1].value and "measured against today's model" in at.success[-1].value
    page = _open(LEAD_RETAIL, "pages/initiative.py", initiative=lab_db)
    assert "Adopted right-size savings" in [s.value for s in page.subheader]


def test_the_lab_opens_on_this_years_measured_savings_with_every_adoption_listed(lab_db, app_db):
    import datetime as dt

    from core.models.adoption import adopt_recommendation, list_adoptions
    from ui.formatting import money

    store = Store.open(app_db)
    try:
        run_id = store.scalar("SELECT max(id) FROM benchmark_run")
        adopt_recommendation(store, LEAD_RETAIL, run_id, "small", lab_db)
        adopted = list_adoptions(store)
    finally:
        store.close()
    year = dt.date.today().year
    measured = [a for a in adopted if a["basis"] == "measured" and a["adopted_at"].startswith(str(year))]
    assert len(measured) >= 1
    at = _open(VIEWER)  # everyone reads it, one click from the landing page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"Measured savings adopted in {year}"] == money(sum(a["annual_savings"] for a in measured))
    assert metrics[f"Adoptions in {year}"] == str(len(adopted))
    listed = at.dataframe[0].value
    assert len(listed) == len(adopted) and set(listed["basis"]) <= {"measured", "not measurable"}


def test_without_todays_model_the_page_says_what_a_saving_would_cover_instead_of_one(lab_db, app_db):
    store = Store.open(app_db)
    try:
        workload = save_workload(store, LEAD_RETAIL, "Vendor-served", CSV_BYTES + b"\n", file_name="v.csv",
                                 business_unit="RETAIL", initiative=lab_db)
        record_run(store, LEAD_RETAIL, workload.id, LabConfig(), hand_report(today_cost_per_1m_usd=None))
    finally:
        store.close()
    at = _open(LEAD_RETAIL, workload=str(workload.id))
    assert next(m for m in at.metric if m.label == "Projected annual savings").value == "not measurable"
    assert "no production model version with an ONNX file" in at.warning[-1].value
    assert any(c.value.startswith("What a saving would cover") for c in at.caption)


def test_a_workload_linked_to_no_initiative_cannot_be_adopted(app_db):
    store = Store.open(app_db)
    try:
        workload = save_workload(store, LEAD_RETAIL, "Unlinked", CSV_BYTES, file_name="u.csv", business_unit="RETAIL")
        record_run(store, LEAD_RETAIL, workload.id, LabConfig(), hand_report())
    finally:
        store.close()
    at = _open(LEAD_RETAIL, workload=str(workload.id))
    assert any("not linked to an initiative" in i.value for i in at.info)
    assert not [b for b in at.button if b.label.startswith("Adopt")]


def test_lead_of_another_unit_cannot_adopt_for_retail(lab_db):
    at = _open(LEAD_OPS)
    assert not [b for b in at.button if b.label.startswith("Adopt")]
    assert any("Adopting needs a team lead" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "Run the lab"]  # the workload is RETAIL's


def test_registry_lists_the_adopted_version_and_admin_approves_it(lab_db, app_db):
    from core.models.adoption import adopt_recommendation
    from ui.store import reset_store

    store = Store.open(app_db)
    run_id = store.scalar("SELECT max(id) FROM benchmark_run")  # the fixture's run (the demo has one too)
    adopt_recommendation(store, LEAD_RETAIL, run_id, "small", lab_db)
    store.close()
    reset_store()
    viewer = _open(VIEWER, REGISTRY)
    assert "Model Registry" in viewer.title[0].value
    assert not [b for b in viewer.button if b.label.startswith("Mark")]
    assert len(viewer.get("download_button")) == 1
    at = _open(ADMIN, REGISTRY)
    assert [b.label for b in at.button if b.label.startswith("Mark")] == ["Mark approved", "Mark retired"]
    next(b for b in at.button if b.label == "Mark approved").click().run()
    assert not at.exception
    assert [b.label for b in at.button if b.label.startswith("Mark")] == ["Mark production", "Mark retired"]


def test_bad_workload_upload_shows_an_error_not_an_exception(app_db):
    at = _open(LEAD_RETAIL)
    at.get("file_uploader")[0].upload("broken.parquet", b"PAR1 this is not parquet").run()
    assert not at.exception
    assert "broken.parquet was not stored" in at.error[0].value and "nothing was saved" in at.error[0].value


def test_team_lead_uploads_and_runs_the_quick_ladder(app_db):
    from sklearn.datasets import load_breast_cancer

    csv = load_breast_cancer(as_frame=True).frame.iloc[:300].to_csv(index=False).encode()
    at = _open(LEAD_RETAIL)
    at.get("file_uploader")[0].upload("cancer.csv", csv, "text/csv").run()
    assert not at.exception
    assert next(s for s in at.selectbox if s.label.startswith("Target column")).value == "target"
    assert any("classification" in c.value for c in at.caption)
    next(t for t in at.toggle if t.label.startswith("Quick ladder")).set_value(True).run()
    next(b for b in at.button if b.label == "Run the lab").click().run(timeout=120)
    assert not at.exception, at.exception
    assert at.success and "best" in at.success[0].value
    assert len(at.get("plotly_chart")) == 2


def test_tiny_costs_are_written_out_not_in_scientific_notation(app_db):
    store = Store.open(app_db)
    try:
        workload = save_workload(store, LEAD_RETAIL, "Tiny", CSV_BYTES, file_name="tiny.csv", business_unit="RETAIL")
        record_run(store, LEAD_RETAIL, workload.id, LabConfig(), hand_report(1.5e-5, 1.24e-4))
    finally:
        store.close()
    at = _open(LEAD_RETAIL)
    costs = {m.label: m.value for m in at.metric}
    # $0.000015 per 1M inferences reads as "$0.0150 per 1B", both tiles on that one scale
    assert costs["Recommended: $ per 1B"] == "$0.0150" and costs["Best: $ per 1B"] == "$0.124"


def test_registering_a_model_is_offered_to_team_leads_and_admins_only(app_db):
    for actor, offered in ((VIEWER, False), (ACTORS["finance"], False), (LEAD_RETAIL, True), (ADMIN, True)):
        at = _open(actor, REGISTRY)
        toggles = [t for t in at.toggle if t.label == "Register an ONNX model trained elsewhere"]
        assert bool(toggles) == offered
    toggles[0].set_value(True).run()
    assert not at.exception
    assert [b.label for b in at.button if b.label == "Register as candidate"]
    assert {s.label for s in at.selectbox} >= {"Initiative", "Task"}


def test_frontier_marks_todays_model_and_a_candidate_holding_two_roles():
    import pandas as pd

    from ui.charts.rightsize import frontier_figure

    table = pd.DataFrame({
        "name": ["today", "small", "big"], "status": "ok", "cost_per_1m_usd": [4e-4, 1e-5, 2e-4],
        "quality": [0.95, 0.94, 0.96], "ci_low": [0.93, 0.92, 0.94], "ci_high": [0.97, 0.96, 0.98],
        "frontier": [False, True, True], "role": ["today", "recommended", "best"]})
    names = [trace.name for trace in frontier_figure(table, "ROC AUC", "cloud-cpu-4").data]
    assert names == ["Candidates", "Frontier", "Today's model", "Best", "Recommended"]
    table["role"] = ["today", "", "recommended, best"]
    marked = {trace.name: list(trace.text) for trace in frontier_figure(table, "ROC AUC", "cloud-cpu-4").data}
    assert marked["Best"] == marked["Recommended"] == ["big"] and marked["Today's model"] == ["today"]
