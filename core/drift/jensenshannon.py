"""Jensen–Shannon distance between the level (or bin) shares of the two windows ("jensenshannon").

What it measures
    With ``r`` and ``c`` the shares of each level (or histogram bin) in the reference and
    current windows, ``m = (r + c) / 2`` and natural logarithms::

        JS = sqrt( (KL(r ‖ m) + KL(c ‖ m)) / 2 ),   0 ≤ JS ≤ sqrt(ln 2) ≈ 0.833

    exactly ``scipy.spatial.distance.jensenshannon(r, c)``. Levels present in only one
    window are included with share 0 on the other side (no epsilon is needed).

When it is used (Evidently's automatic choice)
    More than 1000 non-missing reference values and either a categorical column or a
    numeric column with at most 5 distinct values.

How a column becomes shares (Evidently's ``get_binned_data``)
    Categorical columns, and numeric columns with at most 20 distinct reference values:
    each value is a level. Numeric columns with more than 20 distinct reference values:
    a histogram with Sturges' bins over the range of both windows together.

Threshold
    A distance: drift when ``JS >= threshold`` (default 0.1).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import distance


def jensenshannon_distance(reference_counts: np.ndarray, current_counts: np.ndarray) -> tuple[float, None]:
    """Return ``(JS, None)`` for counts aligned on the same levels or bins."""
    ref = np.asarray(reference_counts, dtype=np.float64)
    cur = np.asarray(current_counts, dtype=np.float64)
    value = float(distance.jensenshannon(ref / ref.sum(), cur / cur.sum()))
    # Identical shares can come out as NaN from sqrt of a tiny negative rounding error.
    return (0.0 if np.isnan(value) else value), None
