"""Fixtures for the right-size engine: real scikit-learn data sets as workload files, and a
folder of bad ONNX uploads generated fresh into a tmp dir, each with its expected message words
(hostile models are in tests/security/, one file per case)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris

from core.rightsize.config import LabConfig
from core.rightsize.workload import prepare_workload

QUICK = LabConfig(ladder="quick", latency_repetitions=50, warmup_runs=5, offline_min_s=0.0,
                  offline_max_passes=1, bootstrap_resamples=100)


@pytest.fixture(scope="session")
def cancer_frame() -> pd.DataFrame:
    return load_breast_cancer(as_frame=True).frame


@pytest.fixture(scope="session")
def iris_frame() -> pd.DataFrame:
    return load_iris(as_frame=True).frame


@pytest.fixture(scope="session")
def diabetes_frame() -> pd.DataFrame:
    return load_diabetes(as_frame=True).frame


@pytest.fixture(scope="session")
def cancer_workload(cancer_frame):
    return prepare_workload(cancer_frame, "target", LabConfig(), "cancer.csv")


def _opset(*extra):
    return [helper.make_opsetid("", 17), *extra]


def _matrix_input(width: int):
    return helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", width])


def good_model_bytes(frame: pd.DataFrame) -> bytes:
    """A real scikit-learn logistic regression exported with one float input [N, F]."""
    from sklearn.linear_model import LogisticRegression
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType

    X = frame.drop(columns=["target"]).to_numpy(dtype=np.float32)
    model = LogisticRegression(max_iter=2000).fit(X, frame["target"])
    onx = to_onnx(model, initial_types=[("input", FloatTensorType([None, X.shape[1]]))],
                  options={id(model): {"zipmap": False}})
    return onx.SerializeToString()


def huge_constant_model(width: int) -> bytes:
    """Valid ONNX whose ConstantOfShape asks for 1e10 floats (40 GB) at run time."""
    shape = numpy_helper.from_array(np.array([100_000, 100_000], dtype=np.int64), "shape")
    nodes = [
        helper.make_node("ConstantOfShape", ["shape"], ["big"],
                         value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0])),
        helper.make_node("ReduceSum", ["big"], ["total"], keepdims=0),
        helper.make_node("ReduceSum", ["input"], ["row_sum"], axes=None, keepdims=0),
        helper.make_node("Add", ["row_sum", "total"], ["score"]),
    ]
    graph = helper.make_graph(nodes, "huge", [_matrix_input(width)],
                              [helper.make_tensor_value_info("score", TensorProto.FLOAT, [])],
                              initializer=[shape])
    return helper.make_model(graph, opset_imports=_opset()).SerializeToString()


#: file name → (bytes factory taking the good model's bytes, words the rejection must contain).
#: The hostile files live with their security case: tests/security/test_case_21 … 26.
BAD_UPLOADS = {
    "empty.onnx": (lambda good: b"", ["empty"]),
}


def pytest_generate_tests(metafunc):
    """Tests asking for ``bad_upload_name`` run once per file of the bad-uploads folder."""
    if "bad_upload_name" in metafunc.fixturenames:
        metafunc.parametrize("bad_upload_name", sorted(BAD_UPLOADS))


@pytest.fixture
def bad_upload_words(bad_upload_name) -> list[str]:
    """Words the rejection message of ``bad_upload_name`` must contain."""
    return BAD_UPLOADS[bad_upload_name][1]


@pytest.fixture(scope="session")
def quick_config() -> LabConfig:
    """Three small candidates and short timing loops, so a lab run takes about a second."""
    return QUICK


@pytest.fixture(scope="session")
def huge_constant_upload() -> bytes:
    return huge_constant_model(30)


@pytest.fixture(scope="session")
def workload_file():
    """``workload_file(frame, folder, "csv" | "parquet" | "xlsx") -> Path``."""
    return write_workload


@pytest.fixture(scope="session")
def good_upload(cancer_frame) -> bytes:
    return good_model_bytes(cancer_frame)


@pytest.fixture(scope="session")
def bad_upload_dir(tmp_path_factory, good_upload) -> Path:
    folder = tmp_path_factory.mktemp("bad_uploads")
    for name, (make, _) in BAD_UPLOADS.items():
        (folder / name).write_bytes(make(good_upload))
    (folder / "huge_constant.onnx").write_bytes(huge_constant_model(30))
    return folder


def write_workload(frame: pd.DataFrame, folder: Path, kind: str) -> Path:
    path = folder / f"workload.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_excel(path, index=False)
    return path
