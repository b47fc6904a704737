"""The candidate ladder: scikit-learn models from tiny to large, each behind the same preprocessing.

Every candidate is ``Pipeline([("prep", <preprocessing>), ("model", <estimator>)])`` so that the
ONNX file converted from it takes raw workload columns (see ``inputs``) and nothing has to be
re-implemented at serving time. Preprocessing: median imputation for numbers (plus standard
scaling for linear models and MLPs), one-hot (most frequent levels, unknown → all zeros) for
categories, TF-IDF for free text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from sklearn.base import is_classifier
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from core.rightsize.workload import Workload

TEXT_MAX_FEATURES = 200  # TF-IDF terms per text column; output is dense so every model accepts it


@dataclass(frozen=True)
class LadderStep:
    """One rung: a family label shown while training and a factory ``make(seed) -> estimator``.

    ``scale``: standard-scale numbers first. Off for tree models, which are scale-invariant and
    whose float32 thresholds only match scikit-learn's exactly on unscaled float32 inputs.
    """

    family: str
    make: Callable[[int], object]
    scale: bool = True


def _unscaled(family: str, make: Callable[[int], object]) -> LadderStep:
    return LadderStep(family, make, scale=False)


def _steps(task: str) -> dict[str, LadderStep]:
    if task == "classification":
        return {
            "linear": LadderStep("Logistic regression", lambda s: LogisticRegression(max_iter=500)),
            "tree": _unscaled("Decision tree", lambda s: DecisionTreeClassifier(max_depth=3, random_state=s)),
            "hgb_quick": _unscaled("HistGradientBoosting", lambda s: HistGradientBoostingClassifier(
                max_iter=10, max_leaf_nodes=15, early_stopping=False, random_state=s)),
            "hgb_small": _unscaled("HistGradientBoosting", lambda s: HistGradientBoostingClassifier(
                max_iter=20, max_leaf_nodes=15, early_stopping=False, random_state=s)),
            "hgb_large": _unscaled("HistGradientBoosting", lambda s: HistGradientBoostingClassifier(
                max_iter=200, max_leaf_nodes=31, early_stopping=False, random_state=s)),
            "forest": _unscaled("Random forest", lambda s: RandomForestClassifier(
                n_estimators=100, max_depth=10, min_samples_leaf=2, max_features="sqrt", max_samples=0.5,
                n_jobs=2, random_state=s)),
            # No early stopping: its validation *accuracy* stalls at the majority share on
            # imbalanced labels and stopped training after ~10 epochs (ROC AUC 0.6 vs 0.88).
            "mlp": LadderStep("MLP", lambda s: MLPClassifier(
                hidden_layer_sizes=(64, 32), max_iter=50, early_stopping=False, random_state=s)),
        }
    return {
        "linear": LadderStep("Ridge regression", lambda s: Ridge(alpha=1.0)),
        "tree": _unscaled("Decision tree", lambda s: DecisionTreeRegressor(max_depth=3, random_state=s)),
        "hgb_quick": _unscaled("HistGradientBoosting", lambda s: HistGradientBoostingRegressor(
            max_iter=10, max_leaf_nodes=15, early_stopping=False, random_state=s)),
        "hgb_small": _unscaled("HistGradientBoosting", lambda s: HistGradientBoostingRegressor(
            max_iter=20, max_leaf_nodes=15, early_stopping=False, random_state=s)),
        "hgb_large": _unscaled("HistGradientBoosting", lambda s: HistGradientBoostingRegressor(
            max_iter=200, max_leaf_nodes=31, early_stopping=False, random_state=s)),
        "forest": _unscaled("Random forest", lambda s: RandomForestRegressor(
            n_estimators=100, max_depth=10, min_samples_leaf=2, max_features="sqrt", max_samples=0.5,
                n_jobs=2, random_state=s)),
        "mlp": LadderStep("MLP", lambda s: MLPRegressor(
            hidden_layer_sizes=(64, 32), max_iter=300, early_stopping=True, random_state=s)),
    }


LADDER_KEYS = {
    "full": ("linear", "tree", "hgb_small", "hgb_large", "forest", "mlp"),
    "quick": ("linear", "tree", "hgb_quick"),
}


def ladder_for(task: str, ladder: str) -> tuple[LadderStep, ...]:
    """The rungs of ``ladder`` ("full": 6 candidates, "quick": 3) for ``task``, tiny → large."""
    steps = _steps(task)
    return tuple(steps[key] for key in LADDER_KEYS[ladder])


def build_pipeline(workload: Workload, estimator, scale: bool = True) -> Pipeline:
    """Preprocessing for ``workload`` followed by ``estimator`` (unfitted)."""
    numbers = Pipeline([("impute", SimpleImputer(strategy="median"))]
                       + ([("scale", StandardScaler())] if scale else []))
    if workload.input_layout == "matrix":
        return Pipeline([("prep", numbers), ("model", estimator)])
    parts = []
    if workload.numeric_columns:
        parts.append(("numbers", numbers, list(workload.numeric_columns)))
    if workload.categorical_levels:
        columns = list(workload.categorical_levels)
        categories = [list(workload.categorical_levels[c]) for c in columns]
        parts.append(("categories", OneHotEncoder(categories=categories, handle_unknown="ignore",
                                                  sparse_output=False), columns))
    for i, column in enumerate(workload.text_columns):
        # a scalar column name hands TfidfVectorizer the 1-D array of strings it expects
        parts.append((f"text{i}", TfidfVectorizer(max_features=TEXT_MAX_FEATURES), column))
    return Pipeline([("prep", ColumnTransformer(parts, sparse_threshold=0.0)), ("model", estimator)])


def training_matrix(workload: Workload, X):
    """What the pipeline is fitted on: a float32 array (matrix layout) or the DataFrame itself."""
    return X.to_numpy(dtype=np.float32) if workload.input_layout == "matrix" else X


def describe_model(estimator) -> str:
    """A name that says what the model is and how big: "HistGradientBoosting · 200 trees · 6,200 nodes"."""
    name = type(estimator).__name__
    if hasattr(estimator, "coef_"):
        params = np.size(estimator.coef_) + np.size(estimator.intercept_)
        family = "Logistic regression" if is_classifier(estimator) else "Ridge regression"
        return f"{family} · {params:,} params"
    if name.startswith("DecisionTree"):
        return f"Decision tree · depth {estimator.get_depth()} · {estimator.tree_.node_count:,} nodes"
    if name.startswith("HistGradientBoosting"):
        trees = [tree for iteration in estimator._predictors for tree in iteration]
        nodes = sum(len(tree.nodes) for tree in trees)
        return f"HistGradientBoosting · {len(trees):,} trees · {nodes:,} nodes"
    if name.startswith("RandomForest"):
        nodes = sum(tree.tree_.node_count for tree in estimator.estimators_)
        return f"Random forest · {len(estimator.estimators_):,} trees · {nodes:,} nodes"
    if name.startswith("MLP"):
        params = sum(w.size for w in estimator.coefs_) + sum(b.size for b in estimator.intercepts_)
        hidden = "-".join(str(h) for h in estimator.hidden_layer_sizes)
        return f"MLP · {hidden} hidden · {params:,} params"
    return name
