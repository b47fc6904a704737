"""Population stability index ("psi").

What it measures
    With ``r_i`` and ``c_i`` the shares of level (or bin) i in the reference and current
    windows::

        PSI = Σ_i (r_i - c_i) · ln(r_i / c_i)

    A symmetric KL divergence; 0 for identical shares, unbounded above.

When it is used
    Never chosen automatically; available on any column by override (``--method col=psi``).
    Shares are formed as for Jensen–Shannon (Evidently's ``get_binned_data``): each value
    is a level for categorical columns and numeric columns with at most 20 distinct
    reference values, otherwise Sturges' histogram bins over both windows together.

Threshold
    Drift when ``PSI >= threshold`` (default 0.1; by common convention 0.1–0.25 is a
    moderate shift and above 0.25 a significant one).

Empty levels (epsilon)
    ln(0) is undefined, so each window's zero shares are replaced, as Evidently does, by
    ``1e-4``, or by ``s_min / 1e6`` when that window's smallest non-zero share ``s_min`` is
    itself at most ``1e-4``. Shares are not renormalised afterwards. A new category in
    the current window therefore adds ``(1e-4 - c_i) · ln(1e-4 / c_i)``.
"""

from __future__ import annotations

import numpy as np

#: Share given to an empty level unless the window has non-zero shares this small.
EMPTY_SHARE = 1e-4


def _fill_empty(shares: np.ndarray) -> np.ndarray:
    smallest = float(shares[shares > 0].min())
    fill = smallest / 1e6 if smallest <= EMPTY_SHARE else EMPTY_SHARE
    return np.where(shares == 0, fill, shares)


def population_stability_index(reference_counts: np.ndarray, current_counts: np.ndarray) -> tuple[float, None]:
    """Return ``(PSI, None)`` for counts aligned on the same levels or bins."""
    ref = np.asarray(reference_counts, dtype=np.float64)
    cur = np.asarray(current_counts, dtype=np.float64)
    ref_shares = _fill_empty(ref / ref.sum())
    cur_shares = _fill_empty(cur / cur.sum())
    return float(np.sum((ref_shares - cur_shares) * np.log(ref_shares / cur_shares))), None
