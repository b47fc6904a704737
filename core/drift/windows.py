"""The two windows of one column, fetched once and shaped for every method.

A column arrives as two Arrow arrays (reference, current). Missing values are dropped
from each window before any test and counted:

- numeric columns: null, NaN, +inf and -inf are missing (Evidently drops ±inf too, since
  no distance or CDF is defined with them); the rest is kept as a *sorted* float64 array,
  sorted once here because KS, Wasserstein, level counts and histogram counts all read
  sorted data in linear time;
- categorical columns: null is missing (an empty string is a level); values are counted
  per level with Arrow's hash-based ``value_counts``, never through Python row objects.

Methods then ask for ``values()`` (numeric arrays), ``level_counts()`` (counts over the
sorted union of levels) or ``binned_counts()`` (Evidently's ``get_binned_data``: numeric
columns with more than 20 distinct reference values become Sturges histogram bins over both
windows; everything else is level counts).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from core.drift.registry import CATEGORICAL, NUMERIC, DriftInputError

#: Evidently bins a numeric column when its reference window has more distinct values.
MAX_LEVELS_BEFORE_BINNING = 20


def _numeric_window(array: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    if not pa.types.is_floating(array.type):
        array = pc.cast(array, pa.float64())  # ints, decimals, bools: exact enough for a test
    # Nulls become NaN; a single chunk without nulls is read without a copy.
    values = np.asarray(array.to_numpy(), dtype=np.float64)
    ordered = np.sort(values)
    # Sorting puts -inf first and +inf, then NaN, last: the finite values are one slice.
    low = int(np.searchsorted(ordered, -np.inf, side="right"))
    high = int(np.searchsorted(ordered, np.inf, side="left"))
    return ordered[low:high], int(values.size - (high - low))


def _sorted_levels(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and their counts of an already sorted array, in O(n)."""
    if values.size == 0:
        return values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return values[starts], np.diff(np.append(starts, values.size))


def _categorical_window(array: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, int]:
    if pa.types.is_dictionary(array.type):
        array = pc.cast(array, array.type.value_type)
    if pa.types.is_floating(array.type):
        # NaN in a float column declared categorical is missing, like null.
        array = pc.if_else(pc.is_nan(array), pa.scalar(None, array.type), array)
    present = pc.drop_null(array)
    counted = pc.value_counts(present)
    levels = counted.field("values").to_numpy(zero_copy_only=False)
    counts = counted.field("counts").to_numpy(zero_copy_only=False).astype(np.int64)
    order = np.argsort(levels, kind="stable")
    return levels[order], counts[order], int(len(array) - len(present))


def _align(levels_a, counts_a, levels_b, counts_b) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts of both windows over the sorted union of their levels (0 where absent)."""
    levels = np.union1d(levels_a, levels_b)
    out_a = np.zeros(levels.size, dtype=np.int64)
    out_b = np.zeros(levels.size, dtype=np.int64)
    out_a[np.searchsorted(levels, levels_a)] = counts_a
    out_b[np.searchsorted(levels, levels_b)] = counts_b
    return levels, out_a, out_b


class ColumnWindows:
    """Reference and current windows of one column, missing values removed and counted."""

    def __init__(self, column: str, column_type: str, reference: pa.ChunkedArray, current: pa.ChunkedArray):
        self.column = column
        self.column_type = column_type
        if column_type == NUMERIC:
            self._ref_sorted, self.n_missing_reference = _numeric_window(reference)
            self._cur_sorted, self.n_missing_current = _numeric_window(current)
            self._ref_levels = self._cur_levels = None
        else:
            *self._ref_levels, self.n_missing_reference = _categorical_window(reference)
            *self._cur_levels, self.n_missing_current = _categorical_window(current)
        self.n_reference = len(reference) - self.n_missing_reference
        self.n_current = len(current) - self.n_missing_current

    @property
    def is_empty(self) -> bool:
        """True when either window has no non-missing value: nothing can be compared."""
        return self.n_reference == 0 or self.n_current == 0

    def values(self) -> tuple[np.ndarray, np.ndarray]:
        """Sorted finite float64 values of both windows (numeric columns only)."""
        if self.column_type != NUMERIC:
            raise DriftInputError(f"column `{self.column}` is categorical: it has no numeric values.")
        return self._ref_sorted, self._cur_sorted

    @cached_property
    def _aligned(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self.column_type == NUMERIC:
            ref = _sorted_levels(self._ref_sorted)
            cur = _sorted_levels(self._cur_sorted)
        else:
            ref, cur = self._ref_levels, self._cur_levels
        return _align(*ref, *cur)

    def level_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Counts per level over the sorted union of both windows' levels."""
        _, ref, cur = self._aligned
        return ref, cur

    def binned_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Evidently's ``get_binned_data``: Sturges bins for numeric columns with many levels.

        Bins are ``np.histogram_bin_edges(concat(ref, cur), bins="sturges")``; counts follow
        ``np.histogram`` (half-open bins, the last one closed) and are read from the sorted
        windows with ``searchsorted`` instead of a second pass over the data.
        """
        if self.column_type != NUMERIC or self.n_distinct_reference(MAX_LEVELS_BEFORE_BINNING) <= MAX_LEVELS_BEFORE_BINNING:
            return self.level_counts()
        ref, cur = self._ref_sorted, self._cur_sorted
        edges = np.histogram_bin_edges(np.concatenate((ref, cur)), bins="sturges")
        inner = edges[1:-1]
        ref_below = np.concatenate(([0], np.searchsorted(ref, inner, side="left"), [ref.size]))
        cur_below = np.concatenate(([0], np.searchsorted(cur, inner, side="left"), [cur.size]))
        return np.diff(ref_below), np.diff(cur_below)

    def n_distinct_reference(self, cap: int) -> int:
        """Distinct reference values, exact up to ``cap`` (any larger count returns ``cap + 1``)."""
        if self.column_type != NUMERIC:
            return min(int(self._ref_levels[0].size), cap + 1)
        return min(_count_sorted_distinct(self._ref_sorted), cap + 1)

    def n_distinct(self, cap: int) -> int:
        """Distinct values of both windows together, exact up to ``cap`` (else ``cap + 1``).

        Capped because the automatic choice only asks "more than 5?": on a continuous
        column this costs one linear pass instead of a union of a million values.
        """
        if self.column_type != NUMERIC:
            return min(int(self._aligned[0].size), cap + 1)
        if max(_count_sorted_distinct(self._ref_sorted), _count_sorted_distinct(self._cur_sorted)) > cap:
            return cap + 1
        return min(int(self._aligned[0].size), cap + 1)


def _count_sorted_distinct(values: np.ndarray) -> int:
    if values.size == 0:
        return 0
    return int(np.count_nonzero(values[1:] != values[:-1])) + 1


__all__ = ["CATEGORICAL", "NUMERIC", "ColumnWindows", "MAX_LEVELS_BEFORE_BINNING"]
