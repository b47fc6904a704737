"""The Price Book page: finance previews a re-price (before/after, nothing written), applies it,
and every page reads the new costs; the editors open on the store's rows; roles without the
permission never see the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.finance import price_book
from core.ingest import import_upload
from tests.app.conftest import new_app
from tests.conftest import ACTORS, ADMIN, FINANCE
from ui import state
from ui.navigation import pages_for
from ui.store import get_store

PAGE = "pages/price_book.py"
# two calls of gpt-4o on 2026-11-02, no cost given: the book prices them at $2.50 / $10.00 per 1M
USAGE = (b"ts,initiative,model,requests,input_tokens,output_tokens\n"
         b"2026-11-02 10:00:00,{code},gpt-4o,1,1000000,100000\n"
         b"2026-11-02 11:00:00,{code},gpt-4o,1,1000000,100000\n")


@pytest.fixture
def book_priced(app_db):
    """The demo store plus two book-priced gpt-4o rows and a new gpt-4o price from 2026-11-01."""
    store = get_store()
    code = store.scalar("SELECT min(code) FROM initiative")
    result = import_upload(store, ADMIN, "usage", "u.csv", USAGE.replace(b"{code}", code.encode()), dry_run=False)
    assert result.status == "imported", result.problems
    shown = price_book.list_prices(store)
    price_book.save_prices(store, FINANCE, [*shown, {"model": "gpt-4o", "provider": "openai",
                                                     "valid_from": "2026-11-01", "input_usd_per_1m": "1.25",
                                                     "output_usd_per_1m": "5"}], shown=shown)
    return app_db


def _open(actor=FINANCE):
    at = new_app(actor)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _button(at, label_start: str):
    return next(b for b in at.button if b.label.startswith(label_start))


def _book_costs() -> list[Decimal]:
    return [r[0] for r in get_store().rows("SELECT cost_usd FROM usage_event WHERE cost_from_book ORDER BY ts")]


def test_preview_then_apply_re_pricing(book_priced):
    at = _open()
    at.date_input[0].set_value(dt.date(2026, 11, 1)).run()
    _button(at, "Preview re-pricing").click().run()
    assert not at.exception, at.exception
    tiles = {m.label: m.value for m in at.metric}
    # (1M × 2.50 + 100k × 10.00) / 1M = $3.50 a row → (1M × 1.25 + 100k × 5.00) / 1M = $1.75
    assert tiles == {"Rows to re-price": "2", "Cost now": "$7.00", "Cost after": "$3.50", "Change": "−$3.50"}
    assert _book_costs() == [Decimal("3.5"), Decimal("3.5")]
    _button(at, "Re-price 2 rows from 2026-11-01").click().run()
    assert not at.exception, at.exception
    assert "Re-priced 2 usage rows from 2026-11-01: $7.00 → $3.50." in at.success[0].value
    assert _book_costs() == [Decimal("1.75"), Decimal("1.75")]


def test_a_saved_price_sets_the_re_price_date(book_priced):
    at = _open()
    assert at.date_input[0].value == dt.date(2026, 11, 1)  # the newest valid_from in the book


def test_nothing_to_re_price_says_why(app_db):
    at = _open(ADMIN)
    at.date_input[0].set_value(dt.date(2026, 1, 1)).run()
    _button(at, "Preview re-pricing").click().run()
    assert any("Nothing to re-price" in info.value and "came with their own cost" in info.value for info in at.info)


def test_the_editors_open_on_the_store_rows_and_an_untouched_save_changes_nothing(app_db):
    at = _open()
    prices, profiles = at.dataframe  # the two editors (the re-price tab has no preview yet)
    assert len(prices.value) == 7 and set(prices.value["model"]) >= {"gpt-4o", "claude-haiku"}
    assert len(profiles.value) == 6
    at.button(key=f"{state.PRICES_EDITOR}.save").click().run()
    assert not at.exception, at.exception
    assert any("Nothing changed" in info.value for info in at.info)


@pytest.mark.parametrize("role", ["viewer", "team_lead"])
def test_roles_without_the_permission_do_not_get_the_page(role):
    assert PAGE not in {spec.path for spec in pages_for(ACTORS[role].role)}
