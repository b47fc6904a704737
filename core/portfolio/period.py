"""The reporting date of a store: everything "to date" is measured up to it."""

from __future__ import annotations

import calendar
import datetime as dt


def as_of_date(store) -> dt.date:
    """Last day of the latest month that has actual financial lines (today if none).

    Data-driven rather than ``date.today()``, so a demo or an archived store reads the same
    whenever it is opened, and "stalled for six months" means six months of the data.
    """
    latest = store.scalar("SELECT max(month) FROM financial_line WHERE scenario = 'actual'")
    if latest is None:
        return dt.date.today()
    return latest.replace(day=calendar.monthrange(latest.year, latest.month)[1])


def months_between(earlier: dt.date, later: dt.date) -> float:
    """Elapsed months as days ÷ 30.4375 (the mean month length)."""
    return (later - earlier).days / 30.4375
