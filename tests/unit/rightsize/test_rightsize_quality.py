"""Weighted metrics equal scikit-learn's at unit weights; the bootstrap interval is seeded."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score, r2_score, roc_auc_score

from core.rightsize.quality import (Scores, bootstrap_weights, evaluate_quality, read_scores,
                                    weighted_roc_auc_ovr)

rng = np.random.default_rng(11)


def _probabilities(n, k):
    raw = rng.random((n, k))
    raw[:, 0] = np.round(raw[:, 0], 1)  # ties in the scores
    return raw / raw.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_classification_metrics_match_sklearn(n_classes):
    y = rng.integers(0, n_classes, 300)
    probabilities = _probabilities(300, n_classes)
    labels = np.where(rng.random(300) < 0.7, y, probabilities.argmax(axis=1))
    result = evaluate_quality(y, Scores(labels=labels, probabilities=probabilities), "classification", n_classes)
    assert result.metrics["accuracy"] == pytest.approx(accuracy_score(y, labels))
    assert result.metrics["f1_macro"] == pytest.approx(f1_score(y, labels, average="macro"))
    expected_auc = roc_auc_score(y, probabilities[:, 1]) if n_classes == 2 else \
        roc_auc_score(y, probabilities, multi_class="ovr", average="macro")
    assert result.metrics["roc_auc"] == pytest.approx(expected_auc)
    assert result.metric == ("roc_auc" if n_classes == 2 else "f1_macro")
    assert result.ci_low <= result.value <= result.ci_high


def test_regression_metrics_match_sklearn():
    y = rng.normal(100, 20, 400)
    predictions = y + rng.normal(0, 10, 400)
    result = evaluate_quality(y, Scores(predictions=predictions), "regression", 0)
    assert result.metric == "r2"
    assert result.value == pytest.approx(r2_score(y, predictions))
    assert result.metrics["mae"] == pytest.approx(np.mean(np.abs(y - predictions)))
    assert result.ci_low < result.value < result.ci_high


def test_bootstrap_is_seeded_and_resamples_every_row_count():
    weights = bootstrap_weights(50, 200, seed=1)
    assert weights.shape == (200, 50) and (weights.sum(axis=1) == 50).all()
    assert np.array_equal(weights, bootstrap_weights(50, 200, seed=1))


def test_weighted_auc_equals_auc_on_the_resampled_rows():
    y = rng.integers(0, 2, 120)
    p = _probabilities(120, 2)
    weights = bootstrap_weights(120, 3, seed=5)
    for row in weights:
        rows = np.repeat(np.arange(120), row.astype(int))
        assert weighted_roc_auc_ovr(row[None, :], y, p)[0] == pytest.approx(roc_auc_score(y[rows], p[rows, 1]))


def test_read_scores_maps_string_labels_to_class_indices():
    outputs = [("label", np.array(["b", "a", "c"])), ("probabilities", np.eye(3, dtype=np.float32))]
    scores = read_scores(outputs, "classification", ("a", "b", "c"), 3)
    assert scores.labels.tolist() == [1, 0, 2] and scores.probabilities.shape == (3, 3)
