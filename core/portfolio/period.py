"""The reporting date of a store, and which months of it are complete.

Everything "to date" is measured up to the reporting date (``as_of_date``). Rates (cost per
1,000, spikes, the unit-cost-rising flag, run rates) stop earlier, at the last *complete*
month (``complete_months_end``): a month still running, or one the books have not reached,
would compare a few days with whole months. ``open_month`` says which months of usage are
partial, for the charts that show them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.store import Store

#: How far ahead of the clock a usage timestamp may be and still be accepted: machines'
#: clocks drift, so a call logged "now" by a fast clock is not usage from the future.
FUTURE_TOLERANCE = dt.timedelta(hours=1)


def as_of_date(store: Store) -> dt.date:
    """Last day of the latest month that has actual financial lines (today if none).

    Data-driven rather than ``date.today()``, so a demo or an archived store reads the same
    whenever it is opened, and "stalled for six months" means six months of the data.

    It costs one query (``max(month)`` over ``financial_line``), so an entry point (a page
    render, a CLI command) computes it once and passes it down: every read function that
    measures "to date" takes ``as_of: dt.date | None = None`` and calls this only when given
    None.
    """
    latest = store.scalar("SELECT max(month) FROM financial_line WHERE scenario = 'actual'")
    if latest is None:
        return dt.date.today()
    return _month_end(latest)


def utc_now() -> dt.datetime:
    """The clock, in UTC without a zone (as ``usage_event.ts`` is stored). The one place the
    period rules read it, so a test can set it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def latest_allowed_ts(now: dt.datetime | None = None) -> dt.datetime:
    """The latest usage timestamp an import accepts: ``now + FUTURE_TOLERANCE`` (UTC)."""
    return (utc_now() if now is None else now) + FUTURE_TOLERANCE


def complete_months_end(as_of: dt.date, now: dt.datetime | None = None) -> dt.date:
    """Last day of the last complete month: ``min(as_of, last day of the month before now's)``.

    The rule: a month is complete when it has ended (UTC) AND it is not after the reporting
    month (``as_of``'s month, the latest with financial actuals). Every other month — the
    month still running, or any month after the reporting month — is partial: its usage is
    kept and shown, marked partial, but left out of every rate (cost per 1,000 and per 1M
    tokens, spikes, the unit-cost-rising flag, the Unit Costs tiles, scenario run rates).
    A pure function of ``as_of`` and the clock: no query.
    """
    now = utc_now() if now is None else now
    before_this_month = now.date().replace(day=1) - dt.timedelta(days=1)
    return min(as_of, before_this_month)


@dataclass(frozen=True)
class OpenMonthResult:
    """Usage after the last complete month: shown marked partial, left out of rates."""

    month: dt.date             # first day of the first partial month (the month after complete_through)
    last_month: dt.date        # first day of the latest month with usage
    through: dt.date           # date of the latest usage timestamp
    complete_through: dt.date  # last day of the last complete month (``complete_months_end``)


def open_month(store: Store, as_of: dt.date | None = None, *, now: dt.datetime | None = None) -> OpenMonthResult | None:
    """The partial months of usage (rule: ``complete_months_end``), or None when every month
    with usage is complete.

    One query on the ``usage_monthly`` rollup; only when it finds usage after the last
    complete month, a second one finds the latest timestamp, for "partial: through 3 Dec".
    """
    as_of = as_of_date(store) if as_of is None else as_of
    end = complete_months_end(as_of, now)
    last_month = store.scalar("SELECT max(month) FROM usage_monthly")
    if last_month is None or last_month <= end:
        return None
    first = end + dt.timedelta(days=1)
    # usage_event's row groups carry min/max ts (zonemaps), so only those holding rows of
    # the partial months are read, not the whole fact table
    latest = store.scalar("SELECT max(ts) FROM usage_event WHERE ts >= ?", [dt.datetime.combine(first, dt.time())])
    through = latest.date() if latest is not None else _month_end(last_month)
    return OpenMonthResult(month=first, last_month=last_month, through=through, complete_through=end)


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])
