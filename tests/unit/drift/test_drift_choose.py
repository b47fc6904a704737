"""Automatic method choice: the spec's table, as a table, then end to end on real columns."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from core.drift import choose_method, compute_drift

#: (column type, non-missing reference values, distinct values of both windows) → method
CHOICES = [
    ("numeric", 1000, 6, "ks"),
    ("numeric", 50, 500, "ks"),
    ("numeric", 1000, 5, "chisquare"),
    ("numeric", 1000, 3, "chisquare"),
    ("numeric", 1000, 2, "z"),
    ("numeric", 10, 1, "z"),
    ("categorical", 1000, 2, "z"),
    ("categorical", 1000, 1, "z"),
    ("categorical", 1000, 3, "chisquare"),
    ("categorical", 200, 40, "chisquare"),
    ("numeric", 1001, 6, "wasserstein"),
    ("numeric", 500_000, 400_000, "wasserstein"),
    ("numeric", 1001, 5, "jensenshannon"),
    ("numeric", 1001, 2, "jensenshannon"),
    ("categorical", 1001, 2, "jensenshannon"),
    ("categorical", 1001, 50, "jensenshannon"),
]


@pytest.mark.parametrize("column_type, n_reference, n_distinct, expected", CHOICES)
def test_choose_method_follows_the_spec_table(column_type, n_reference, n_distinct, expected):
    assert choose_method(column_type, n_reference, n_distinct) == expected


def test_choose_method_rejects_unknown_column_type():
    with pytest.raises(ValueError, match="numeric"):
        choose_method("date", 10, 3)


def _column(n, distinct, numeric, rng):
    values = rng.integers(0, distinct, n)
    values[:distinct] = np.arange(distinct)  # every level present
    return pa.array(values.astype(float)) if numeric else pa.array([f"v{v}" for v in values])


@pytest.mark.parametrize("column_type, n_reference, n_distinct, expected", [
    row for row in CHOICES if row[1] <= 2000 and row[2] <= 50
])
def test_compute_drift_chooses_from_non_missing_reference_rows_and_joint_distinct(
        column_type, n_reference, n_distinct, expected):
    rng = np.random.default_rng(1)
    numeric = column_type == "numeric"
    ref = _column(n_reference, n_distinct, numeric, rng)
    # missing values do not count as reference rows nor as a distinct value
    ref = pa.concat_arrays([ref, pa.nulls(5, type=ref.type)])
    cur = _column(300, n_distinct, numeric, rng)
    report = compute_drift(pa.table({"x": ref}), pa.table({"x": cur}))
    assert report.column("x").method == expected
    assert report.column("x").n_missing_reference == 5


def test_distinct_values_are_counted_over_both_windows():
    # 2 levels in the reference, a third only in the current window: chi-squared, not Z.
    ref = pa.table({"x": pa.array([0.0, 1.0] * 50)})
    cur = pa.table({"x": pa.array([0.0, 1.0, 2.0] * 30)})
    assert compute_drift(ref, cur).column("x").method == "chisquare"
