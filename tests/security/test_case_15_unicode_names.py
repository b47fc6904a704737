"""Case 15 — Unicode names and codes. Names (emoji, right-to-left text, zero-width joiners,
combining accents, homoglyphs) are stored exactly as given and shown as text (case 20 covers the
rendering); codes are ASCII by their pattern, so a homoglyph, an NFD accent or a zero-width
character in a code is refused, and two codes that differ only in letter case are one code:
``dup-01`` beside a stored ``DUP-01`` is refused naming the stored spelling, and a file holding
both is refused as a duplicate. Names never reach a path (case 3: files are staged by uuid)."""

from __future__ import annotations

import unicodedata

import pytest

from core.ingest import import_upload
from core.ingest.kinds import initiatives
from tests.conftest import ADMIN
from tests.security.upload_rows import USAGE, csv_bytes

NAMES = [
    "Churn 🚀 early warning",
    "تنبؤ الاحتيال",                                 # right to left
    "Family 👩‍👩‍👧 banking",                          # zero-width joiners inside an emoji
    unicodedata.normalize("NFD", "Crédit scoring"),  # combining accent (NFD)
    "Сhurn (Cyrillic С)",                            # homoglyph
]


def _initiative(code: str, name: str = "Churn early warning", business_unit: str = "RETAIL") -> dict:
    return {**initiatives.TEMPLATE_ROWS[0], "code": code, "name": name, "business_unit": business_unit}


def _import(store, rows, kind="initiatives", dry_run=False):
    return import_upload(store, ADMIN, kind, f"{kind}.csv", csv_bytes(rows), dry_run=dry_run)


def test_names_are_stored_exactly_as_given(demo_store):
    rows = [_initiative(f"UNI-{i:02d}", name) for i, name in enumerate(NAMES)]
    assert _import(demo_store, rows).status == "imported"
    stored = dict(demo_store.rows("SELECT code, name FROM initiative WHERE code LIKE 'UNI-%'"))
    assert [stored[f"UNI-{i:02d}"] for i in range(len(NAMES))] == NAMES  # byte for byte, NFD kept


@pytest.mark.parametrize("code", [
    "СOA-99",                     # Cyrillic С
    "COA\u200b-99",               # zero-width space
    unicodedata.normalize("NFD", "CÉ-99"),
    "COA 99", "../COA", "x" * 41,
])
def test_a_code_outside_the_ascii_pattern_is_refused(demo_store, code):
    result = _import(demo_store, [_initiative(code)], dry_run=True)
    assert result.status == "rejected"
    assert any(p.column == "code" and "expected a code" in p.message for p in result.problems), result.problems


def test_a_code_differing_only_in_case_from_a_stored_one_is_refused(demo_store):
    stored = demo_store.scalar("SELECT min(code) FROM initiative")
    before = demo_store.scalar("SELECT count(*) FROM initiative")
    result = _import(demo_store, [_initiative(stored.lower())])
    assert result.status == "rejected"
    [problem] = result.problems
    assert problem.column == "code"
    assert f"initiative code {stored.lower()} differs only in letter case from the existing {stored}" in problem.message
    assert f"Write it as {stored}" in problem.hint
    assert demo_store.scalar("SELECT count(*) FROM initiative") == before


def test_a_business_unit_differing_only_in_case_is_refused(demo_store):
    result = _import(demo_store, [_initiative("UNI-50", business_unit="retail")])
    assert result.status == "rejected"
    assert any("business unit retail differs only in letter case from the existing RETAIL" in p.message
               for p in result.problems), result.problems
    assert demo_store.scalar("SELECT count(*) FROM business_unit WHERE code = 'retail'") == 0


def test_two_spellings_of_one_code_in_a_file_are_a_duplicate(demo_store):
    result = _import(demo_store, [_initiative("DUP-01"), _initiative("dup-01")])
    assert result.status == "rejected"
    [problem] = result.problems
    assert problem.row == 3 and "duplicate initiative code dup-01 (first on row 2)" in problem.message


def test_usage_for_a_code_in_the_wrong_case_says_which_code_was_meant(demo_store):
    code = demo_store.scalar("SELECT min(code) FROM initiative")
    result = _import(demo_store, [{**USAGE, "initiative": code.lower()}], kind="usage")
    assert result.status == "rejected"
    assert any(f"unknown initiative {code.lower()} (1 row) — did you mean {code}?" in p.message
               for p in result.problems), result.problems
