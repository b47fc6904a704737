"""The price book in the store: prices imported as data, each usage row priced with its model's
price valid at the row's own timestamp, the dry run naming which price, and a new price never
rewriting imported costs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.ingest import import_upload
from tests.conftest import ADMIN, FINANCE, LEAD_RETAIL

PRICES = (b"model,provider,valid_from,input_usd_per_1m,output_usd_per_1m,cached_input_usd_per_1m,usd_per_request\n"
          b"acme-llm,acme,2026-01-01,1.00,2.00,,\n"
          b"acme-llm,acme,2026-02-01,0.50,1.00,0.10,0.001\n")
USAGE = (b"ts,initiative,model,requests,input_tokens,output_tokens,cached_input_tokens\n"
         b"2026-01-31 23:59:59,A,acme-llm,1,1000,1000,0\n"
         b"2026-02-01 00:00:00,A,acme-llm,2,1000,1000,400\n")


def _prices(store, data=PRICES, actor=FINANCE, dry_run=False):
    return import_upload(store, actor, "prices", "prices.csv", data, dry_run=dry_run)


def test_each_row_gets_the_price_valid_at_its_own_timestamp(tiny_store):
    assert _prices(tiny_store).status == "imported"
    preview = import_upload(tiny_store, ADMIN, "usage", "u.csv", USAGE, dry_run=True).preview.set_index("row")
    assert list(preview["cost_from"]) == ["price acme-llm from 2026-01-01", "price acme-llm from 2026-02-01"]
    result = import_upload(tiny_store, ADMIN, "usage", "u.csv", USAGE, dry_run=False)
    assert result.status == "imported", result.problems
    costs = [r[0] for r in tiny_store.rows("SELECT cost_usd FROM usage_event ORDER BY ts")]
    # January: (1000 × 1.00 + 1000 × 2.00) / 1M
    # February: ((1000 − 400) × 0.50 + 400 × 0.10 + 1000 × 1.00) / 1M + 2 requests × 0.001
    assert costs == [Decimal("0.003"), Decimal("0.00134") + Decimal("0.002")]
    assert tiny_store.scalar("SELECT sum(cost_usd) FROM usage_monthly") == sum(costs)


def test_a_row_before_the_first_price_is_refused_not_priced_at_zero(tiny_store):
    _prices(tiny_store)
    early = b"ts,initiative,model,input_tokens\n2025-12-31 10:00:00,A,acme-llm,10\n"
    result = import_upload(tiny_store, ADMIN, "usage", "u.csv", early, dry_run=False)
    assert result.status == "rejected"
    (problem,) = result.problems
    assert problem.message == "no cost_usd and no price for model acme-llm valid on 2025-12-31 (1 row)"
    assert "priced models: acme-llm" in problem.hint
    assert tiny_store.scalar("SELECT count(*) FROM usage_event") == 0


def test_a_new_store_has_no_prices_and_says_so(tiny_store):
    result = import_upload(tiny_store, ADMIN, "usage", "u.csv", USAGE, dry_run=True)
    assert result.status == "rejected" and "priced models: none yet" in result.problems[0].hint


def test_a_price_is_never_changed_in_place(tiny_store):
    _prices(tiny_store)
    import_upload(tiny_store, ADMIN, "usage", "u.csv", USAGE, dry_run=False)
    before = tiny_store.scalar("SELECT sum(cost_usd) FROM usage_event")
    again = b"model,provider,valid_from,input_usd_per_1m,output_usd_per_1m\nacme-llm,acme,2026-01-01,9,9\n"
    result = _prices(tiny_store, again, dry_run=False)
    assert result.status == "rejected"
    assert "already has a price for acme-llm from 2026-01-01" in result.problems[0].message
    later = b"model,provider,valid_from,input_usd_per_1m,output_usd_per_1m\nacme-llm,acme,2026-03-01,9,9\n"
    assert _prices(tiny_store, later).status == "imported"
    assert tiny_store.scalar("SELECT sum(cost_usd) FROM usage_event") == before   # imported costs stay


def test_prices_are_finance_and_admin_data(tiny_store):
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        _prices(tiny_store, actor=LEAD_RETAIL)
    assert _prices(tiny_store, actor=ADMIN, dry_run=True).status == "dry_run"
