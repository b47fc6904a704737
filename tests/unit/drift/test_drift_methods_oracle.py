"""Every registered drift method against an independent oracle (scipy / hand formulas).

The oracles follow Evidently's code paths on plain Python data (Counter, sorted keys,
np.histogram), so they check both our counting/alignment and our formulas. Our side runs
the full path: Arrow arrays → ColumnWindows → registered method, through compute_drift.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial import distance

from core.drift import METHODS, compute_drift

TOL = dict(rel=1e-6, abs=1e-9)


def _clean(values, column_type):
    if column_type == "numeric":
        return [float(v) for v in values if v is not None and math.isfinite(v)]
    return [v for v in values if v is not None]


def _shares(ref, cur, column_type):
    """Evidently's get_binned_data, written from its source with Counter and np.histogram."""
    if column_type == "numeric" and len(set(ref)) > 20:
        bins = np.histogram_bin_edges(np.array(ref + cur), bins="sturges")
        return np.histogram(ref, bins)[0] / len(ref), np.histogram(cur, bins)[0] / len(cur)
    keys = sorted(set(ref) | set(cur))
    rc, cc = Counter(ref), Counter(cur)
    return np.array([rc[k] / len(ref) for k in keys]), np.array([cc[k] / len(cur) for k in keys])


def oracle_ks(ref, cur, column_type):
    result = stats.ks_2samp(ref, cur)
    return result.statistic, result.pvalue


def oracle_wasserstein(ref, cur, column_type):
    return stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001), None


def oracle_chisquare(ref, cur, column_type):
    keys = sorted(set(ref) | set(cur))
    if len(keys) == 1:
        return 0.0, 1.0  # documented: identical single level; scipy gives p = NaN (0 dof)
    rc, cc = Counter(ref), Counter(cur)
    f_exp = [rc[k] * len(cur) / len(ref) for k in keys]
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.chisquare([cc[k] for k in keys], f_exp)
    return result.statistic, result.pvalue


def oracle_z(ref, cur, column_type):
    if len(set(ref)) == 1 and set(ref) == set(cur):
        return 0.0, 1.0
    first = sorted(set(ref) | set(cur))[0]
    n1, n2 = len(ref), len(cur)
    p1 = sum(v != first for v in ref) / n1
    p2 = sum(v != first for v in cur) / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return z, 2 * (1 - stats.norm.cdf(abs(z)))


def oracle_jensenshannon(ref, cur, column_type):
    return distance.jensenshannon(*_shares(ref, cur, column_type)), None


def oracle_psi(ref, cur, column_type):
    r, c = _shares(ref, cur, column_type)
    for shares in (r, c):
        smallest = min(shares[shares != 0])
        np.place(shares, shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return float(np.sum((r - c) * np.log(r / c))), None


#: One independent oracle per registered method (the completeness guard checks this).
ORACLES = {
    "ks": oracle_ks, "wasserstein": oracle_wasserstein, "chisquare": oracle_chisquare,
    "z": oracle_z, "jensenshannon": oracle_jensenshannon, "psi": oracle_psi,
}

_rng = np.random.default_rng(20261127)
NAN, INF = float("nan"), float("inf")


def _num(a):
    return [float(v) for v in a]


#: (id, column type, reference values, current values); None/NaN/inf are missing.
SHAPES = [
    ("normal-same", "numeric", _num(_rng.normal(size=300)), _num(_rng.normal(size=400))),
    ("equal-sizes-t-dist", "numeric", _num(_rng.standard_t(3, 1000)), _num(_rng.standard_t(3, 1000) + 0.1)),
    ("normal-shifted", "numeric", _num(_rng.normal(size=500)), _num(_rng.normal(0.4, 1.0, size=450))),
    ("ties-int-0-9", "numeric", _num(_rng.integers(0, 10, 800)), _num(_rng.integers(0, 10, 600))),
    ("three-levels-new-level", "numeric", _num(_rng.integers(0, 3, 200)), _num(_rng.integers(0, 4, 200))),
    ("fifteen-levels", "numeric", _num(_rng.integers(0, 15, 3000)), _num(_rng.integers(2, 15, 2500))),
    ("constant-same", "numeric", [2.5] * 50, [2.5] * 40),
    ("constant-moved", "numeric", [2.5] * 50, [2.5] * 30 + [2.6] * 10),
    ("with-nan-inf-none", "numeric", [1.0, NAN, 2.0, None, 3.5, INF, 0.5, 7.0, -INF],
     [2.0, 2.5, NAN, 9.0, 1.0, None, 4.0]),
    ("n1-vs-n1", "numeric", [1.0], [2.0]),
    ("n2-vs-n1", "numeric", [1.0, 3.0], [2.0]),
    ("heavy-tails", "numeric", _num(_rng.standard_cauchy(700)), _num(_rng.standard_cauchy(700) * 1.5)),
    ("large-continuous", "numeric", _num(_rng.lognormal(size=6000)), _num(_rng.lognormal(0.1, 1, size=5000))),
    ("cat-three-shifted", "categorical", list(_rng.choice(["a", "b", "c"], 400, p=[.5, .3, .2])),
     list(_rng.choice(["a", "b", "c"], 300, p=[.3, .3, .4]))),
    ("cat-new-category", "categorical", list(_rng.choice(["a", "b", "c"], 300)),
     list(_rng.choice(["a", "b", "c", "d"], 300))),
    ("cat-missing", "categorical", ["x", None, "y", "x", None, "z", "x"], ["y", "y", None, "z", "x"]),
    ("cat-binary", "categorical", list(_rng.choice(["no", "yes"], 900, p=[.8, .2])),
     list(_rng.choice(["no", "yes"], 800, p=[.7, .3]))),
    ("cat-single-level", "categorical", ["k"] * 20, ["k"] * 25),
    ("cat-n1", "categorical", ["a"], ["b"]),
    ("cat-many-levels", "categorical", [f"L{v}" for v in _rng.integers(0, 60, 5000)],
     [f"L{v}" for v in _rng.integers(0, 64, 4000)]),
]


def _ours(method, column_type, ref, cur):
    table_type = pa.float64() if column_type == "numeric" else pa.string()
    to_arrow = lambda v: pa.table({"x": pa.array(v, type=table_type, from_pandas=True)})  # noqa: E731
    report = compute_drift(to_arrow(ref), to_arrow(cur), method_overrides={"x": method})
    return report.column("x")


def _cases():
    for name, method in METHODS.items():
        for shape_id, column_type, ref, cur in SHAPES:
            if column_type in method.column_types:
                yield pytest.param(name, column_type, ref, cur, id=f"{name}-{shape_id}")


def _assert_matches(name, column_type, ref, cur):
    result = _ours(name, column_type, ref, cur)
    clean_ref, clean_cur = _clean(ref, column_type), _clean(cur, column_type)
    assert result.n_reference == len(clean_ref) and result.n_current == len(clean_cur)
    assert result.n_missing_reference == len(ref) - len(clean_ref)
    statistic, p_value = ORACLES[name](clean_ref, clean_cur, column_type)
    method = METHODS[name]
    assert result.statistic == pytest.approx(float(statistic), **TOL)
    if method.kind == "p_value":
        assert result.p_value == pytest.approx(float(p_value), **TOL)
        expected_drift = p_value < method.default_threshold
    else:
        assert result.p_value is None
        expected_drift = statistic >= method.default_threshold
    assert result.drifted == bool(expected_drift)
    assert result.method == name and result.threshold == method.default_threshold


@pytest.mark.parametrize("name, column_type, ref, cur", list(_cases()))
def test_method_matches_oracle_on_shape(name, column_type, ref, cur):
    _assert_matches(name, column_type, ref, cur)


def test_every_registered_method_has_an_oracle_and_golden_shapes():
    assert set(ORACLES) == set(METHODS), "register an oracle in ORACLES for every drift method"
    covered = {case.values[0] for case in _cases()}
    assert covered == set(METHODS)
    for name, method in METHODS.items():
        # every method is checked on each column type it accepts
        for column_type in method.column_types:
            assert any(s[1] == column_type for s in SHAPES), (name, column_type)


floats = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.just(NAN), st.none(), st.sampled_from([0.0, 1.0, 2.0]),
)
finite_sample = st.lists(floats, min_size=1, max_size=60).filter(lambda v: len(_clean(v, "numeric")) > 0)
levels = st.lists(st.one_of(st.sampled_from(["a", "b", "c", "d", "é", ""]), st.none()), min_size=1, max_size=60)
level_sample = levels.filter(lambda v: len(_clean(v, "categorical")) > 0)


@settings(max_examples=25, deadline=None)
@given(ref=finite_sample, cur=finite_sample, name=st.sampled_from(sorted(METHODS)))
def test_numeric_methods_match_oracle_on_random_samples(ref, cur, name):
    _assert_matches(name, "numeric", ref, cur)


@settings(max_examples=25, deadline=None)
@given(ref=level_sample, cur=level_sample,
       name=st.sampled_from(sorted(n for n, m in METHODS.items() if "categorical" in m.column_types)))
def test_categorical_methods_match_oracle_on_random_samples(ref, cur, name):
    _assert_matches(name, "categorical", ref, cur)


@pytest.mark.parametrize("sizes", [(1000, 1000), (999, 1000), (7, 3), (1, 1)])
def test_wasserstein_pure_function_accepts_unsorted_arrays_of_any_sizes(sizes):
    from core.drift.wasserstein import wasserstein_norm

    rng = np.random.default_rng(sum(sizes))
    ref, cur = rng.exponential(size=sizes[0]), rng.exponential(1.2, size=sizes[1])
    expected = stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
    assert wasserstein_norm(ref, cur)[0] == pytest.approx(expected, **TOL)
