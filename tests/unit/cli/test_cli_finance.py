"""``factory roi``, ``factory costs`` and ``factory export board-pack``: JSON and exit codes."""

from __future__ import annotations

import json

import openpyxl
import pytest

from core.cli import main


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_roi_json_has_the_documented_keys(demo_db_path, capsys):
    code, out, _ = run(capsys, "roi", "--db", str(demo_db_path), "--json")
    assert code == 0
    payload = json.loads(out)
    assert {"scope", "npv", "irr", "roi", "payback_month", "total_cost", "total_benefit", "currency"} <= set(payload)
    assert payload["scope"] == "portfolio" and payload["currency"] == "USD"


def test_roi_of_one_initiative_and_one_business_unit(demo_db_path, capsys):
    code, out, _ = run(capsys, "roi", "--db", str(demo_db_path), "--initiative", "VCA-01", "--horizon", "all",
                       "--discount-rate", "8%", "--json")
    assert code == 0 and json.loads(out)["scope"] == "initiative:VCA-01"
    assert json.loads(out)["discount_rate"] == pytest.approx(0.08)
    code, out, _ = run(capsys, "roi", "--db", str(demo_db_path), "--business-unit", "RETAIL")
    assert code == 0 and "NPV (baseline, 10 %, all months):" in out


@pytest.mark.parametrize("args, words", [
    (["roi", "--initiative", "ZZ-99"], "no initiative with code 'ZZ-99'"),
    (["roi", "--business-unit", "NOPE"], "no business unit with code 'NOPE'"),
    (["roi", "--db", "/nonexistent/f.duckdb"], "No database"),
    (["costs", "--db", "/nonexistent/f.duckdb"], "No database"),
    (["export", "board-pack", "--out", "x.csv"], "ending in .xlsx"),
    (["export", "board-pack", "--out", "p.xlsx", "--scope", "bu:NOPE"], "no business unit"),
    (["export", "board-pack", "--out", "p.xlsx", "--as", "exec"], "may not export"),
    (["export", "board-pack", "--out", "p.xlsx", "--scenario", "Nope"], "no saved scenario named 'Nope'"),
    (["export", "board-pack", "--out", "p.xlsx", "--vendor-price-change=-95%"], "out of range"),
    (["roi", "--volume-growth", "60%"], "out of range"),
])
def test_bad_input_exits_2_with_one_line(demo_db_path, tmp_path, capsys, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    if "--db" not in args:
        args = [*args, "--db", str(demo_db_path)]
    code, _, err = run(capsys, *args)
    assert code == 2
    assert words in err and len(err.strip().splitlines()) == 1


def test_bad_discount_rate_exits_2(demo_db_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["roi", "--db", str(demo_db_path), "--discount-rate", "lots"])
    assert exit_info.value.code == 2
    assert "expected an annual rate" in capsys.readouterr().err


def test_costs_by_source_and_initiative(demo_db_path, capsys):
    code, out, _ = run(capsys, "costs", "--db", str(demo_db_path), "--json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload["by_source"]) == {"usage", "focus_allocated", "focus_unallocated"}
    assert payload["by_source"]["usage"] > 0
    assert sum(r["usage"] for r in payload["by_initiative"]) == pytest.approx(payload["by_source"]["usage"], rel=1e-9)


def test_costs_json_reconciles_focus_with_usage(demo_db_path, capsys):
    """The reconciliation's segments add up to each source: usage in the FOCUS months (+ the
    usage outside them = all usage) and the FOCUS bill (= allocated + unallocated)."""
    code, out, _ = run(capsys, "costs", "--db", str(demo_db_path), "--json")
    assert code == 0
    payload = json.loads(out)
    recon, by_source = payload["reconciliation"], payload["by_source"]
    assert set(recon) == {"months", "usage", "focus_billed", "both", "usage_only_cloud", "usage_only_edge",
                          "focus_only", "unallocated", "usage_outside_focus_months"}
    assert recon["both"] > 0 and recon["unallocated"] == by_source["focus_unallocated"]
    assert recon["both"] + recon["usage_only_cloud"] + recon["usage_only_edge"] == pytest.approx(recon["usage"], abs=0.05)
    assert recon["both"] + recon["focus_only"] + recon["unallocated"] == pytest.approx(recon["focus_billed"], abs=0.05)
    assert recon["focus_billed"] == pytest.approx(by_source["focus_allocated"] + by_source["focus_unallocated"], abs=0.05)
    assert recon["usage"] + recon["usage_outside_focus_months"] == pytest.approx(by_source["usage"], abs=0.05)


def test_export_board_pack_writes_an_xlsx(demo_db_path, tmp_path, capsys):
    out = tmp_path / "pack.xlsx"
    code, printed, _ = run(capsys, "export", "board-pack", "--out", str(out), "--scope", "bu:RETAIL",
                           "--db", str(demo_db_path))
    assert code == 0 and "Wrote" in printed
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"


def test_roi_json_labels_its_npv_as_the_baseline(demo_db_path, capsys):
    code, out, _ = run(capsys, "roi", "--db", str(demo_db_path), "--json", "--horizon", "24m")
    payload = json.loads(out)
    assert code == 0 and payload["npv_label"] == "NPV (baseline, 10 %, 24m)" and "scenario" not in payload


def test_roi_with_knobs_adds_the_baseline_vs_scenario_figures(demo_db_path, capsys):
    code, out, _ = run(capsys, "roi", "--db", str(demo_db_path), "--json", "--vendor-price-change=-90%",
                       "--volume-growth", "0.02", "--benefits-scale-with-volume")
    assert code == 0
    shown = json.loads(out)["scenario"]
    assert shown["name"] is None
    assert shown["knobs"] == {"vendor_price_change": -0.9, "volume_growth_monthly": 0.02,
                              "benefits_scale_with_volume": True, "adopt_rightsize": False, "forward_months": 12}
    assert shown["baseline"]["npv_label"] == "Baseline NPV (+12 months)"
    assert shown["scenario"]["npv_label"] == "Scenario NPV (+12 months)"
    assert shown["scenario"]["npv"] > shown["baseline"]["npv"]  # cheaper vendors, more volume and value


def _saved(demo_db_path, name, **knobs):
    from core.finance.roi import RoiScope
    from core.finance.scenarios import ScenarioConfig, save_scenario
    from core.store import Store
    from tests.conftest import FINANCE

    store = Store.open(demo_db_path)
    save_scenario(store, FINANCE, name, RoiScope(), ScenarioConfig(**knobs))
    store.close()


def _scenario_sheet(path):
    sheet = openpyxl.load_workbook(path)["Scenario"]
    return sheet["A2"].value, {row[0]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}


def test_export_board_pack_with_a_saved_scenario_and_an_override(demo_db_path, tmp_path, capsys):
    _saved(demo_db_path, "DeepSeek crash", vendor_price_change=-0.9, adopt_rightsize=True)
    out = tmp_path / "pack.xlsx"
    code, _, _ = run(capsys, "export", "board-pack", "--out", str(out), "--scenario", "DeepSeek crash",
                     "--db", str(demo_db_path))
    title, knobs = _scenario_sheet(out)
    assert code == 0 and title == "Saved scenario: DeepSeek crash"
    assert knobs["Vendor price change"] == pytest.approx(-0.9) and knobs["Right-size savings"] == "on"
    code, _, _ = run(capsys, "export", "board-pack", "--out", str(out), "--scenario", "DeepSeek crash",
                     "--volume-growth", "3%", "--no-adopt-rightsize", "--db", str(demo_db_path))
    title, knobs = _scenario_sheet(out)
    assert code == 0 and title == "Saved scenario: DeepSeek crash (knobs changed since loading)"
    assert knobs["Vendor price change"] == pytest.approx(-0.9) and knobs["Volume growth per month"] == pytest.approx(0.03)
    assert knobs["Right-size savings"] == "off"
