"""Case 25 — the model I/O contract: inputs are matched against the workload's columns before
anything runs (names, element type, rank; a dynamic batch dimension is fine), and outputs are
checked before scoring: no float output with one value per row, NaN or ±inf answers, or finite
answers so large that the quality itself is NaN or ±inf make the candidate fail with the
reason, and no quality, cost or recommendation is computed from it.

Not covered yet: non-deterministic outputs (a model using RandomUniformLike). Detecting them
needs a second scoring pass per candidate; left for a later change.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_diabetes

from core.rightsize.lab import run_lab
from core.rightsize.quality import OutputError, read_scores
from core.rightsize.upload import UploadRejected, check_upload
from tests.security.onnx_payloads import cancer_workload, identity_model, never_reaches_onnx_runtime  # noqa: F401
from tests.unit.rightsize.conftest import QUICK


def _with_input(elem=TensorProto.FLOAT, shape=("N", 30), name="input") -> bytes:
    graph = helper.make_graph([helper.make_node("Identity", [name], ["out"])], "g",
                              [helper.make_tensor_value_info(name, elem, list(shape))],
                              [helper.make_tensor_value_info("out", elem, list(shape))])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


@pytest.mark.parametrize("name, data, words", [
    # moved from tests/unit/rightsize/conftest.py (BAD_UPLOADS)
    ("wrong_inputs.onnx", identity_model("features", 3).SerializeToString(),
     ["inputs do not match", "Expected input (float, [N, 30])", "Found features"]),
    ("wrong_dtype.onnx", _with_input(TensorProto.INT64), ["inputs do not match", "int64"]),
    ("wrong_rank.onnx", _with_input(shape=("N", 30, 1)), ["inputs do not match", "[N, 30, 1]"]),
    ("wrong_width.onnx", _with_input(shape=("N", 29)), ["inputs do not match", "[N, 29]"]),
], ids=lambda value: value if isinstance(value, str) and value.endswith(".onnx") else "")
def test_inputs_that_do_not_fit_the_workload_are_refused_before_onnx_runtime(name, data, words, cancer_workload,  # noqa: F811
                                                                             monkeypatch):
    never_reaches_onnx_runtime(monkeypatch)
    with pytest.raises(UploadRejected) as error:
        check_upload(data, cancer_workload, name)
    assert str(error.value).startswith(f"{name}: ")
    for word in words:
        assert word in str(error.value), str(error.value)


def test_a_dynamic_batch_dimension_is_accepted(cancer_workload):  # noqa: F811
    assert check_upload(_with_input(shape=("batch", 30)), cancer_workload, "dynamic.onnx").binding.layout == "matrix"


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_predictions_are_refused_not_scored(bad):
    """Moved from tests/unit/rightsize/test_rightsize_quality.py."""
    predictions = np.array([1.0, 2.0, bad, 4.0], dtype=np.float32)
    with pytest.raises(OutputError, match=r"'variable' gives predictions that are NaN or infinite for 1 of 4"):
        read_scores([("variable", predictions)], "regression", (), 4)
    probabilities = np.array([[0.2, 0.8], [bad, 0.5], [0.5, bad], [1.0, 0.0]], dtype=np.float32)
    with pytest.raises(OutputError, match=r"class probabilities that are NaN or infinite for 2 of 4"):
        read_scores([("probabilities", probabilities)], "classification", (0, 1), 4)


def test_an_output_of_the_wrong_shape_is_not_scored():
    with pytest.raises(OutputError, match="no float output with one value per row"):
        read_scores([("variable", np.zeros((4, 2), np.float32))], "regression", (), 4)
    with pytest.raises(OutputError, match="no output looks like class labels or probabilities for 2 classes"):
        read_scores([("probabilities", np.zeros((4, 3), np.float32))], "classification", (0, 1), 4)


def _regression_model(width: int, tail, out_type=TensorProto.FLOAT, initializers=()) -> bytes:
    """``variable = tail(mean of the row)``, one value per row."""
    nodes = [helper.make_node("ReduceMean", ["input"], ["row_mean"], axes=[1], keepdims=0), *tail]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", width])],
                              [helper.make_tensor_value_info("variable", out_type, ["N"])],
                              initializer=list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


def test_models_answering_nan_or_huge_numbers_fail_with_the_reason_and_no_figures():
    """Moved from tests/unit/rightsize/test_rightsize_lab.py (the NaN model) and extended: a model
    answering about 1e200 (finite) used to be "ok" with R² -inf and a price."""
    frame = load_diabetes(as_frame=True).frame
    width = frame.shape[1] - 1
    zero = numpy_helper.from_array(np.zeros(1, np.float32), "zero")
    nan = _regression_model(width, [helper.make_node("Mul", ["row_mean", "zero"], ["row_zero"]),
                                    helper.make_node("Div", ["row_zero", "row_zero"], ["variable"])],  # 0 / 0
                            initializers=[zero])
    big = numpy_helper.from_array(np.array([1e200]), "big")
    huge = _regression_model(width, [helper.make_node("Cast", ["row_mean"], ["as_double"], to=TensorProto.DOUBLE),
                                     helper.make_node("Add", ["as_double", "big"], ["variable"])],
                             out_type=TensorProto.DOUBLE, initializers=[big])
    report = run_lab(frame, "target", QUICK, uploads=[("nan.onnx", nan), ("huge.onnx", huge)])
    by_name = {c.name: c for c in report.candidates}
    for name, words in (("Upload · nan.onnx", "NaN or infinite for"), ("Upload · huge.onnx", "R² is -inf")):
        candidate = by_name[name]
        assert candidate.status == "failed" and words in candidate.reason, candidate.reason
        assert candidate.quality is None and candidate.quality_ci is None and not candidate.costs
        assert report.recommended != name and report.best != name and name not in report.onnx_bytes_by_name
    assert any(c.status == "ok" for c in report.candidates)
    json.dumps(report.to_dict(), allow_nan=False)
