"""Number formatting for executives: short money ($1.2M), percentages, months, counts, file sizes."""

from __future__ import annotations

import math


def money(value: float | None, currency: str = "$") -> str:
    """Three significant digits: $1.23M / $45.6k / $155M / $789; cents below $10 ($0.72, so a
    small measured saving never reads "$1"); negative as −$1.2M."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sign = "−" if value < 0 else ""
    value = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= threshold:
            scaled = value / threshold
            digits = 0 if scaled >= 100 else (1 if scaled >= 10 else 2)
            return f"{sign}{currency}{scaled:,.{digits}f}{suffix}"
    if 0 < value < 10:
        return f"{sign}{currency}{value:,.2f}"
    return f"{sign}{currency}{value:,.0f}"


def percent(value: float | None, digits: int = 0) -> str:
    """``12%``; "—" when there is no ratio: None (an ROI without cost), NaN or ±infinity
    (a ratio over zero never reads "inf%")."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value * 100:,.{digits}f}%"


def month(value, missing: str = "—") -> str:
    """A month as "Jul 2026" (``missing`` when None: e.g. "not within horizon" for a payback)."""
    return missing if value is None else f"{value:%b %Y}"


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,204 initiatives`` (``many`` for irregular plurals)."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def file_size(size_bytes: float | None) -> str:
    """Binary units, three significant digits: 243 B, 1.5 KB, 805 MB; unknown as —."""
    if size_bytes is None or (isinstance(size_bytes, float) and math.isnan(size_bytes)):
        return "—"
    value, unit = float(size_bytes), "B"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            break
        value /= 1024
    if unit == "B":
        return f"{value:.0f} B"
    return f"{value:.{0 if value >= 100 else (1 if value >= 10 else 2)}f} {unit}"


def unit_money(value: float | None, currency: str = "$") -> str:
    """A cost per unit, which may be far below a cent: four decimals from $0.01, else three
    significant digits written out ($0.0244, $0.00000123), never rounded to $0.0000."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if value == 0 or abs(value) >= 0.01:
        return f"{currency}{value:,.4f}"
    digits = 2 - math.floor(math.log10(abs(value)))  # decimals that keep 3 significant digits
    return f"{currency}{value:.{digits}f}"
