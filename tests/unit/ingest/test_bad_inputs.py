"""One file per bad-input case under tests/data/bad/: rejected whole, with a message that says
what is wrong and how to fix it, and nothing written."""

from __future__ import annotations

import pytest

from tests.unit.ingest.conftest import DATA, check_bad_file, run_import

# file -> words every expected message contains (lower-cased comparison over message + hint);
# the files of security cases 5-7 (numbers, headers) are checked in their case files
CASES = {
    "usage_empty.csv": ["empty"],
    "usage_header_only.csv": ["no data rows"],
    "usage_mixed_dates.csv": ["iso 8601", "05/01/2026", "yyyy-mm-dd"],
    "usage_unknown_initiative.csv": ["unknown initiative zzz-99", "e.g. aat-01"],
    "usage_bad_location.csv": ["expected one of: cloud, edge", "moon"],
    "usage_unpriced_model.csv": ["no price for model my-private-llm", "gpt-4o"],
    "usage_future_row.csv": ["dated 2099-01-05 10:00:00 utc", "in the future", "today is", "wrong year"],
    "financials_duplicate_key_in_file.csv": ["duplicate line", "first on row 2"],
    "financials_duplicate_key_in_store.csv": ["already exists", "aat-01 2025-03 people cost plan"],
    "financials_bad_category.csv": ["expected one of: compute, inference, licences, people, data, value", "marketing"],
    "initiatives_production_without_kpi.csv": ["moving bff-01 from pilot to production needs a kpi",
                                               "missing: kpi_baseline, kpi_target", "or keep its current stage"],
    "initiatives_duplicate_code_in_file.csv": ["duplicate initiative code new-01", "first on row 2"],
    "initiatives_bad_stage.csv": ["expected one of: idea, pilot, production, scaled, retired", "hype"],
}


def test_every_bad_file_has_a_case():
    from tests.security.test_case_05_wrong_column_types import BAD_FILES as CASE_05
    from tests.security.test_case_06_schema_drift import BAD_FILES as CASE_06
    from tests.security.test_case_07_numeric_edges import BAD_FILES as CASE_07
    cases = [*CASES, *CASE_05, *CASE_06, *CASE_07]
    assert len(cases) == len(set(cases)), "a bad file is checked in one place"
    assert {p.name for p in (DATA / "bad").iterdir()} == set(cases)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_rejected_with_its_reason_and_writes_nothing(store, name):
    check_bad_file(store, name, CASES[name])


def test_problems_name_row_and_column(store):
    result = run_import(store, "usage", DATA / "bad" / "usage_mixed_dates.csv")
    assert [(p.row, p.column) for p in result.problems] == [(3, "ts"), (4, "ts")]
    assert result.rows_rejected == 2


def test_over_the_size_limit_is_refused_before_reading(store, tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"ts,initiative,model\n" + b"2026-01-05,COA-01,gbm\n" * 100_000)
    result = run_import(store, "usage", big, max_bytes=1024 * 1024)
    assert result.status == "rejected"
    assert "limit for usage files is 1 MB" in result.problems[0].message


def test_size_limit_is_configurable(store, tmp_path, monkeypatch):
    monkeypatch.setenv("FACTORY_MAX_UPLOAD_MB", "0.0001")
    path = DATA / "good" / "usage_mixed_time_zones.csv"
    assert run_import(store, "usage", path, dry_run=True).status == "rejected"
