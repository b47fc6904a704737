"""Partial months are marked on the charts: shaded and labelled "partial: through DD Mon",
the line dashed from the last complete month, the bars hatched; complete months unmarked.
And the pages say so, with usage imported after the demo's reporting month."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from core.finance.unit_costs import summarise_unit_costs
from core.ingest import import_upload
from core.portfolio.period import OpenMonthResult, utc_now
from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ADMIN, ACTORS
from ui.charts.initiative import usage_figure
from ui.charts.unit_costs import unit_cost_figure

FEBRUARY_OPEN = OpenMonthResult(month=dt.date(2026, 2, 1), last_month=dt.date(2026, 2, 1),
                                through=dt.date(2026, 2, 14), complete_through=dt.date(2026, 1, 31))
MONTHS = pd.to_datetime(["2025-12-01", "2026-01-01", "2026-02-01"])


def _series(partial=(False, False, True)) -> pd.DataFrame:
    return pd.DataFrame({"month": MONTHS, "key": "A", "requests": [1_000_000, 1_000_000, 450_000],
                         "cost_usd": [90.0, 90.0, 5.4], "cost_per_1k_usd": [0.09, 0.09, 0.012],
                         "partial": list(partial)})


def _dates(xs) -> list[str]:
    return [pd.Timestamp(x).strftime("%Y-%m") for x in xs]


def test_the_unit_cost_chart_dashes_shades_and_labels_the_partial_month():
    fig = unit_cost_figure(_series(), "cost_per_1k_usd", "USD per 1,000", FEBRUARY_OPEN).to_dict()
    solid, dashed = fig["data"]
    assert _dates(solid["x"]) == ["2025-12", "2026-01"] and solid["line"].get("dash") is None
    assert _dates(dashed["x"]) == ["2026-01", "2026-02"] and dashed["line"]["dash"] == "dash"
    (band,) = fig["layout"]["shapes"]
    assert pd.Timestamp(band["x0"]) < pd.Timestamp("2026-02-01") < pd.Timestamp(band["x1"])
    assert pd.Timestamp(band["x0"]) > pd.Timestamp("2026-01-01")  # January, complete, is not shaded
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["partial: through 14 Feb"]


def test_the_initiative_usage_chart_hatches_the_partial_bar_and_dashes_its_cost():
    fig = usage_figure(_series().drop(columns="key"), FEBRUARY_OPEN).to_dict()
    bars, solid, dashed = fig["data"]
    assert list(bars["marker"]["pattern"]["shape"]) == ["", "", "/"]
    assert _dates(solid["x"]) == ["2025-12", "2026-01"] and dashed["line"]["dash"] == "dash"
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["partial: through 14 Feb"]


def test_complete_months_are_not_marked():
    fig = unit_cost_figure(_series(partial=(False, False, False)), "cost_per_1k_usd", "USD", None).to_dict()
    assert len(fig["data"]) == 1 and not fig["layout"].get("shapes") and not fig["layout"].get("annotations")


def test_unit_costs_and_initiative_pages_mark_usage_after_the_reporting_month(app_db):
    """The demo's books end in October 2026; usage of November and of today is kept and shown
    partial, and the tiles do not move."""
    today = utc_now() - dt.timedelta(hours=2)
    store = Store.open(app_db)  # before the app opens it (one process, one DuckDB instance)
    try:
        # the costliest initiative and model: a line the Unit Costs chart draws
        code, model = store.one("SELECT initiative, model FROM usage_monthly GROUP BY ALL ORDER BY sum(cost_usd) DESC")
        data = (f"ts,initiative,model,requests,cost_usd\n2026-11-05 10:00:00,{code},{model},100000,1.20\n"
                f"{today:%Y-%m-%d %H:%M:%S},{code},{model},50000,0.60\n").encode()
        before = summarise_unit_costs(store)
        assert import_upload(store, ADMIN, "usage", "late.csv", data, dry_run=False).status == "imported"
        assert summarise_unit_costs(store) == before  # the tiles: complete months only
    finally:
        store.close()
    at = new_app(ACTORS["finance"])
    at.run()
    at.switch_page("pages/unit_costs.py").run()
    assert not at.exception, at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [a["text"] for a in spec["layout"]["annotations"]] == [f"partial: through {today:%d %b}"]
    assert any("partial (usage through" in c.value and "left out of every rate" in c.value for c in at.caption)
    at = new_app(ACTORS["finance"], initiative=code)
    at.run()
    at.switch_page("pages/initiative.py").run()
    assert not at.exception, at.exception
    usage = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if '"Inferences"' in c.proto.spec)
    assert "/" in usage["data"][0]["marker"]["pattern"]["shape"]
    assert any("partial (usage through" in c.value for c in at.caption)
