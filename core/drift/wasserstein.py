"""Wasserstein distance normalised by the reference standard deviation ("wasserstein").

What it measures
    The first Wasserstein (earth mover's) distance between the two empirical
    distributions, divided by the reference spread so that it is unitless::

        W1 = ∫ |F_ref(x) - F_cur(x)| dx            (in the column's unit)
        statistic = W1 / max(std_ref, 0.001)       (std_ref = np.std(reference), ddof=0)

    A value of 0.1 means "the current mass had to move a tenth of a reference standard
    deviation on average".

When it is used (Evidently's automatic choice)
    Numeric columns with more than 1000 non-missing reference values and more than 5
    distinct values. Numeric columns only.

Threshold
    A distance: drift when ``statistic >= threshold`` (default 0.1).

Constant reference (std 0)
    Like Evidently, the divisor is floored at 0.001: a current window holding the same
    constant scores 0 (no drift); any other current window scores ``W1 / 0.001``, i.e.
    drift as soon as the mass moved by 0.0001 units or more.

Implementation
    Equal to ``scipy.stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)`` (the
    tests check it to 1e-6 relative), computed from sorted windows through the quantile
    functions instead of the CDFs — the same integral, without scipy's argsort and
    searchsorted over both windows::

        W1 = ∫₀¹ |Q_ref(t) - Q_cur(t)| dt,   Q(t) = sorted[ceil(t·n) - 1]

    Both quantile functions are step functions with steps at i/n and j/m; on the common
    grid k/(n·m) the steps are the multiples of m and of n, merged by a stable sort of two
    sorted runs (linear time). With n = m this is simply ``mean(|ref_sorted - cur_sorted|)``.
"""

from __future__ import annotations

import numpy as np

#: Evidently's floor for the reference standard deviation (column units).
MIN_STD = 0.001


def _sorted(values: np.ndarray) -> np.ndarray:
    # Windows arrive sorted from core.drift.windows; checking is O(n), sorting is not.
    if values.size > 1 and not np.all(values[1:] >= values[:-1]):
        return np.sort(values)
    return values


def wasserstein_1d(reference: np.ndarray, current: np.ndarray) -> float:
    """First Wasserstein distance ``∫ |F_ref - F_cur| dx`` of two non-empty float samples."""
    ref = _sorted(np.asarray(reference, dtype=np.float64))
    cur = _sorted(np.asarray(current, dtype=np.float64))
    n, m = ref.size, cur.size
    if n == m:
        return float(np.mean(np.abs(ref - cur)))
    # Step points of both quantile functions in units of 1/(n·m); n·m fits int64 for any
    # window that fits in memory.
    steps = np.sort(np.concatenate((np.arange(m, n * m + 1, m, dtype=np.int64),
                                    np.arange(n, n * m + 1, n, dtype=np.int64))), kind="stable")
    steps = steps[np.concatenate((steps[1:] != steps[:-1], [True]))]  # a shared step counts once
    widths = np.diff(steps, prepend=0)
    # On the interval ending at step s, Q_ref = ref[ceil(s/m) - 1] and Q_cur = cur[ceil(s/n) - 1].
    gaps = np.abs(ref[(steps - 1) // m] - cur[(steps - 1) // n])
    return float(np.dot(widths, gaps)) / (n * m)


def wasserstein_norm(reference: np.ndarray, current: np.ndarray) -> tuple[float, None]:
    """Return ``(W1 / max(std_ref, 0.001), None)``; a distance has no p-value."""
    norm = max(float(np.std(reference)), MIN_STD)
    return wasserstein_1d(reference, current) / norm, None
