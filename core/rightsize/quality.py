"""Quality of a candidate on the held-out split, with a seeded bootstrap 95% interval.

Headline metric by task (stated in every report):
* binary classification → ROC AUC of the positive-class probability (threshold-free, so a
  model is not punished for a badly placed cut-off that a team would tune anyway);
* multiclass classification → F1 macro (every class counts the same, whatever its size);
* regression → R² (share of the target's variance explained); MAE reported beside it.

Every metric is written as a function of a row-weight matrix W [B, N]: the point estimate uses
W = 1, each bootstrap resample uses W = how often each row was drawn. That makes 200 resamples
a few matrix products instead of 200 metric calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

METRIC_LABELS = {"roc_auc": "ROC AUC", "f1_macro": "F1 macro", "r2": "R²",
                 "accuracy": "accuracy", "mae": "MAE"}


class OutputError(ValueError):
    """A model's outputs cannot be read as labels/probabilities or predictions."""


@dataclass(frozen=True)
class Scores:
    """What a model said about the test rows: class indices and/or probabilities, or predictions."""

    labels: np.ndarray | None = None  # class index per row, -1 for a label outside the classes
    probabilities: np.ndarray | None = None  # [N, K], columns in sorted class order
    predictions: np.ndarray | None = None  # regression, [N]


@dataclass(frozen=True)
class QualityResult:
    metric: str
    value: float
    ci_low: float
    ci_high: float
    metrics: dict[str, float] = field(default_factory=dict)


def headline_metric(task: str, n_classes: int) -> str:
    if task == "regression":
        return "r2"
    return "roc_auc" if n_classes == 2 else "f1_macro"


def read_scores(outputs: list[tuple[str, np.ndarray]], task: str, classes: tuple, n_rows: int) -> Scores:
    """Find labels/probabilities (classification) or predictions (regression) among ONNX outputs.

    Probabilities: the first float output of shape [N, K]. Labels: the first 1-D (or [N, 1])
    integer or string output, matched to the workload's classes by value (ladder models are
    trained on class indices, which are matched directly).

    Predictions and probabilities must be finite: a model that answers NaN or ±inf for any row
    is refused (``OutputError`` saying how many rows), so no quality or price is computed from it.
    """
    if task == "regression":
        for name, array in outputs:
            if array.dtype.kind == "f" and array.size == n_rows:
                predictions = array.reshape(-1).astype(np.float64)
                _require_finite(name, predictions, "predictions")
                return Scores(predictions=predictions)
        raise OutputError(f"no float output with one value per row ({n_rows} rows) to use as predictions")
    n_classes = len(classes)
    probabilities = labels = None
    for name, array in outputs:
        if probabilities is None and array.dtype.kind == "f" and array.ndim == 2 \
                and array.shape == (n_rows, n_classes):
            probabilities = array.astype(np.float64)
            _require_finite(name, probabilities, "class probabilities")
        elif labels is None and array.dtype.kind in "iuUSO" and array.size == n_rows:
            labels = _label_indices(array.reshape(-1), classes)
    if labels is None and probabilities is not None:
        labels = probabilities.argmax(axis=1)
    if labels is None:
        raise OutputError(
            f"no output looks like class labels or probabilities for {n_classes} classes "
            f"(outputs: {', '.join(f'{n} {a.dtype} {list(a.shape)}' for n, a in outputs)})")
    return Scores(labels=labels, probabilities=probabilities)


def _require_finite(name: str, values: np.ndarray, what: str) -> None:
    bad_rows = int((~np.isfinite(values)).reshape(len(values), -1).any(axis=1).sum())
    if bad_rows:
        raise OutputError(f"output '{name}' gives {what} that are NaN or infinite for {bad_rows:,} of "
                          f"{len(values):,} test rows; a model must answer a finite number for every row")


def _require_finite_metrics(metrics: dict[str, float]) -> None:
    """Finite answers can still give a non-finite score: predictions around 1e200 square to
    infinity, so R² is -inf. Such a model is refused like one answering NaN (``OutputError``)."""
    bad = [f"{METRIC_LABELS.get(name, name)} is {value}" for name, value in metrics.items()
           if not np.isfinite(value) and name != "roc_auc"]  # AUC is NaN when a test split has one class
    if bad:
        raise OutputError(f"{', '.join(bad)} on the test rows (the predictions are too far out of the "
                          "target's range to score); a model must answer finite numbers on the target's scale")


def _label_indices(values: np.ndarray, classes: tuple) -> np.ndarray:
    lookup = {str(c): i for i, c in enumerate(classes)}
    as_text = values.astype(str)
    indices = np.array([lookup.get(v, -1) for v in as_text], dtype=np.int64)
    if (indices < 0).any() and values.dtype.kind in "iu" \
            and values.min() >= 0 and values.max() < len(classes):
        return values.astype(np.int64)  # class indices rather than class values
    return indices


def bootstrap_weights(n_rows: int, resamples: int, seed: int) -> np.ndarray:
    """[resamples, n_rows] counts: how often each row is drawn in each resample (seeded)."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_rows, size=(resamples, n_rows))
    flat = (draws + np.arange(resamples)[:, None] * n_rows).ravel()
    return np.bincount(flat, minlength=resamples * n_rows).reshape(resamples, n_rows).astype(np.float64)


def weighted_accuracy(W: np.ndarray, y: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return W @ (labels == y).astype(np.float64) / W.sum(axis=1)


def weighted_f1_macro(W: np.ndarray, y: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """F1 macro = mean over classes present (in truth or prediction) of 2·TP / (2·TP + FP + FN)."""
    truth = np.eye(n_classes)[y]
    predicted = np.zeros_like(truth)
    known = labels >= 0
    predicted[np.flatnonzero(known), labels[known]] = 1.0
    tp = W @ (truth * predicted)
    denominator = W @ truth + W @ predicted  # = 2·TP + FP + FN
    present = denominator > 0
    f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=present)
    return f1.sum(axis=1) / np.maximum(present.sum(axis=1), 1)


def weighted_roc_auc(W: np.ndarray, positive: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """ROC AUC = P(score of a positive > score of a negative) + ½ P(tie), rows weighted by W.

    Computed per resample from weighted counts per distinct score (Mann-Whitney U); NaN when a
    resample holds only one class.
    """
    resamples = W.shape[0]
    _, group = np.unique(scores, return_inverse=True)
    n_groups = int(group.max()) + 1
    flat = (group[None, :] + np.arange(resamples)[:, None] * n_groups).ravel()
    size = resamples * n_groups
    pos_w = np.bincount(flat, weights=(W * positive).ravel(), minlength=size).reshape(resamples, n_groups)
    neg_w = np.bincount(flat, weights=(W * ~positive).ravel(), minlength=size).reshape(resamples, n_groups)
    neg_below = np.cumsum(neg_w, axis=1) - neg_w
    wins = (pos_w * (neg_below + 0.5 * neg_w)).sum(axis=1)
    pairs = pos_w.sum(axis=1) * neg_w.sum(axis=1)
    return np.divide(wins, pairs, out=np.full(resamples, np.nan), where=pairs > 0)


def weighted_roc_auc_ovr(W: np.ndarray, y: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Binary: AUC of the class-1 probability. Multiclass: mean over classes of one-vs-rest AUC."""
    if probabilities.shape[1] == 2:
        return weighted_roc_auc(W, y == 1, probabilities[:, 1])
    per_class = [weighted_roc_auc(W, y == k, probabilities[:, k]) for k in range(probabilities.shape[1])]
    return np.nanmean(np.vstack(per_class), axis=0)


def weighted_r2(W: np.ndarray, y: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    """R² = 1 − Σw(y − ŷ)² / Σw(y − ȳ_w)², with ȳ_w the weighted mean of y."""
    centred = y - y.mean()  # centring first keeps Σw·y² − (Σw·y)²/Σw numerically stable
    total_w = W.sum(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):  # huge predictions: inf, refused by the caller
        ss_res = W @ (y - predictions) ** 2
    ss_tot = W @ centred**2 - (W @ centred) ** 2 / total_w
    return 1.0 - np.divide(ss_res, ss_tot, out=np.full(W.shape[0], np.nan), where=ss_tot > 0)


def evaluate_quality(y: np.ndarray, scores: Scores, task: str, n_classes: int,
                     resamples: int = 200, seed: int = 0) -> QualityResult:
    """Headline metric, its bootstrap 95% interval (2.5th–97.5th percentile), and side metrics.

    ``OutputError`` when a metric other than ROC AUC comes out NaN or infinite (nothing is scored)."""
    metric = headline_metric(task, n_classes)
    ones = np.ones((1, len(y)))
    W = bootstrap_weights(len(y), resamples, seed)
    if task == "regression":
        def headline(weights):
            return weighted_r2(weights, y.astype(np.float64), scores.predictions)
        metrics = {"r2": float(headline(ones)[0]),
                   "mae": float(np.mean(np.abs(y - scores.predictions)))}
    else:
        labels = scores.labels
        # without probabilities, AUC falls back to one-hot labels as scores (a coarse estimate)
        probabilities = scores.probabilities if scores.probabilities is not None \
            else np.eye(n_classes)[np.clip(labels, 0, n_classes - 1)]
        functions = {
            "accuracy": lambda w: weighted_accuracy(w, y, labels),
            "f1_macro": lambda w: weighted_f1_macro(w, y, labels, n_classes),
            "roc_auc": lambda w: weighted_roc_auc_ovr(w, y, probabilities),
        }
        headline = functions[metric]
        metrics = {name: float(function(ones)[0]) for name, function in functions.items()}
    _require_finite_metrics(metrics)
    boot = headline(W)
    boot = boot[np.isfinite(boot)]
    low, high = (np.percentile(boot, [2.5, 97.5]) if boot.size else (np.nan, np.nan))
    return QualityResult(metric=metric, value=metrics[metric], ci_low=float(low), ci_high=float(high),
                         metrics=metrics)
