"""Usage and charges dated after now are refused, row and column named, nothing written; a
timestamp within the clock-skew tolerance is accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from core.ingest import import_upload
from core.portfolio.period import FUTURE_TOLERANCE, utc_now
from tests.conftest import ADMIN, FINANCE
from tests.unit.ingest.conftest import counts

HEADER = "ts,initiative,model,requests,cost_usd"


def _usage(*stamps: dt.datetime) -> bytes:
    rows = [f"{ts:%Y-%m-%d %H:%M:%S},COA-01,gbm,10,0.10" for ts in stamps]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.mark.parametrize("fast", [True, False])
def test_a_usage_file_with_one_future_row_is_rejected_naming_that_row_and_writes_nothing(store, fast):
    now = utc_now()
    tomorrow = now + dt.timedelta(days=1)
    data = _usage(now - dt.timedelta(days=2), now - dt.timedelta(days=1), tomorrow, now - dt.timedelta(hours=3))
    before, revision = counts(store), store.revision
    for dry_run in (True, False):
        result = import_upload(store, ADMIN, "usage", "u.csv", data, dry_run=dry_run, fast=fast)
        assert result.status == "rejected" and result.rows_added == 0
        assert [(p.row, p.column) for p in result.problems] == [(4, "ts")]  # header = row 1
        problem = result.problems[0]
        assert f"dated {tomorrow:%Y-%m-%d %H:%M:%S} UTC" in problem.message
        assert f"today is {now:%Y-%m-%d}" in problem.message
        assert "fix it" in problem.hint and "remove the row" in problem.hint
        assert "nothing was saved" in result.summary()
    assert counts(store) == before and store.revision == revision


def test_a_timestamp_within_the_clock_skew_tolerance_is_accepted_and_beyond_it_refused(store):
    now = utc_now()
    ahead = _usage(now + FUTURE_TOLERANCE / 2)
    assert import_upload(store, ADMIN, "usage", "u.csv", ahead, dry_run=False).status == "imported"
    beyond = _usage(now + FUTURE_TOLERANCE + dt.timedelta(minutes=5))
    assert import_upload(store, ADMIN, "usage", "v.csv", beyond, dry_run=False).status == "rejected"


def test_a_focus_charge_starting_in_the_future_is_rejected_naming_its_row(store):
    start = utc_now() + dt.timedelta(days=2)
    header = ("BilledCost,BillingAccountId,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,ChargeCategory,"
              "ChargePeriodEnd,ChargePeriodStart,EffectiveCost,InvoiceIssuerName,ListCost,ContractedCost,"
              "ProviderName,PublisherName,ServiceCategory,ServiceName")
    row = "1.5,1,USD,2026-02-01,2026-01-01,Usage,{end},{start},1.5,I,1.5,1.5,P,P,Compute,S"
    data = "\n".join([header, row.format(end="2026-01-02", start="2026-01-01"),
                      row.format(end=f"{start + dt.timedelta(hours=1):%Y-%m-%d %H:%M:%S}",
                                 start=f"{start:%Y-%m-%d %H:%M:%S}")]).encode() + b"\n"
    before = counts(store)
    result = import_upload(store, FINANCE, "focus", "f.csv", data, dry_run=False)
    assert result.status == "rejected"
    assert [(p.row, p.column) for p in result.problems] == [(3, "ChargePeriodStart")]
    assert "in the future" in result.problems[0].message and "charge is recorded" in result.problems[0].hint
    assert counts(store) == before
