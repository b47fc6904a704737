"""compute_drift end to end: inputs, missing values, empty windows, overrides, report, errors."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from core.drift import METHODS, DriftInputError, compute_drift
from core.drift.registry import DRIFT, NO_DATA, NO_DRIFT, POSSIBLE_DRIFT
from core.drift.windows import ColumnWindows
from core.errors import CoreError


@pytest.fixture(scope="module")
def windows():
    rng = np.random.default_rng(7)
    n = 3000
    ref = pa.table({
        "stable": rng.normal(size=n), "shifted": rng.normal(size=n),
        "level": rng.integers(0, 4, n), "city": rng.choice(["oslo", "rome", "lima"], n),
    })
    cur = pa.table({
        "stable": rng.normal(size=n), "shifted": rng.normal(0.5, 1, size=n),
        "level": rng.integers(0, 4, n), "city": rng.choice(["oslo", "rome", "lima", "pune"], n),
        "only_current": np.zeros(n),
    })
    return ref, cur


def test_drift_share_and_dataset_drift(windows):
    report = compute_drift(*windows)
    assert [c.column for c in report.columns] == ["stable", "shifted", "level", "city"]
    assert {c.column: c.drifted for c in report.columns} == {
        "stable": False, "shifted": True, "level": False, "city": True}
    assert report.drift_share == 0.5 and report.dataset_drift is True
    assert compute_drift(*windows, drift_share=0.75).dataset_drift is False
    assert (report.n_reference, report.n_current) == (3000, 3000)


def test_duckdb_relation_gives_the_same_report_as_arrow(windows):
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.register("ref", windows[0])
    con.register("cur", windows[1])
    from_duckdb = compute_drift(con.table("ref"), con.table("cur"))
    assert from_duckdb == compute_drift(*windows)


def test_overrides_are_used_and_recorded(windows):
    report = compute_drift(*windows, method_overrides={"stable": "ks", "city": "psi"},
                           threshold_overrides={"stable": 0.01, "shifted": 0.6})
    assert (report.column("stable").method, report.column("stable").threshold) == ("ks", 0.01)
    assert report.column("stable").p_value is not None
    assert (report.column("city").method, report.column("city").threshold) == ("psi", 0.1)
    shifted = report.column("shifted")
    assert (shifted.method, shifted.threshold, shifted.drifted) == ("wasserstein", 0.6, False)


def test_missing_values_are_dropped_and_counted():
    ref = pa.table({"x": pa.array([1.0, None, float("nan"), 2.0, float("inf"), 3.0]),
                    "c": pa.array(["a", None, "b", "", None, "a"])})
    cur = pa.table({"x": pa.array([1.0, 2.0, None]), "c": pa.array(["a", "b", ""])})
    report = compute_drift(ref, cur)
    x, c = report.column("x"), report.column("c")
    assert (x.n_reference, x.n_missing_reference, x.n_current, x.n_missing_current) == (3, 3, 2, 1)
    assert (c.n_reference, c.n_missing_reference) == (4, 2)  # "" is a level, not missing


@pytest.mark.parametrize("method", sorted(METHODS))
def test_empty_window_gives_no_data_not_a_crash(method):
    ref = pa.table({"x": pa.array([1.0, 2.0, 3.0])})
    cur = pa.table({"x": pa.array([None, float("nan")], type=pa.float64())})
    result = compute_drift(ref, cur, method_overrides={"x": method}).column("x")
    assert (result.statistic, result.p_value, result.drifted, result.status) == (None, None, False, NO_DATA)
    assert result.n_missing_current == 2


def test_no_data_columns_are_left_out_of_the_drift_share():
    ref = pa.table({"a": pa.array([0.0, 1.0] * 20), "b": pa.nulls(40, pa.float64())})
    cur = pa.table({"a": pa.array([1.0] * 40), "b": pa.array([1.0] * 40)})
    report = compute_drift(ref, cur)
    assert report.column("b").status == NO_DATA
    assert report.drift_share == 1.0 and report.dataset_drift


def test_constant_reference_wasserstein_follows_evidentlys_floor():
    ref = pa.table({"x": pa.array([3.0] * 2000)})
    same = compute_drift(ref, pa.table({"x": pa.array([3.0] * 10 + [3.0] * 1990)}),
                         method_overrides={"x": "wasserstein"}).column("x")
    moved = compute_drift(ref, pa.table({"x": pa.array([3.0] * 1000 + [3.5] * 1000)}),
                          method_overrides={"x": "wasserstein"}).column("x")
    assert (same.statistic, same.drifted) == (0.0, False)
    assert moved.statistic == pytest.approx(0.25 / 0.001) and moved.drifted


def test_new_category_gives_infinite_chi_squared_and_json_safe_dict():
    ref = pa.table({"c": pa.array(["a", "b", "c"] * 20)})
    cur = pa.table({"c": pa.array(["a", "b", "c", "new"] * 15)})
    report = compute_drift(ref, cur, method_overrides={"c": "chisquare"})
    result = report.column("c")
    assert result.statistic == float("inf") and result.p_value == 0.0 and result.status == DRIFT
    payload = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert payload["columns"][0]["statistic"] is None
    assert set(payload) >= {"columns", "drift_share", "dataset_drift", "n_reference", "n_current"}
    assert set(payload["columns"][0]) >= {"column", "type", "method", "statistic", "p_value",
                                          "threshold", "drifted", "status"}


@pytest.mark.parametrize("method, statistic, p_value, threshold, expected", [
    ("ks", 0.3, 0.049, 0.05, DRIFT),
    ("ks", 0.3, 0.05, 0.05, POSSIBLE_DRIFT),
    ("chisquare", 5.0, 0.149, 0.05, POSSIBLE_DRIFT),
    ("z", 1.0, 0.15, 0.05, NO_DRIFT),
    ("ks", 0.3, 0.02, 0.01, POSSIBLE_DRIFT),  # band scales with the threshold: [0.01, 0.03)
    ("wasserstein", 0.1, None, 0.1, DRIFT),
    ("jensenshannon", 0.05, None, 0.1, POSSIBLE_DRIFT),
    ("psi", 0.0499, None, 0.1, NO_DRIFT),
    ("psi", 0.25, None, 0.2, DRIFT),
])
def test_three_level_status_bands(method, statistic, p_value, threshold, expected):
    drifted, status = METHODS[method].judge(statistic, p_value, threshold)
    assert status == expected and drifted == (expected == DRIFT)


def test_binned_counts_equal_numpy_histogram():
    rng = np.random.default_rng(3)
    ref, cur = rng.gamma(2.0, size=4000), rng.gamma(2.5, size=3000)
    windows = ColumnWindows("x", "numeric", pa.chunked_array([ref]), pa.chunked_array([cur]))
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    ours = windows.binned_counts()
    assert np.array_equal(ours[0], np.histogram(ref, edges)[0])
    assert np.array_equal(ours[1], np.histogram(cur, edges)[0])


def test_column_types_override_and_type_mixing():
    ref = pa.table({"code": pa.array([1, 2, 3, 10] * 10), "mixed": pa.array([1, 2] * 20)})
    cur = pa.table({"code": pa.array([1, 2, 3, 10] * 10), "mixed": pa.array(["1", "2"] * 20)})
    report = compute_drift(ref, cur, column_types={"code": "categorical"})
    assert report.column("code").column_type == "categorical"
    assert report.column("mixed").column_type == "categorical"  # int vs text: compared as text
    assert report.column("mixed").drifted is False


def test_unsupported_types_are_skipped_and_listed():
    ref = pa.table({"x": pa.array([1.0, 2.0]), "day": pa.array([1, 2], pa.date32())})
    report = compute_drift(ref, ref)
    assert [c.column for c in report.columns] == ["x"] and report.skipped_columns == ("day",)
    with pytest.raises(DriftInputError, match="`day` has type date32"):
        compute_drift(ref, ref, method_overrides={"day": "psi"})
    as_levels = compute_drift(ref, ref, column_types={"day": "categorical"}).column("day")
    assert as_levels.column_type == "categorical" and as_levels.drifted is False


@pytest.mark.parametrize("kwargs, words", [
    (dict(method_overrides={"nope": "ks"}), ["unknown column", "'nope'", "stable"]),
    (dict(threshold_overrides={"nope": 0.1}), ["unknown column", "'nope'"]),
    (dict(method_overrides={"stable": "kolmogorov"}), ["unknown drift method", "'kolmogorov'", "chisquare, jensenshannon, ks, psi, wasserstein, z"]),
    (dict(method_overrides={"city": "ks"}), ["`city` is categorical", "chisquare, jensenshannon, psi, z"]),
    (dict(threshold_overrides={"stable": 1.5}, method_overrides={"stable": "ks"}), ["threshold 1.5", "between 0 and 1"]),
    (dict(threshold_overrides={"stable": -1}), ["threshold -1", "distance > 0"]),
    (dict(column_types={"stable": "date"}), ["'date'", "numeric, categorical"]),
    (dict(column_types={"city": "numeric"}), ["`city`", "non-numeric"]),
    (dict(drift_share=0), ["drift share"]),
])
def test_bad_options_raise_a_core_error_naming_the_fix(windows, kwargs, words):
    with pytest.raises(DriftInputError) as error:
        compute_drift(*windows, **kwargs)
    assert isinstance(error.value, CoreError)
    for word in words:
        assert word in str(error.value)


def test_no_common_columns_lists_both_sides():
    with pytest.raises(DriftInputError, match=r"reference: a, b; current: c"):
        compute_drift(pa.table({"a": [1], "b": [2]}), pa.table({"c": [1]}))


def test_other_inputs_are_refused():
    with pytest.raises(DriftInputError, match="pyarrow Table or a DuckDB relation"):
        compute_drift({"a": [1]}, pa.table({"a": [1]}))

