"""Compute drift between a reference and a current window of the same columns.

Data stays columnar: a DuckDB relation is fetched once as an Arrow table, each column
is read as a numpy array (zero-copy for a single-chunk float column without nulls) or
counted per level by Arrow, and columns are compared in parallel threads (numpy's sorts
and scipy's kernels release the GIL). No pandas DataFrame or row object is ever built.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Mapping

import pyarrow as pa

from core.drift.choose import FEW_DISTINCT_MAX, choose_method
from core.drift.registry import (
    CATEGORICAL, COLUMN_TYPES, METHODS, NO_DATA, NO_DRIFT, NUMERIC, DriftInputError, DriftMethod, get_method,
)
from core.drift.report import ColumnDriftResult, DriftReport
from core.drift.windows import ColumnWindows


def _as_arrow(data, side: str) -> pa.Table:
    if isinstance(data, pa.Table):
        return data
    if hasattr(data, "to_arrow_table"):  # a DuckDB relation (duckdb.DuckDBPyRelation)
        return data.to_arrow_table()
    raise DriftInputError(
        f"{side} window: expected a pyarrow Table or a DuckDB relation, got {type(data).__name__}."
    )


def _infer_type(arrow_type: pa.DataType) -> str | None:
    if pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return NUMERIC
    if (pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)
            or pa.types.is_string_view(arrow_type) or pa.types.is_boolean(arrow_type)
            or pa.types.is_dictionary(arrow_type)):
        return CATEGORICAL
    return None  # dates, times, binary, nested: no method compares them


def _check_columns(name: str, requested, available: list[str]) -> None:
    unknown = sorted(set(requested) - set(available))
    if unknown:
        raise DriftInputError(
            f"{name}: unknown column(s) {', '.join(map(repr, unknown))}; "
            f"columns in both windows: {', '.join(available)}."
        )


def _column_types(reference: pa.Table, current: pa.Table, common: list[str],
                  forced: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    types, skipped = {}, []
    for column in common:
        if column in forced:
            if forced[column] not in COLUMN_TYPES:
                raise DriftInputError(
                    f"column `{column}`: type {forced[column]!r} is not one of: {', '.join(COLUMN_TYPES)}."
                )
            if forced[column] == NUMERIC and any(_infer_type(t.schema.field(column).type) != NUMERIC
                                                 for t in (reference, current)):
                raise DriftInputError(f"column `{column}` holds non-numeric values; it cannot be numeric.")
            types[column] = forced[column]
            continue
        inferred = {_infer_type(reference.schema.field(column).type), _infer_type(current.schema.field(column).type)}
        if None in inferred:
            skipped.append(column)
        else:
            # A column numeric on one side and text on the other is compared as levels.
            types[column] = NUMERIC if inferred == {NUMERIC} else CATEGORICAL
    return types, skipped


def _comparable(reference: pa.ChunkedArray, current: pa.ChunkedArray,
                column_type: str) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """Give both windows of a categorical column one level type, so their levels can be matched."""
    if column_type == NUMERIC or reference.type == current.type:
        return reference, current
    if _infer_type(reference.type) == NUMERIC and _infer_type(current.type) == NUMERIC:
        return reference.cast(pa.float64()), current.cast(pa.float64())  # 1 (int) is level 1.0
    return reference.cast(pa.string()), current.cast(pa.string())  # text wins when they disagree


def _check_fits(column: str, column_type: str, method: DriftMethod) -> DriftMethod:
    if column_type not in method.column_types:
        valid = sorted(name for name, m in METHODS.items() if column_type in m.column_types)
        raise DriftInputError(
            f"column `{column}` is {column_type}; method {method.name} needs "
            f"{' or '.join(method.column_types)} columns; choose one of: {', '.join(valid)}."
        )
    return method


def _resolve_method(windows: ColumnWindows, override: str | None) -> DriftMethod:
    if override is not None:
        return _check_fits(windows.column, windows.column_type, get_method(override))
    name = choose_method(windows.column_type, windows.n_reference, windows.n_distinct(cap=FEW_DISTINCT_MAX))
    return get_method(name)


def _evaluate(windows: ColumnWindows, method: DriftMethod, threshold: float) -> ColumnDriftResult:
    statistic: float | None
    p_value: float | None
    if windows.is_empty:
        statistic = p_value = None
        drifted, status = False, NO_DATA
    else:
        if method.sample == "values":
            data = windows.values()
        elif method.sample == "levels":
            data = windows.level_counts()
        else:
            data = windows.binned_counts()
        statistic, p_value = method.func(*data)
        drifted, status = method.judge(statistic, p_value, threshold)
        if p_value is not None and math.isnan(p_value):  # defensive: never report NaN as a verdict
            drifted, status = False, NO_DRIFT
    return ColumnDriftResult(
        column=windows.column, column_type=windows.column_type, method=method.name,
        statistic=statistic, p_value=p_value, threshold=threshold, drifted=drifted, status=status,
        n_reference=windows.n_reference, n_current=windows.n_current,
        n_missing_reference=windows.n_missing_reference, n_missing_current=windows.n_missing_current,
    )


def compute_drift(
    reference,
    current,
    *,
    method_overrides: Mapping[str, str] | None = None,
    threshold_overrides: Mapping[str, float] | None = None,
    drift_share: float = 0.5,
    column_types: Mapping[str, str] | None = None,
    max_workers: int | None = None,
) -> DriftReport:
    """Compare every column present in both windows and return a :class:`DriftReport`.

    ``reference`` / ``current``: pyarrow Tables or DuckDB relations. Columns are compared
    in the reference's order; numeric (int/float/decimal) and categorical (text, bool,
    dictionary) types are inferred unless ``column_types`` says ``"numeric"`` or
    ``"categorical"``; other types are listed in ``skipped_columns``. The method per column
    is Evidently's automatic choice (:func:`core.drift.choose.choose_method`) unless
    ``method_overrides`` names one; its default threshold applies unless
    ``threshold_overrides`` gives one. Missing values are dropped and counted; an empty
    window gives status "no data". ``dataset_drift = drift_share_of_columns >= drift_share``.

    Raises :class:`DriftInputError` for no common column, an unknown column or method in
    the overrides, a method that does not fit the column type, or an invalid threshold.
    """
    ref_table, cur_table = _as_arrow(reference, "reference"), _as_arrow(current, "current")
    current_names = set(cur_table.column_names)
    common = [c for c in ref_table.column_names if c in current_names]
    if not common:
        raise DriftInputError(
            f"the windows have no column in common; reference: {', '.join(ref_table.column_names) or '(none)'}; "
            f"current: {', '.join(cur_table.column_names) or '(none)'}. Rename the columns to match."
        )
    method_overrides = dict(method_overrides or {})
    threshold_overrides = dict(threshold_overrides or {})
    column_types = dict(column_types or {})
    _check_columns("method override", method_overrides, common)
    _check_columns("threshold override", threshold_overrides, common)
    _check_columns("column type", column_types, common)
    if not (0.0 < drift_share <= 1.0):
        raise DriftInputError(f"drift share {drift_share!r}: expected a share in (0, 1], e.g. 0.5.")
    types, skipped = _column_types(ref_table, cur_table, common, column_types)
    # Fail fast, before reading any data: overridden methods must exist and fit the column.
    for column, name in method_overrides.items():
        if column not in types:
            raise DriftInputError(
                f"column `{column}` has type {ref_table.schema.field(column).type}, which no drift method "
                f"compares; declare it numeric or categorical with column_types, or drop the override."
            )
        method = _check_fits(column, types[column], get_method(name))
        if column in threshold_overrides:
            method.check_threshold(threshold_overrides[column], column)

    def run(column: str) -> ColumnDriftResult:
        windows = ColumnWindows(column, types[column], *_comparable(
            ref_table.column(column), cur_table.column(column), types[column]))
        method = _resolve_method(windows, method_overrides.get(column))
        threshold = threshold_overrides.get(column, method.default_threshold)
        return _evaluate(windows, method, method.check_threshold(threshold, column))

    columns = [c for c in common if c in types]
    workers = max_workers or min(len(columns), os.cpu_count() or 1) or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = tuple(pool.map(run, columns))
    return DriftReport.from_results(
        results, n_reference=ref_table.num_rows, n_current=cur_table.num_rows,
        drift_share_threshold=drift_share, skipped_columns=tuple(skipped),
    )
