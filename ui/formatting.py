"""Number formatting for executives: short money ($1.2M), percentages, days."""

from __future__ import annotations

import math


def money(value: float | None, currency: str = "$") -> str:
    """Three significant digits: $1.23M / $45.6k / $155M / $789; negative as −$1.2M."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sign = "−" if value < 0 else ""
    value = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= threshold:
            scaled = value / threshold
            digits = 0 if scaled >= 100 else (1 if scaled >= 10 else 2)
            return f"{sign}{currency}{scaled:,.{digits}f}{suffix}"
    return f"{sign}{currency}{value:,.0f}"


def percent(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:,.{digits}f}%"


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"
