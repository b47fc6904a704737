"""`factory reprice` from the command line alone: a store from `factory init`, prices and usage
imported, a new price, the preview (nothing written), then --apply; `factory costs --json`
equals the hand-computed cost before and after."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ORG = Path(__file__).resolve().parents[2] / "data" / "good" / "small_org"
PASSWORD = "long-enough-pass"
PRICES = "model,provider,valid_from,input_usd_per_1m,output_usd_per_1m\nacme-llm,acme,2026-01-01,1.00,2.00\n"
NEW_PRICE = "model,provider,valid_from,input_usd_per_1m,output_usd_per_1m\nacme-llm,acme,2026-02-01,0.50,1.00\n"
# January: (1M × 1.00 + 1M × 2.00) / 1M = $3; February before: 2 × $3 = $6, after: 2 × $1.50 = $3
USAGE = ("ts,initiative,model,requests,input_tokens,output_tokens\n"
         "2026-01-20 10:00:00,A-01,acme-llm,1,1000000,1000000\n"
         "2026-02-02 10:00:00,A-01,acme-llm,1,1000000,1000000\n"
         "2026-02-03 10:00:00,B-01,acme-llm,1,1000000,1000000\n")


def factory(*args, stdin: str = "", code: int = 0):
    result = subprocess.run([sys.executable, "-m", "core.cli", *args], input=stdin, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == code, result.stderr
    return result


@pytest.fixture
def org(tmp_path) -> Path:
    db = tmp_path / "org.duckdb"
    factory("init", "--db", str(db), "--admin", "ada", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    factory("import", "initiatives", str(ORG / "initiatives.csv"), "--db", str(db))
    for name, text in (("prices.csv", PRICES), ("usage.csv", USAGE), ("new_price.csv", NEW_PRICE)):
        (tmp_path / name).write_text(text)
    factory("import", "prices", str(tmp_path / "prices.csv"), "--db", str(db))
    factory("import", "usage", str(tmp_path / "usage.csv"), "--db", str(db))
    factory("import", "prices", str(tmp_path / "new_price.csv"), "--db", str(db))
    return db


def _usage_cost(db) -> float:
    return json.loads(factory("costs", "--db", str(db), "--json").stdout)["by_source"]["usage"]


def test_preview_then_apply(org):
    assert _usage_cost(org) == 9.0  # the new price changed nothing yet
    preview = json.loads(factory("reprice", "--from", "2026-02-01", "--db", str(org), "--json").stdout)
    assert (preview["rows"], preview["before_usd"], preview["after_usd"], preview["applied"]) == (
        2, "6.00000000", "3.00000000", False)
    assert _usage_cost(org) == 9.0
    text = factory("reprice", "--from", "2026-02-01", "--db", str(org), "--apply").stdout
    assert text.startswith("Re-priced 2 book-priced usage rows from 2026-02-01: $6.00 → $3.00.")
    assert _usage_cost(org) == 6.0


def test_a_bad_date_is_one_line_and_exit_2(tmp_path):
    db = tmp_path / "new.duckdb"
    factory("init", "--db", str(db), "--admin", "ada", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    result = factory("reprice", "--from", "Feb 2026", "--db", str(db), "--apply", code=2)
    assert result.stderr.strip() == "factory reprice: re-price from: expected a date as YYYY-MM-DD, got 'Feb 2026'."
