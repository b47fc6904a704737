"""Two-proportion Z-test ("z").

What it measures
    Whether the share of one level differs between the windows. As in Evidently, levels
    are sorted and the test compares the share of values *other than the first level*
    (a binary column: the share of its second level)::

        p_ref = x_ref / n_ref,   p_cur = x_cur / n_cur,   P = (x_ref + x_cur) / (n_ref + n_cur)
        z = (p_ref - p_cur) / sqrt(P (1 - P) (1/n_ref + 1/n_cur))
        p = 2 · (1 - Φ(|z|))                       (two-sided, normal approximation)

When it is used (Evidently's automatic choice)
    At most 1000 non-missing reference values and at most 2 distinct values (numeric or
    categorical). With more levels (by override) it tests "first level vs the rest".

Threshold
    A significance level: drift when ``p < threshold`` (default 0.05).

Edge case
    The same single level in both windows (P = 0, the formula is 0/0): z = 0 and p = 1,
    as Evidently does.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats


def z_test(reference_counts: np.ndarray, current_counts: np.ndarray) -> tuple[float, float]:
    """Return ``(z, p_value)`` for counts aligned on the sorted union of levels."""
    ref = np.asarray(reference_counts, dtype=np.float64)
    cur = np.asarray(current_counts, dtype=np.float64)
    n_ref, n_cur = float(ref.sum()), float(cur.sum())
    x_ref, x_cur = n_ref - ref[0], n_cur - cur[0]
    pooled = (x_ref + x_cur) / (n_ref + n_cur)
    if pooled <= 0.0 or pooled >= 1.0:
        return 0.0, 1.0
    z = (x_ref / n_ref - x_cur / n_cur) / math.sqrt(pooled * (1 - pooled) * (1 / n_ref + 1 / n_cur))
    # sf(|z|) rather than 1 - cdf(|z|): the same value, without cancellation for large |z|.
    return float(z), float(2.0 * stats.norm.sf(abs(z)))
