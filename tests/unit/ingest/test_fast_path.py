"""The typed CSV fast path and the text path (``fast=False``) agree: same problems for a file
with one bad row, same typed values for a clean file, and a clean file never needs the text path."""

from __future__ import annotations

import re

import pytest

import core.ingest.pipeline as pipeline
from core.ingest import import_upload
from tests.conftest import ADMIN, LEAD_OPS
from tests.unit.ingest.conftest import OF_IMPORT, counts

HEADER = "ts,initiative,model,requests,input_tokens,output_tokens,latency_ms,cost_usd,location,hardware"
GOOD_ROW = "2026-01-05 10:00:00,COA-01,gbm,1,0,0,6.5,0.0144,cloud,cloud-cpu-4"

# one bad cell or row (row 3 of the file) -> a word its problem must contain
BAD_ROWS = {
    "cost N/A": ("2026-01-05 10:00:01,COA-01,gbm,1,0,0,6.5,N/A,cloud,x", "'n/a'"),
    "fractional count": ("2026-01-05 10:00:01,COA-01,gbm,1.5,0,0,6.5,0.1,cloud,x", "whole number"),
    "negative tokens": ("2026-01-05 10:00:01,COA-01,gbm,1,-4,0,6.5,0.1,cloud,x", "≥ 0"),
    "NaN latency": ("2026-01-05 10:00:01,COA-01,gbm,1,0,0,NaN,0.1,cloud,x", "finite"),
    "overflow": ("2026-01-05 10:00:01,COA-01,gbm,1,0,0,1e309,0.1,cloud,x", "finite"),
    "month 13": ("2026-13-05 10:00:01,COA-01,gbm,1,0,0,6.5,0.1,cloud,x", "iso 8601"),
    "two-digit year": ("26-01-05 10:00:01,COA-01,gbm,1,0,0,6.5,0.1,cloud,x", "iso 8601"),
    "epoch word": ("epoch,COA-01,gbm,1,0,0,6.5,0.1,cloud,x", "iso 8601"),
    "infinity word": ("infinity,COA-01,gbm,1,0,0,6.5,0.1,cloud,x", "iso 8601"),
    "offset in a whole-second file": ("2026-01-05 10:00:01+02,COA-01,gbm,1,0,0,6.5,0.1,moon,x", "cloud, edge"),
    "padded model": ("2026-01-05 10:00:01,COA-01, gbm,1,0,0,6.5,0.1,moon,x", "cloud, edge"),
    "hardware too long": ("2026-01-05 10:00:01,COA-01,gbm,1,0,0,6.5,0.1,cloud," + "h" * 121, "120"),
    "US date": ("01/05/2026,COA-01,gbm,1,0,0,6.5,0.1,cloud,x", "iso 8601"),
    "too many decimals": ("2026-01-05 10:00:01,COA-01,gbm,1,0,0,6.5,0.123456789,cloud,x", "decimal places"),
    "thousands": ('2026-01-05 10:00:01,COA-01,gbm,1,0,0,"1,234.5",0.1,cloud,x', "thousands"),
    "bad location": ("2026-01-05 10:00:01,COA-01,gbm,1,0,0,6.5,0.1,moon,x", "cloud, edge"),
    "empty ts": (",COA-01,gbm,1,0,0,6.5,0.1,cloud,x", "required"),
    "too many cells": ("2026-01-05 10:00:01,COA-01,gbm,1,0,0,6.5,0.1,cloud,x,extra", None),
    "unknown initiative": ("2026-01-05 10:00:01,ZZZ-99,gbm,1,0,0,6.5,0.1,cloud,x", "unknown initiative"),
    "zero requests": ("2026-01-05 10:00:01,COA-01,gbm,0,0,0,6.5,0.1,cloud,x", "at least 1 request"),
    "dated in the future": ("2099-01-05 10:00:01,COA-01,gbm,1,0,0,6.5,0.1,cloud,x", "in the future"),
}


@pytest.fixture
def text_calls(monkeypatch) -> list:
    """The text path's ``build_typed`` calls during the test (empty: the fast path sufficed)."""
    calls = []
    original = pipeline.build_typed
    monkeypatch.setattr(pipeline, "build_typed", lambda *a: (calls.append(a), original(*a))[1])
    return calls


def _file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _both(store, data: bytes, actor=ADMIN, **kw):
    """(fast result, text result) as comparable tuples, both dry runs on the same store."""
    out = []
    for fast in (True, False):
        try:
            result = import_upload(store, actor, "usage", "u.csv", data, fast=fast, **kw)
        except Exception as error:  # an unreadable file must fail the same way on both paths
            out.append(("error", type(error).__name__, re.sub(r"[0-9a-f]{32}", "<staged>", str(error))))
            continue
        out.append((result.status, result.problem_count, result.rows_rejected,
                    [p.as_dict() for p in result.problems], result.notes))
    return out


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_fast_path_and_fallback_give_the_same_problems_for_one_bad_row(store, case):
    bad, word = BAD_ROWS[case]
    before = counts(store)
    for dry_run in (True, False):
        fast, text = _both(store, _file(GOOD_ROW, bad, GOOD_ROW.replace(":00,", ":02,", 1)), dry_run=dry_run)
        assert fast == text
        if word is not None:
            status, count, rejected, problems, _notes = fast
            assert status == "rejected" and count == 1 and rejected == 1
            assert problems[0]["row"] == 3 and word in (problems[0]["message"] + problems[0]["hint"]).lower()
    assert counts(store) == before


def test_team_lead_scope_problem_is_the_same_on_both_paths(store):
    fast, text = _both(store, _file(GOOD_ROW), actor=LEAD_OPS)
    assert fast == text and fast[0] == "rejected" and "belongs to RETAIL" in fast[3][0]["message"]


def test_clean_file_uses_only_the_fast_path_and_types_values_like_the_text_path(store, text_calls):
    # every shape the number grammar takes (sign, whole number with a zero fraction, exponent,
    # leading point); padded numbers are refused (tests/security/test_case_05_wrong_column_types.py)
    rows = ["2026-01-05T10:00:00Z,COA-01,gbm,+3,7,1000,1.5e-8,0.00000001,Edge,a",
            "2026-01-05,COA-01,gpt-4o-mini,1.0,0,0,NULL,,cloud,b",
            "2026-01-05 23:59:59,COA-01,gpt-4o,2,100,20.00,,.5e1,CLOUD,c"]
    data = _file(*rows)
    text = import_upload(store, ADMIN, "usage", "u.csv", data, fast=False)
    text_calls.clear()  # that one was asked for; the fast path must not need it
    fast = import_upload(store, ADMIN, "usage", "u.csv", data)
    assert fast.status == text.status == "dry_run" and text_calls == []
    assert fast.preview.equals(text.preview)
    imported = import_upload(store, ADMIN, "usage", "u.csv", data, dry_run=False)
    assert imported.status == "imported" and text_calls == []


def test_offsets_and_fractions_fall_back_to_the_text_path_and_import(store, text_calls):
    data = _file("2026-01-05T10:00:00+01:00,COA-01,gbm,1,0,0,6.5,0.1,cloud,x",
                 "2026-01-05 10:00:00.5,COA-01,gbm,1,0,0,6.5,0.1,cloud,x")
    result = import_upload(store, ADMIN, "usage", "u.csv", data, dry_run=False)
    assert result.status == "imported" and len(text_calls) == 1


def test_padded_per_value_cells_fall_back_and_import_trimmed_like_the_text_path(store, text_calls):
    # initiative, model and hardware are checked once per distinct value on the fast load, raw;
    # a padded one sends the import to the text path, which trims it
    data = _file("2026-01-05 10:00:00,COA-01, gbm ,1,0,0,6.5,0.1,cloud, cpu ")
    result = import_upload(store, ADMIN, "usage", "u.csv", data, dry_run=False)
    assert result.status == "imported" and len(text_calls) == 1
    assert store.one(f"SELECT model, hardware FROM usage_event WHERE {OF_IMPORT}", [result.sha256]) == ("gbm", "cpu")


def test_mixed_timestamp_shapes_stay_on_the_fast_path_with_timestamps_read_as_text(store, text_calls):
    data = _file("2026-01-05 10:00:00,COA-01,gbm,1,0,0,6.5,0.1,cloud,x",
                 "2026-01-05T10:00:01Z,COA-01,gbm,1,0,0,6.5,0.1,cloud,x")
    result = import_upload(store, ADMIN, "usage", "u.csv", data, dry_run=False)
    assert result.status == "imported" and result.rows_added == 2 and text_calls == []


def test_a_duplicate_the_size_check_misses_is_still_caught_before_anything_is_written(store, tmp_path):
    # a file is hashed while it is imported when no earlier import had its size; the
    # transaction checks the hash before writing the ledger row
    path = tmp_path / "u.csv"
    path.write_bytes(_file(GOOD_ROW))
    first = import_upload(store, ADMIN, "usage", "u.csv", path, dry_run=False)
    assert store.scalar("SELECT size_bytes FROM import_ledger WHERE sha256 = ?", [first.sha256]) == path.stat().st_size
    with store.system_write(action="test") as cur:  # as if recorded with another size
        cur.execute("UPDATE import_ledger SET size_bytes = size_bytes + 1 WHERE sha256 = ?", [first.sha256])
    before = counts(store)
    again = import_upload(store, ADMIN, "usage", "u.csv", path, dry_run=False)
    assert again.status == "duplicate" and again.rows_added == 0 and counts(store) == before


def test_background_digest_is_the_files_sha256(tmp_path):
    import hashlib

    from core.store.intake import BackgroundDigest

    for data in (b"", b"a,b\n" * 100_000):
        path = tmp_path / "f.csv"
        path.write_bytes(data)
        digest = BackgroundDigest(path)
        path.unlink()  # the file is open already: deleting it cannot race the thread
        assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_path_imports_like_its_bytes(store, tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(_file(GOOD_ROW))
    result = import_upload(store, ADMIN, "usage", "u.csv", path, dry_run=False)
    assert result.status == "imported" and result.rows_added == 1
    again = import_upload(store, ADMIN, "usage", "u.csv", path.read_bytes(), dry_run=False)
    assert again.status == "duplicate" and again.sha256 == result.sha256
    assert path.exists() and not list((store.staging_dir / "uploads").iterdir())


def test_a_line_that_is_not_utf8_fails_the_same_way_on_both_paths(store):
    data = _file(GOOD_ROW) + b"2026-01-05 10:00:01,COA-01,gbm,1,0,0,6.5,0.1,cloud,\xff\xfe\n"
    fast, text = _both(store, data, dry_run=False)
    assert fast == text and fast[:2] == ("error", "IngestError")


def test_a_reader_error_inside_the_import_transaction_retries_on_the_text_path(store, monkeypatch):
    def broken(*_args):
        raise RuntimeError("typed reader failed")

    monkeypatch.setattr(pipeline, "build_typed_fast", broken)
    before = store.revision
    result = import_upload(store, ADMIN, "usage", "u.csv", _file(GOOD_ROW), dry_run=False)
    assert result.status == "imported" and result.rows_added == 1 and store.revision == before + 1


@pytest.mark.parametrize("fast", [True, False])
def test_empty_cells_take_the_documented_default_or_stay_unrecorded_on_both_paths(store, fast):
    header = HEADER + ",provider,operation,cached_input_tokens"
    data = (f"{header}\n2026-01-05 10:00:00,COA-01,gbm,,,,6.5,0.0144,,,,,\n"
            f"2026-01-05 10:00:01,COA-01,gbm,2,5,6,6.5,0.0144,edge,arm,acme,chat,3\n").encode()
    result = import_upload(store, ADMIN, "usage", "u.csv", data, dry_run=False, fast=fast)
    assert result.status == "imported" and result.rows_added == 2
    rows = store.rows(
        "SELECT requests, input_tokens, output_tokens, location, hardware, provider, operation, cached_input_tokens"
        f" FROM usage_event WHERE {OF_IMPORT} ORDER BY ts", [result.sha256])
    # provider and operation have no default: empty means "not recorded" (NULL)
    assert rows == [(1, 0, 0, "cloud", "unspecified", None, None, 0),
                    (2, 5, 6, "edge", "arm", "acme", "chat", 3)]


def test_a_real_import_rejected_by_a_kind_rule_writes_nothing_and_words_it_like_the_text_path(store):
    before = counts(store)
    data = _file(GOOD_ROW, GOOD_ROW.replace("COA-01", "ZZZ-99"))
    fast, text = _both(store, data, dry_run=False)
    assert fast == text and fast[0] == "rejected" and "unknown initiative ZZZ-99" in fast[3][0]["message"]
    lead_fast, lead_text = _both(store, _file(GOOD_ROW), actor=LEAD_OPS, dry_run=False)
    assert lead_fast == lead_text and "belongs to RETAIL" in lead_fast[3][0]["message"]
    assert counts(store) == before


def test_a_fast_import_keeps_the_rollup_the_group_by_of_the_facts(store):
    rows = [GOOD_ROW, "2026-02-05 10:00:00,COA-01,gpt-4o-mini,3,1000,200,,,edge,x"]
    assert import_upload(store, ADMIN, "usage", "u.csv", _file(*rows), dry_run=False).status == "imported"
    rollup = store.rows("SELECT * EXCLUDE (latency_ms_sum) FROM usage_monthly ORDER BY ALL")
    oracle = store.rows(
        "SELECT date_trunc('month', ts)::DATE, initiative, model, location, hardware, count(*), sum(requests),"
        " sum(input_tokens), sum(output_tokens), sum(cost_usd)::DECIMAL(18, 6),"
        " coalesce(sum(CASE WHEN latency_ms IS NOT NULL THEN requests END), 0)"
        " FROM usage_event GROUP BY ALL ORDER BY ALL")
    assert rollup == oracle


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_fast_path_is_retried_only_for_a_timestamp_the_reader_refused(store, monkeypatch, dry_run):
    # mixed timestamp shapes: a second fast attempt with timestamps as text; a bad cell: straight
    # to the text path (a second fast read would only find it again)
    name = "build_typed_fast" if dry_run else "_load_fast"
    calls = []
    original = getattr(pipeline, name)
    monkeypatch.setattr(pipeline, name, lambda *a: (calls.append(1), original(*a))[1])
    mixed = _file(GOOD_ROW, "2026-01-05T10:00:01Z,COA-01,gbm,1,0,0,6.5,0.1,cloud,x")
    assert import_upload(store, ADMIN, "usage", "m.csv", mixed, dry_run=dry_run).status in ("dry_run", "imported")
    assert len(calls) == 2
    calls.clear()
    bad = _file(GOOD_ROW, "2026-01-05 10:00:01,COA-01,gbm,1,0,0,6.5,N/A,cloud,x")
    assert import_upload(store, ADMIN, "usage", "b.csv", bad, dry_run=dry_run).status == "rejected"
    assert len(calls) == 1
