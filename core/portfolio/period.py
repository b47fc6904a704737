"""The reporting date of a store: everything "to date" is measured up to it."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.store import Store


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
    return latest.replace(day=calendar.monthrange(latest.year, latest.month)[1])
