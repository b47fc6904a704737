"""Case 18 — SQL metacharacters in filters and sorts: ``' OR 1=1 --``, ``"; DROP TABLE …; --``,
``%``, ``_``, ``\\`` and sort keys such as ``cost; COPY (SELECT 1) TO '…'`` or
``(SELECT content FROM read_text('/etc/passwd'))``.

Values are bound as parameters, so a filter on a value with metacharacters returns exactly the
rows a literal match returns (there is no LIKE search anywhere: ``%`` and ``_`` are plain
characters); identifiers — the breakdown dimension, the only user-chosen "sort" or grouping key
in core — come only from allow-lists, so a payload there is refused; every table is intact
afterwards. Every URL-bound picker of the app is tried with the payloads through AppTest: the
page warns about the link and shows its default view, with no exception.

(Sorting a shown table by a column is the browser's: Streamlit's dataframe sorts client-side,
no sort key reaches the server.)"""

from __future__ import annotations

import pytest

from core.errors import CoreError, ValidationError
from core.finance.roi import parse_scope
from core.finance.spend import SpendFilter, spend_breakdown
from core.finance.unit_costs import UsageFilter, top_cost_drivers, unit_cost_series
from core.ingest import import_upload
from core.portfolio.summary import PortfolioFilter, initiative_table
from tests.app.conftest import new_app
from tests.conftest import ADMIN, VIEWER
from ui.store import get_store

PAYLOADS = ["' OR 1=1 --", '"; DROP TABLE initiative; --', "%", "_", "\\", "a%b", "a_b",
            "(SELECT content FROM read_text('/etc/passwd'))"]
TABLES = ("initiative", "business_unit", "financial_line", "usage_event", "usage_monthly", "import_ledger")
# model names the literal match must tell apart: "a%b" and "a_b" would match "aXb" as LIKE patterns
MODELS = {"a%b": 1.0, "a_b": 2.0, "aXb": 4.0, "a\\b": 8.0, "' OR 1=1 --": 16.0, "%": 32.0}


def _tables(store):
    return {table: store.scalar(f"SELECT count(*) FROM {table}") for table in TABLES}


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@pytest.fixture
def odd_models(demo_store):
    lines = ["ts,initiative,model,requests,cost_usd"] + [
        f"2026-03-15T10:00:00Z,COA-01,{_csv_cell(model)},10,{cost}" for model, cost in MODELS.items()]
    result = import_upload(demo_store, ADMIN, "usage", "odd.csv", ("\n".join(lines) + "\n").encode(), dry_run=False)
    assert result.status == "imported", result.problems
    return demo_store


@pytest.mark.parametrize("model", sorted(MODELS))
def test_a_model_filter_with_metacharacters_matches_literally(odd_models, model):
    series = unit_cost_series(odd_models, "model", 120, usage=UsageFilter(model=model))
    assert set(series["key"]) == {model}
    assert series["cost_usd"].sum() == pytest.approx(MODELS[model])
    oracle = odd_models.scalar("SELECT sum(cost_usd)::DOUBLE FROM usage_event WHERE model = ?", [model])
    assert series["cost_usd"].sum() == pytest.approx(oracle)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_value_filters_with_payloads_return_the_literal_match_and_change_nothing(demo_store, payload):
    before = _tables(demo_store)
    assert unit_cost_series(demo_store, "model", 120, usage=UsageFilter(model=payload)).empty
    assert spend_breakdown(demo_store, SpendFilter(business_units=(payload,))).total_usd == 0
    assert initiative_table(demo_store, PortfolioFilter(business_units=(payload,))).empty
    assert _tables(demo_store) == before


@pytest.mark.parametrize("payload", [*PAYLOADS, "cost; COPY (SELECT 1) TO '{marker}'", "initiative; DROP TABLE usage_monthly",
                                     "initiative --", "INITIATIVE", "model, (SELECT 1)"])
def test_identifier_payloads_are_refused_by_the_allow_lists(demo_store, tmp_path, payload):
    payload = payload.format(marker=tmp_path / "p")
    before = _tables(demo_store)
    with pytest.raises(ValidationError, match="choose one of"):
        unit_cost_series(demo_store, payload)
    with pytest.raises(ValidationError, match="choose one of"):
        top_cost_drivers(demo_store, payload)
    with pytest.raises(ValidationError, match="choose one of"):
        spend_breakdown(demo_store).breakdown(payload)
    with pytest.raises(ValidationError, match="choose one of|choose from"):
        UsageFilter(serving=payload)
    with pytest.raises(ValidationError, match="choose from"):
        SpendFilter(categories=(payload,))
    with pytest.raises(ValidationError):
        SpendFilter(period=payload)
    with pytest.raises(ValueError, match="allowed lists"):
        PortfolioFilter(stages=(payload,))
    with pytest.raises(CoreError, match="not valid|no business unit with code"):  # shape, then a bound lookup
        parse_scope(demo_store, f"bu:{payload}")
    assert _tables(demo_store) == before
    assert not (tmp_path / "p").exists()


# page → URL parameters that page binds (every url_* picker), each given the payload
URL_BOUND = {
    "pages/portfolio.py": ("bu", "stage", "kind", "flag", "verdict"),
    "pages/initiative.py": ("initiative",),
    "pages/spend.py": ("period", "bu", "category"),
    "pages/roi_review.py": ("scope", "horizon", "scenario", "price", "growth", "rate"),
    "pages/unit_costs.py": ("model", "serving", "dim"),
    "pages/model_registry.py": ("model",),
    "pages/drift.py": ("model",),
    "pages/rightsize_lab.py": ("workload", "run"),
}


@pytest.mark.parametrize("payload", ["' OR 1=1 --", '"; DROP TABLE initiative; --'])
@pytest.mark.parametrize("page", sorted(URL_BOUND))
def test_every_url_bound_picker_takes_a_payload_as_a_bad_link(app_db, page, payload):
    at = new_app(ADMIN, **{param: payload for param in URL_BOUND[page]})
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    warned = " ".join(w.value for w in at.warning)
    assert any(f"`{param}`" in warned for param in URL_BOUND[page]), warned
    store = get_store()  # the store the page used (one per process)
    assert store.path == app_db.resolve()
    assert store.scalar("SELECT count(*) FROM initiative") == 60
    assert store.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'initiative'") == 1


# moved from tests/app/test_pages.py
@pytest.mark.parametrize("raw", ["'; DROP TABLE initiative; --", "<script>alert(1)</script>", "ZZ-99"])
def test_malformed_initiative_link_gets_a_message(app_db, raw):
    at = new_app(VIEWER, initiative=raw)
    at.run()
    at.switch_page("pages/initiative.py").run()
    assert not at.exception
    assert at.warning, "expected a warning about the link"
    assert at.info[0].value.startswith("Choose an initiative")


# moved from tests/unit/finance/test_unit_costs.py (on the demo store instead of its hand-made one)
def test_dimension_outside_the_allow_list_is_refused(demo_store):
    with pytest.raises(ValidationError, match="choose one of"):
        unit_cost_series(demo_store, "model; DROP TABLE usage_monthly")
