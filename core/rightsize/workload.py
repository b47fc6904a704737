"""Workloads: load a table, validate it, infer the task and column kinds, split it.

A workload is a table with one target column, handed over as a DataFrame: the engine reads no
file itself (a file comes in through ``core.store.intake``, see ``core.lab.workloads``), and
everything here is pandas on at most ``max_train_rows + max_test_rows`` rows. Column values are normalised here, once, so that scikit-learn, skl2onnx
and ONNX Runtime all see the same types:

* numeric and boolean columns → float32 (missing stays NaN; the pipelines impute it);
* short strings → categorical, missing → ``MISSING_TOKEN``, one-hot on the most frequent levels;
* long, mostly distinct strings with spaces → free text (TF-IDF);
* dates and all-missing columns are left out, with a note in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.errors import CoreError
from core.rightsize.config import LabConfig

MISSING_TOKEN = "__missing__"
MAX_CATEGORIES = 50  # one-hot levels per categorical column; rarer levels encode as all-zero
TEXT_MIN_MEAN_CHARS = 25
TEXT_MIN_DISTINCT_SHARE = 0.3
REGRESSION_MIN_DISTINCT = 20


class WorkloadError(CoreError):
    """The workload file or its target column cannot be used; the message says how to fix it."""


@dataclass(frozen=True, eq=False)
class Workload:
    """A validated workload: normalised feature columns, encoded target and what was inferred.

    ``y`` holds class indices 0..K-1 into ``classes`` for classification, floats for regression.
    """

    name: str
    features: pd.DataFrame
    y: np.ndarray
    target: str
    task: str
    classes: tuple = ()
    numeric_columns: tuple[str, ...] = ()
    categorical_levels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    text_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def categorical_columns(self) -> tuple[str, ...]:
        return tuple(self.categorical_levels)

    @property
    def input_layout(self) -> str:
        """``"matrix"``: one float32 input [N, F] (all numeric); ``"columns"``: one input per column."""
        return "matrix" if not self.categorical_levels and not self.text_columns else "columns"


@dataclass(frozen=True, eq=False)
class WorkloadSplit:
    """Train/test rows of a workload; ``notes`` say when rows were subsampled."""

    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: np.ndarray
    y_test: np.ndarray
    notes: tuple[str, ...] = ()


def infer_task(target: pd.Series) -> str:
    """``regression`` for a numeric target with many distinct values, else ``classification``.

    Many = more than 20 distinct values, or more than 10 when some values are not whole numbers.
    """
    values = target.dropna()
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return "classification"
    distinct = values.nunique()
    fractional = bool((np.asarray(values, dtype=float) % 1 != 0).any())
    if distinct > REGRESSION_MIN_DISTINCT or (fractional and distinct > 10):
        return "regression"
    return "classification"


def prepare_workload(frame: pd.DataFrame, target: str, config: LabConfig, name: str = "workload") -> Workload:
    """Validate ``frame`` and normalise its columns; raise ``WorkloadError`` when it cannot be used."""
    if target not in frame.columns:
        available = ", ".join(f"`{c}`" for c in frame.columns[:50])
        more = f" (and {len(frame.columns) - 50} more)" if len(frame.columns) > 50 else ""
        raise WorkloadError(
            f"{name}: there is no target column `{target}`. Available columns: {available}{more}. "
            f"Pick one of these as the target."
        )
    notes: list[str] = []
    y_raw = frame[target]
    if y_raw.notna().sum() == 0:
        raise WorkloadError(
            f"{name}, column `{target}`: every value is missing. Choose a target with values.")
    keep = y_raw.notna().to_numpy()
    if not keep.all():
        notes.append(f"{int((~keep).sum()):,} rows with a missing target were left out.")
        frame = frame.loc[keep]  # only then: copying a 1M-row table costs seconds
    if len(frame) < config.min_rows:
        raise WorkloadError(
            f"{name}: only {len(frame):,} rows have a target value; at least {config.min_rows} are "
            f"needed to train and hold out a test split. Upload more rows."
        )
    task = config.task or infer_task(frame[target])
    y_series = frame[target]
    classes: tuple = ()
    if task == "regression":
        if pd.api.types.is_bool_dtype(y_series) or not pd.api.types.is_numeric_dtype(y_series):
            raise WorkloadError(
                f"{name}, column `{target}`: regression needs a numeric target, got text values "
                f"such as {str(y_series.iloc[0])!r}. Choose the classification task or a numeric column."
            )
        y = y_series.to_numpy(dtype=np.float64)
    else:
        codes, uniques = pd.factorize(y_series, sort=True)
        if len(uniques) < 2:
            raise WorkloadError(
                f"{name}, column `{target}`: every row has the same class {uniques[0]!r}; "
                f"a classifier needs at least two classes. Choose another target or add rows."
            )
        y = codes.astype(np.int64)
        classes = tuple(v.item() if hasattr(v, "item") else v for v in uniques)

    features, numeric, levels, text = _normalise_features(frame.drop(columns=[target]), notes)
    if features.shape[1] == 0:
        raise WorkloadError(f"{name}: no usable feature columns besides the target `{target}`.")
    return Workload(name=name, features=features.reset_index(drop=True), y=y, target=target,
                    task=task, classes=classes, numeric_columns=numeric,
                    categorical_levels=levels, text_columns=text, notes=tuple(notes))


def _normalise_features(frame: pd.DataFrame, notes: list[str]):
    columns: dict[str, pd.Series] = {}
    numeric: list[str] = []
    levels: dict[str, tuple[str, ...]] = {}
    text: list[str] = []
    for column in frame.columns:
        series = frame[column]
        label = str(column)
        if series.notna().sum() == 0:
            notes.append(f"Column `{label}` is empty and was left out.")
        elif pd.api.types.is_datetime64_any_dtype(series) or isinstance(series.dtype, pd.PeriodDtype):
            notes.append(
                f"Column `{label}` holds dates and was left out (derive numeric features to use it).")
        elif pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            # float32 is the ONNX input type of every ladder model; ints are cast the same way
            columns[label] = pd.Series(series.to_numpy(dtype=np.float32, na_value=np.nan), index=series.index)
            numeric.append(label)
        else:
            present = series.dropna().astype(str)
            strings = series.astype(object).where(series.notna(), MISSING_TOKEN).map(str)
            mean_chars = present.str.len().mean()
            distinct_share = present.nunique() / max(len(present), 1)
            if (mean_chars >= TEXT_MIN_MEAN_CHARS and distinct_share >= TEXT_MIN_DISTINCT_SHARE
                    and present.str.contains(" ").mean() > 0.5):
                text.append(label)
            else:
                top = strings.value_counts().index[:MAX_CATEGORIES]
                levels[label] = tuple(sorted(map(str, top)))
                if strings.nunique() > MAX_CATEGORIES:
                    notes.append(
                        f"Column `{label}` has {strings.nunique():,} distinct values; the "
                        f"{MAX_CATEGORIES} most frequent are one-hot encoded, the rest count as unknown."
                    )
            columns[label] = pd.Series(strings.to_numpy(dtype=object), index=series.index, dtype=object)
    features = pd.DataFrame(columns, index=frame.index)
    return features, tuple(numeric), levels, tuple(text)


def split_workload(workload: Workload, config: LabConfig) -> WorkloadSplit:
    """Seeded train/test split (stratified for classification when every class has ≥ 2 rows).

    Test rows = min(test_fraction × rows, max_test_rows); train rows are then capped at
    ``max_train_rows`` by a seeded random subsample, which the notes report.
    """
    from sklearn.model_selection import train_test_split

    n_rows = len(workload.y)
    n_test = max(int(round(n_rows * config.test_fraction)), 1)
    n_test = min(n_test, config.max_test_rows)
    if workload.task == "classification" and n_test < len(workload.classes):
        n_test = len(workload.classes)
    stratify = None
    if workload.task == "classification" and np.bincount(workload.y).min() >= 2:
        stratify = workload.y
    index = np.arange(n_rows)
    train_idx, test_idx = train_test_split(index, test_size=n_test, random_state=config.seed,
                                           stratify=stratify)
    notes: list[str] = []
    if len(train_idx) > config.max_train_rows:
        rng = np.random.default_rng(config.seed)
        notes.append(
            f"Trained on a random {config.max_train_rows:,} of {len(train_idx):,} training rows "
            f"(the lab caps training rows to keep runs short)."
        )
        train_idx = np.sort(rng.choice(train_idx, size=config.max_train_rows, replace=False))
    if n_rows - len(test_idx) - len(train_idx) > 0 and len(test_idx) == config.max_test_rows:
        notes.append(f"Quality and speed are measured on {len(test_idx):,} held-out rows.")
    features = workload.features
    y_train = workload.y[train_idx]
    if workload.task == "classification" and len(np.unique(y_train)) < 2:
        raise WorkloadError(f"{workload.name}: the training split holds a single class; "
                            f"add rows of the other classes.")
    return WorkloadSplit(
        X_train=features.iloc[train_idx].reset_index(drop=True),
        X_test=features.iloc[test_idx].reset_index(drop=True),
        y_train=y_train, y_test=workload.y[test_idx], notes=tuple(notes),
    )
