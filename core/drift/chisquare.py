"""Chi-squared goodness-of-fit of the current counts against the reference shares ("chisquare").

What it measures
    Over the union of levels seen in either window (missing values excluded), with
    ``o_i`` the current count of level i, ``r_i`` the reference count, and
    ``e_i = r_i · n_cur / n_ref`` the count expected if the current window kept the
    reference proportions::

        χ² = Σ_i (o_i - e_i)² / e_i,     p = P(χ²_{k-1} ≥ χ²)   (k = number of levels)

    This is Evidently's ``chisquare(current_freq, expected_from_reference)``, not a 2×k
    contingency test: the reference proportions are taken as known.

When it is used (Evidently's automatic choice)
    At most 1000 non-missing reference values, and either a categorical column with more
    than 2 levels or a numeric column with 3–5 distinct values (each value is a level).
    By override on any column: numeric values are then taken as levels.

Threshold
    A significance level: drift when ``p < threshold`` (default 0.05).

Edge cases (documented choices)
    - A level absent from the reference but present in the current window has ``e_i = 0``:
      χ² = inf and p = 0 (drift), as scipy returns.
    - A single level in both windows: the windows are identical, χ² = 0 and p = 1
      (scipy returns p = NaN for zero degrees of freedom).
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def chisquare_test(reference_counts: np.ndarray, current_counts: np.ndarray) -> tuple[float, float]:
    """Return ``(χ², p_value)`` for counts aligned on the union of levels.

    Both arrays have one entry per level (same order), non-negative, each with a
    positive total.
    """
    ref = np.asarray(reference_counts, dtype=np.float64)
    cur = np.asarray(current_counts, dtype=np.float64)
    if ref.size <= 1:
        return 0.0, 1.0
    expected = ref * (cur.sum() / ref.sum())
    if np.any((expected == 0) & (cur > 0)):
        return float("inf"), 0.0
    # Levels with e_i = 0 here also have o_i = 0 (0/0): they add nothing, as in the limit.
    seen = expected > 0
    statistic = float(np.sum((cur[seen] - expected[seen]) ** 2 / expected[seen]))
    return statistic, float(stats.chi2.sf(statistic, ref.size - 1))
