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
    assert code == 0 and "NPV at 10.0%" in out


@pytest.mark.parametrize("args, words", [
    (["roi", "--initiative", "ZZ-99"], "no initiative with code 'ZZ-99'"),
    (["roi", "--business-unit", "NOPE"], "no business unit with code 'NOPE'"),
    (["roi", "--db", "/nonexistent/f.duckdb"], "No database"),
    (["costs", "--db", "/nonexistent/f.duckdb"], "No database"),
    (["export", "board-pack", "--out", "x.csv"], "ending in .xlsx"),
    (["export", "board-pack", "--out", "p.xlsx", "--scope", "bu:NOPE"], "no business unit"),
    (["export", "board-pack", "--out", "p.xlsx", "--as", "exec"], "may not export"),
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


def test_export_board_pack_writes_an_xlsx(demo_db_path, tmp_path, capsys):
    out = tmp_path / "pack.xlsx"
    code, printed, _ = run(capsys, "export", "board-pack", "--out", str(out), "--scope", "bu:RETAIL",
                           "--db", str(demo_db_path))
    assert code == 0 and "Wrote" in printed
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
