"""The price book edited as a table, and re-pricing usage from a date: before/after totals first,
then one audited transaction that rewrites only book-priced rows and keeps the rollup exact."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from core.errors import PermissionDenied, ValidationError
from core.finance import price_book
from core.ingest import import_upload
from core.portfolio.usage import rebuild_usage_rollup
from tests.conftest import ADMIN, FINANCE, LEAD_RETAIL, VIEWER, rolled_back_write

PRICES = (b"model,provider,valid_from,input_usd_per_1m,output_usd_per_1m\n"
          b"acme-llm,acme,2026-01-01,1.00,2.00\n")
# two book-priced rows (January, February) and one the file priced
USAGE = (b"ts,initiative,model,requests,input_tokens,output_tokens,cost_usd\n"
         b"2026-01-15 10:00:00,A,acme-llm,1,1000,1000,\n"
         b"2026-02-10 10:00:00,A,acme-llm,1,2000,1000,\n"
         b"2026-02-11 10:00:00,A,acme-llm,1,2000,1000,0.5\n")


@pytest.fixture
def priced(tiny_store):
    assert import_upload(tiny_store, FINANCE, "prices", "p.csv", PRICES, dry_run=False).status == "imported"
    result = import_upload(tiny_store, ADMIN, "usage", "u.csv", USAGE, dry_run=False)
    assert result.status == "imported", result.problems
    return tiny_store


def _costs(store):
    return [r[0] for r in store.rows("SELECT cost_usd FROM usage_event ORDER BY ts")]


def _add_february_price(store, actor=FINANCE):
    shown = price_book.list_prices(store)
    rows = [*shown, {"model": "acme-llm", "provider": "acme", "valid_from": "2026-02-01",
                     "input_usd_per_1m": "0.50", "output_usd_per_1m": "1.00"}]
    return price_book.save_prices(store, actor, rows, shown=shown)


def test_only_book_priced_rows_record_that_the_book_priced_them(priced):
    assert [r[0] for r in priced.rows("SELECT cost_from_book FROM usage_event ORDER BY ts")] == [True, True, False]


def test_saving_a_new_price_changes_no_cost_until_re_priced(priced):
    before = _costs(priced)
    changes = _add_february_price(priced)
    assert [row["valid_from"] for row in changes.added] == [dt.date(2026, 2, 1)]
    assert price_book.earliest_change(changes) == dt.date(2026, 2, 1)
    assert _costs(priced) == before
    event = priced.one("SELECT action, detail FROM audit_event ORDER BY id DESC LIMIT 1")
    assert event[0] == "prices.edit" and json.loads(event[1])["added"] == ["acme-llm from 2026-02-01"]


def test_the_preview_shows_before_and_after_and_writes_nothing(priced):
    _add_february_price(priced)
    revision = priced.revision
    preview = price_book.preview_repricing(priced, "2026-02-01")
    # February's book row: (2000 × 1.00 + 1000 × 2.00) / 1M → (2000 × 0.50 + 1000 × 1.00) / 1M
    assert (preview.rows, preview.before_usd, preview.after_usd) == (1, Decimal("0.004"), Decimal("0.002"))
    assert preview.file_priced_rows == 1 and not preview.applied
    assert priced.revision == revision


def test_re_pricing_rewrites_book_rows_from_the_date_and_the_rollup_equals_a_rebuild(priced):
    _add_february_price(priced)
    preview = price_book.preview_repricing(priced, "2026-02-01")
    applied = price_book.reprice_from(priced, FINANCE, "2026-02-01", expected_before_usd=preview.before_usd,
                                      expected_rows=preview.rows)
    assert applied.applied and applied.after_usd == Decimal("0.002")
    # January (before the date) and the file's own 0.5 stay as imported
    assert _costs(priced) == [Decimal("0.003"), Decimal("0.002"), Decimal("0.5")]
    rollup = priced.rows("SELECT * FROM usage_monthly ORDER BY ALL")
    rebuilt = rolled_back_write(priced, lambda cur: (rebuild_usage_rollup(cur),
                                                     cur.execute("SELECT * FROM usage_monthly ORDER BY ALL").fetchall())[1])
    assert rebuilt == rollup
    action, detail = priced.one("SELECT action, detail FROM audit_event ORDER BY id DESC LIMIT 1")
    detail = json.loads(detail)
    assert action == "prices.reprice"
    assert (detail["from_date"], detail["rows"], detail["before_usd"], detail["after_usd"]) == (
        "2026-02-01", 1, "0.00400000", "0.00200000")


def test_re_pricing_refuses_a_row_the_book_no_longer_prices(priced):
    shown = price_book.list_prices(priced)
    later = [{**shown[0], "valid_from": "2026-02-01"}]  # the January price is gone
    price_book.save_prices(priced, FINANCE, later, shown=shown)
    before = _costs(priced)
    with pytest.raises(ValidationError, match="no price is valid for acme-llm from 2026-01-15"):
        price_book.reprice_from(priced, FINANCE, "2026-01-01")
    assert _costs(priced) == before


def test_re_pricing_refuses_when_the_usage_moved_since_the_preview(priced):
    _add_february_price(priced)
    preview = price_book.preview_repricing(priced, "2026-02-01")
    more = b"ts,initiative,model,requests,input_tokens,output_tokens\n2026-02-20 10:00:00,A,acme-llm,1,10,10\n"
    assert import_upload(priced, ADMIN, "usage", "more.csv", more, dry_run=False).status == "imported"
    before = _costs(priced)
    with pytest.raises(ValidationError, match="changed since the preview"):
        price_book.reprice_from(priced, FINANCE, "2026-02-01", expected_rows=preview.rows,
                                expected_before_usd=preview.before_usd)
    assert _costs(priced) == before


def test_nothing_to_re_price_writes_nothing(priced):
    events = priced.scalar("SELECT count(*) FROM audit_event")
    report = price_book.reprice_from(priced, FINANCE, "2026-03-01")
    assert report.rows == 0 and not report.applied
    assert priced.scalar("SELECT count(*) FROM audit_event") == events


@pytest.mark.parametrize("actor", [VIEWER, LEAD_RETAIL])
def test_only_finance_and_admins_edit_prices_and_re_price(priced, actor):
    shown = price_book.list_prices(priced)
    with pytest.raises(PermissionDenied):
        price_book.save_prices(priced, actor, [], shown=shown)
    with pytest.raises(PermissionDenied):
        price_book.reprice_from(priced, actor, "2026-01-01")
    assert len(price_book.list_prices(priced)) == 1


def test_every_bad_cell_is_named_and_nothing_is_saved(priced):
    shown = price_book.list_prices(priced)
    rows = [*shown,
            {"model": "x", "provider": "acme", "valid_from": "01/02/2026", "input_usd_per_1m": "-1",
             "output_usd_per_1m": "abc"},
            {"model": "", "provider": "", "valid_from": None, "input_usd_per_1m": None, "output_usd_per_1m": None},
            {**shown[0], "input_usd_per_1m": "0.1234567"}]
    with pytest.raises(ValidationError) as error:
        price_book.save_prices(priced, FINANCE, rows, shown=shown)
    message = str(error.value)
    assert "row 2 (x 01/02/2026), valid_from: expected a date as YYYY-MM-DD, got '01/02/2026'" in message
    assert "row 2 (x 01/02/2026), input_usd_per_1m: expected a number ≥ 0, got -1" in message
    assert "row 2 (x 01/02/2026), output_usd_per_1m: expected a number, got 'abc'" in message
    assert "row 4 (acme-llm 2026-01-01), input_usd_per_1m: expected at most 6 decimal places" in message
    assert "nothing was changed" in message
    assert price_book.list_prices(priced) == shown


def test_a_price_twice_is_refused(priced):
    shown = price_book.list_prices(priced)
    with pytest.raises(ValidationError, match=r"row 2 \(acme-llm from 2026-01-01\) repeats row 1"):
        price_book.save_prices(priced, FINANCE, [*shown, dict(shown[0])], shown=shown)


def test_a_save_over_someone_elses_change_is_refused(priced):
    stale = price_book.list_prices(priced)
    _add_february_price(priced, ADMIN)
    mine = [{**stale[0], "input_usd_per_1m": "0.9"}]
    with pytest.raises(ValidationError, match="changed by someone else.*added acme-llm from 2026-02-01"):
        price_book.save_prices(priced, FINANCE, mine, shown=stale)
    assert len(price_book.list_prices(priced)) == 2
