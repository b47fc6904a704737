"""URL-bound pickers follow every choice: the widget, the page content and ``st.query_params``.

The regression these guard against: the Initiative and Drift pickers ignored every second
choice (strictly alternating) because the widget was rebuilt from the query parameter on each
rerun. A run of picks — second, third, then the first option again — must each take effect.
"""

from __future__ import annotations

import pytest

from core.drift.queries import monitored_models
from core.portfolio.initiative import initiative_choices
from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ACTORS, LEAD_RETAIL

INITIATIVE = "pages/initiative.py"
DRIFT = "pages/drift.py"


def _open(page, actor=ACTORS["viewer"], **params):
    at = new_app(actor, **params)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _picker(at, label):
    [picker] = [s for s in at.selectbox if s.label == label]
    return picker


def _pick(at, label, value):
    _picker(at, label).select(value).run()
    assert not at.exception, at.exception


def _read(app_db, query):
    store = Store.open(app_db)
    try:
        return query(store)
    finally:
        store.close()


def test_initiative_picker_follows_every_choice(app_db):
    names = dict(_read(app_db, initiative_choices))
    first, second, third = list(names)[:3]
    at = _open(INITIATIVE, initiative=first)
    assert at.title[0].value == names[first]
    for code in (second, third, first):
        _pick(at, "Initiative", code)
        assert _picker(at, "Initiative").value == code
        assert at.title[0].value == names[code], f"picked {code}, the page shows {at.title[0].value}"
        assert at.query_params["initiative"] == code


def test_drift_model_picker_follows_every_choice(app_db):
    models = {model_id: name for model_id, name, _ in _read(app_db, monitored_models)}
    first, second, third = list(models)[:3]
    at = _open(DRIFT, model=str(first))
    assert at.subheader[0].value.startswith(models[first])
    for model_id in (second, third, first):
        _pick(at, "Model", model_id)
        assert _picker(at, "Model").value == model_id
        assert at.subheader[0].value.startswith(models[model_id] + " "), at.subheader[0].value
        assert at.query_params["model"] == str(model_id)


def test_a_picker_opened_without_a_link_writes_the_first_choice_to_the_url(app_db):
    models = [model_id for model_id, _, _ in _read(app_db, monitored_models)]
    at = _open(DRIFT)
    assert "model" not in at.query_params
    _pick(at, "Model", models[1])
    assert at.query_params["model"] == str(models[1])
    _pick(at, "Model", models[2])
    assert at.query_params["model"] == str(models[2])


def test_a_link_changed_from_outside_moves_the_picker(app_db):
    """The Portfolio's headline tiles rewrite the URL: the Stage filter must follow them,
    not write its old value back."""
    at = _open("pages/portfolio.py")
    next(b for b in at.button if b.label == "Pilots").click().run()
    assert not at.exception, at.exception
    assert at.query_params.get("stage") == "pilot"
    assert next(m for m in at.multiselect if m.label == "Stage").value == ["pilot"]
    next(b for b in at.button if b.label == "Cut candidates").click().run()
    assert "stage" not in at.query_params and at.query_params["verdict"] == "Cut"
    assert next(m for m in at.multiselect if m.label == "Stage").value == []


@pytest.mark.parametrize("page, param, raw", [
    (INITIATIVE, "initiative", "'; DROP TABLE initiative; --"),
    (INITIATIVE, "initiative", "ZZ-99"),
    (DRIFT, "model", "99999"),
    ("pages/roi_review.py", "horizon", "forever"),
    ("pages/unit_costs.py", "dim", "galaxy"),
    ("pages/unit_costs.py", "serving", "moon"),
    ("pages/unit_costs.py", "model", "no-such-model"),
    ("pages/spend.py", "period", "forever"),
    ("pages/portfolio.py", "flag", "<b>bogus</b>"),
])
def test_an_invalid_link_value_falls_back_to_the_default_with_a_note(app_db, page, param, raw):
    at = _open(page, **{param: raw})
    assert at.warning and f"`{param}`" in at.warning[0].value
    assert "<b>" not in at.warning[0].value  # the link's text is shown literally, never as markup


@pytest.mark.parametrize("page, label, params, first, second", [
    ("pages/roi_review.py", "Scope", {}, "bu:RETAIL", "initiative:VCA-01"),
    ("pages/roi_review.py", "Horizon", {}, "12m", "24m"),
    ("pages/unit_costs.py", "Break down by", {}, "hardware", "model"),
    ("pages/unit_costs.py", "Where it runs", {}, "edge", "vendor_api"),
    ("pages/spend.py", "Period", {}, "12m", "24m"),
    ("pages/portfolio.py", "Flag", {}, "no_kpi", None),
])
def test_other_url_pickers_follow_two_choices_in_a_row(app_db, page, label, params, first, second):
    at = _open(page, **params)
    for value in (first, second):
        _pick(at, label, value)
        assert _picker(at, label).value == value


def test_lab_workload_picker_keeps_the_link_and_resets_the_run(app_db):
    from core.lab.workloads import save_workload
    from tests.unit.lab.lab_fixtures import distinct_csv

    def two_workloads(store):
        return [save_workload(store, LEAD_RETAIL, name, distinct_csv(name), file_name=f"{name}.csv",
                              business_unit="RETAIL").id for name in ("one", "two")]

    ids = _read(app_db, two_workloads)
    at = _open("pages/rightsize_lab.py", LEAD_RETAIL, workload=str(ids[0]))
    assert _picker(at, "Workload").value == ids[0]
    for workload_id in (ids[1], ids[0], ids[1]):
        _pick(at, "Workload", workload_id)
        assert _picker(at, "Workload").value == workload_id
        assert at.query_params["workload"] == str(workload_id)
