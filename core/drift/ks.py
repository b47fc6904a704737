"""Two-sample Kolmogorov–Smirnov test ("ks").

What it measures
    The largest vertical gap between the two empirical distribution functions,
    ``D = max_x |F_ref(x) - F_cur(x)|`` (unitless, 0 ≤ D ≤ 1), and the two-sided p-value
    of "both windows come from the same continuous distribution".

When it is used (Evidently's automatic choice)
    Numeric columns with at most 1000 non-missing reference values and more than 5
    distinct values (reference and current together). Available on any numeric column
    by override.

Threshold
    A significance level: drift when ``p < threshold`` (default 0.05). Evidently writes
    ``p <= threshold`` for KS only; the two differ only when p equals the threshold exactly.

Implementation
    ``scipy.stats.ks_2samp`` in its default ``method="auto"`` (exact distribution up to
    10 000 values per window, asymptotic above), so the statistic and p-value are
    scipy's own. Both inputs are finite float arrays: missing values were dropped by the
    caller (see ``core.drift.windows``).
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def ks_test(reference: np.ndarray, current: np.ndarray) -> tuple[float, float]:
    """Return ``(D, p_value)`` of the two-sided two-sample KS test.

    ``reference`` and ``current`` are 1-D float arrays without NaN, each non-empty.
    Sorted input is welcome (the caller keeps windows sorted) but not required.
    """
    result = stats.ks_2samp(reference, current)
    return float(result.statistic), float(result.pvalue)
