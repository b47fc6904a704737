"""Right-Size Lab and Model Registry pages: stored runs for every role, adopt, approve."""

from __future__ import annotations

import pytest

from core.rightsize.config import LabConfig
from core.lab.runs import record_run
from core.lab.workloads import save_workload
from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ACTORS, ADMIN, LEAD_OPS, LEAD_RETAIL, VIEWER
from tests.unit.lab.lab_fixtures import CSV_BYTES, hand_report

LAB = "pages/rightsize_lab.py"
REGISTRY = "pages/model_registry.py"


@pytest.fixture
def lab_db(app_db):
    """The demo store with one RETAIL workload and one stored (hand-built) run; yields a RETAIL
    initiative code that has usage in the last 12 months."""
    store = Store.open(app_db)
    try:
        workload = save_workload(store, LEAD_RETAIL, "Churn sample", CSV_BYTES, file_name="churn.csv",
                                 business_unit="RETAIL")
        record_run(store, LEAD_RETAIL, workload.id, LabConfig(), hand_report())
        code = store.scalar("SELECT i.code FROM initiative i JOIN usage_monthly u ON u.initiative = i.code "
                            "WHERE i.business_unit = 'RETAIL' GROUP BY i.code, i.name ORDER BY i.name LIMIT 1")
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
    assert [m.label for m in at.metric][:4] == ["Quality kept", "Cost vs best", "Recommended: $ per 1M",
                                               "Best: $ per 1M"]
    table = at.dataframe[-1].value
    assert list(table["name"]) == ["small", "big", "broken"]
    charts = at.get("plotly_chart")
    assert len(charts) == 2 and '"type":"log"' in charts[0].proto.spec.replace(" ", "")
    assert (len(at.get("file_uploader")) > 0) == (role in ("team_lead", "admin"))


def test_viewer_and_finance_get_no_upload_run_or_adopt(lab_db):
    for actor in (VIEWER, ACTORS["finance"]):
        at = _open(actor)
        assert not at.get("file_uploader")
        assert not [b for b in at.button if b.label.startswith(("Run", "Adopt"))]


def test_team_lead_adopts_and_sees_savings_on_the_initiative(lab_db):
    at = _open(LEAD_RETAIL)
    picker = next(s for s in at.selectbox if s.label == "Adopt for initiative")
    assert lab_db in picker.options or any(lab_db in str(o) for o in picker.options)
    picker.set_value(lab_db).run()
    savings = next(m for m in at.metric if m.label == "Projected annual savings")
    assert savings.value.startswith("$")
    # both costs per 1,000 beside the number, and what each one covers
    basis = next(c.value for c in at.caption if c.value.startswith("Today $"))
    assert "usage logs" in basis and "compute on" in basis and "upper bound" in basis
    next(b for b in at.button if b.label == "Adopt small").click().run()
    assert not at.exception
    assert "Adopted for" in at.success[-1].value
    page = _open(LEAD_RETAIL, "pages/initiative.py", initiative=lab_db)
    assert "Adopted right-size savings" in [s.value for s in page.subheader]


def test_lead_of_another_unit_cannot_adopt_for_retail(lab_db):
    at = _open(LEAD_OPS)
    picker = next(s for s in at.selectbox if s.label == "Adopt for initiative")
    assert lab_db not in picker.options
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


def test_adopting_defaults_to_the_initiative_the_workload_was_linked_to(app_db):
    store = Store.open(app_db)
    try:  # the RETAIL initiative with usage that sorts LAST: the default would otherwise be the first
        code = store.scalar("SELECT i.code FROM initiative i JOIN usage_monthly u ON u.initiative = i.code "
                            "WHERE i.business_unit = 'RETAIL' GROUP BY i.code, i.name ORDER BY i.name DESC LIMIT 1")
        workload = save_workload(store, LEAD_RETAIL, "Linked sample", CSV_BYTES, file_name="linked.csv",
                                 business_unit="RETAIL", initiative=code)
        record_run(store, LEAD_RETAIL, workload.id, LabConfig(), hand_report())
    finally:
        store.close()
    at = _open(LEAD_RETAIL)
    picker = next(s for s in at.selectbox if s.label == "Workload")
    assert code in picker.format_func(picker.value)  # the link is shown with the workload
    assert next(s for s in at.selectbox if s.label == "Adopt for initiative").value == code


def test_tiny_costs_are_written_out_not_in_scientific_notation(app_db):
    store = Store.open(app_db)
    try:
        workload = save_workload(store, LEAD_RETAIL, "Tiny", CSV_BYTES, file_name="tiny.csv", business_unit="RETAIL")
        record_run(store, LEAD_RETAIL, workload.id, LabConfig(), hand_report(1.5e-5, 1.24e-4))
    finally:
        store.close()
    at = _open(LEAD_RETAIL)
    costs = {m.label: m.value for m in at.metric}
    assert costs["Recommended: $ per 1M"] == "$0.0000150" and costs["Best: $ per 1M"] == "$0.000124"


def test_registering_a_model_is_offered_to_team_leads_and_admins_only(app_db):
    for actor, offered in ((VIEWER, False), (ACTORS["finance"], False), (LEAD_RETAIL, True), (ADMIN, True)):
        at = _open(actor, REGISTRY)
        toggles = [t for t in at.toggle if t.label == "Register an ONNX model trained elsewhere"]
        assert bool(toggles) == offered
    toggles[0].set_value(True).run()
    assert not at.exception
    assert [b.label for b in at.button if b.label == "Register as candidate"]
    assert {s.label for s in at.selectbox} >= {"Initiative", "Task"}
