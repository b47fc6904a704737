"""scikit-learn pipeline → ONNX bytes (skl2onnx), and the reference outputs parity is measured on.

Parity is measured, never assumed: ``parity_max_abs_diff`` = max |ONNX − scikit-learn| over the
held-out rows, on class probabilities (classification) or predictions (regression).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.base import is_classifier
from sklearn.feature_extraction.text import TfidfVectorizer
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType

from core.errors import CoreError
from core.rightsize.inputs import MATRIX_INPUT_NAME


class ConversionError(CoreError):
    """skl2onnx could not convert a candidate; the candidate is reported as failed."""


@dataclass(frozen=True)
class ConvertedModel:
    """Serialized ONNX bytes and the model's input names in order (skl2onnx may respell them)."""

    model_bytes: bytes
    input_names: tuple[str, ...]


def convert_pipeline(pipeline, X_sample, layout: str) -> ConvertedModel:
    """Serialized ONNX model for a fitted ``pipeline``.

    ``layout="matrix"``: one float32 input named ``input`` of shape [N, F].
    ``layout="columns"``: one input per DataFrame column, types read from ``X_sample`` (one row).
    Classifiers output ``label`` [N] and ``probabilities`` [N, K] (ZipMap off).
    """
    estimator = pipeline.steps[-1][1]
    # TF-IDF's StringNormalizer defaults to en_US, which this kind of machine lacks
    options: dict = {TfidfVectorizer: {"locale": "C"}}
    if is_classifier(estimator):
        options[id(estimator)] = {"zipmap": False}
    try:
        if layout == "matrix":
            initial_types = [(MATRIX_INPUT_NAME, FloatTensorType([None, X_sample.shape[1]]))]
            model = to_onnx(pipeline, initial_types=initial_types, options=options)
        else:
            model = to_onnx(pipeline, X_sample, options=options)
    except Exception as error:  # skl2onnx raises many types; the lab keeps going
        raise ConversionError(f"ONNX conversion failed: {type(error).__name__}: {error}") from error
    return ConvertedModel(model.SerializeToString(), tuple(i.name for i in model.graph.input))


def reference_scores(pipeline, X, task: str) -> np.ndarray:
    """scikit-learn's own output on ``X``: probabilities [N, K] or predictions [N] (float64)."""
    if task == "classification":
        return np.asarray(pipeline.predict_proba(X), dtype=np.float64)
    return np.asarray(pipeline.predict(X), dtype=np.float64).reshape(-1)


def parity_max_abs_diff(reference: np.ndarray, onnx_scores: np.ndarray | None) -> float | None:
    """max |ONNX − scikit-learn| over all rows (and classes); None when shapes cannot be compared."""
    if onnx_scores is None:
        return None
    onnx_scores = np.asarray(onnx_scores, dtype=np.float64)
    if onnx_scores.size != reference.size:
        return None
    return float(np.max(np.abs(onnx_scores.reshape(reference.shape) - reference)))
