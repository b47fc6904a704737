"""Fixtures for the right-size engine: real scikit-learn data sets as workload files, and a
folder of bad ONNX uploads generated fresh into a tmp dir, each with its expected message words."""

from __future__ import annotations

import io
import pickle
import zipfile
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


def _identity_model(input_name="input", width=30, nodes=None, initializers=(), opsets=None):
    nodes = nodes or [helper.make_node("Identity", [input_name], ["out"])]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["N", width])],
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["N", width])],
                              initializer=list(initializers))
    return helper.make_model(graph, opset_imports=opsets or _opset())


def _external_initializer_model() -> bytes:
    weight = helper.make_tensor("w", TensorProto.FLOAT, [30], np.zeros(30, np.float32).tobytes(), raw=True)
    weight.ClearField("raw_data")
    weight.data_location = TensorProto.EXTERNAL
    for key, value in (("location", "../../etc/passwd"), ("offset", "0"), ("length", "120")):
        weight.external_data.add(key=key, value=value)
    model = _identity_model(nodes=[helper.make_node("Add", ["input", "w"], ["out"])], initializers=[weight])
    return model.SerializeToString()


def _external_constant_in_subgraph_model() -> bytes:
    """External data hidden in a Constant node inside an If branch."""
    tensor = helper.make_tensor("c", TensorProto.FLOAT, [1], [0.0])
    tensor.ClearField("float_data")
    tensor.data_location = TensorProto.EXTERNAL
    tensor.external_data.add(key="location", value="secrets.bin")
    branch = helper.make_graph([helper.make_node("Constant", [], ["c_out"], value=tensor)], "then", [],
                               [helper.make_tensor_value_info("c_out", TensorProto.FLOAT, [1])])
    cond = numpy_helper.from_array(np.array(True), "cond")
    nodes = [helper.make_node("If", ["cond"], ["c_out"], then_branch=branch, else_branch=branch),
             helper.make_node("Add", ["input", "c_out"], ["out"])]
    return _identity_model(nodes=nodes, initializers=[cond]).SerializeToString()


def _custom_domain_model() -> bytes:
    nodes = [helper.make_node("Exfiltrate", ["input"], ["out"], domain="com.evil")]
    return _identity_model(nodes=nodes, opsets=_opset(helper.make_opsetid("com.evil", 1))).SerializeToString()


def _custom_domain_in_subgraph_model() -> bytes:
    inner = helper.make_graph([helper.make_node("Steal", [], ["x"], domain="com.evil")], "then", [],
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])])
    cond = numpy_helper.from_array(np.array(True), "cond")
    nodes = [helper.make_node("If", ["cond"], ["x"], then_branch=inner, else_branch=inner),
             helper.make_node("Add", ["input", "x"], ["out"])]
    return _identity_model(nodes=nodes, initializers=[cond]).SerializeToString()


def _external_sparse_initializer_model() -> bytes:
    values = helper.make_tensor("sv", TensorProto.FLOAT, [1], [1.0])
    values.ClearField("float_data")
    values.data_location = TensorProto.EXTERNAL
    values.external_data.add(key="location", value="/etc/shadow")
    sparse = helper.make_sparse_tensor(values, helper.make_tensor("si", TensorProto.INT64, [1], [0]), [30])
    model = _identity_model()
    model.graph.sparse_initializer.append(sparse)
    return model.SerializeToString()


def _custom_domain_in_function_model() -> bytes:
    """A model-local function whose body calls a custom-domain operator."""
    body = [helper.make_node("Leak", ["x"], ["y"], domain="com.evil")]
    function = helper.make_function("local", "wrapper", ["x"], ["y"], body,
                                    opset_imports=[helper.make_opsetid("", 17)])
    model = _identity_model(nodes=[helper.make_node("Identity", ["input"], ["out"])])
    model.functions.append(function)
    return model.SerializeToString()


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model/data.pkl", b"weights")
    return buffer.getvalue()


#: file name → (bytes factory taking the good model's bytes, words the rejection must contain)
BAD_UPLOADS = {
    "empty.onnx": (lambda good: b"", ["empty"]),
    "pickle_renamed.onnx": (lambda good: pickle.dumps({"coef": [1.0, 2.0]}), ["pickle", "not an ONNX model"]),
    "random_bytes.onnx": (lambda good: np.random.default_rng(7).bytes(4096), ["not an ONNX model"]),
    "zipped.onnx": (lambda good: _zip_bytes(), ["zip", "not an ONNX model"]),
    "truncated.onnx": (lambda good: good[: len(good) // 2], ["not an ONNX model"]),
    "external_data.onnx": (lambda good: _external_initializer_model(), ["external data", "../../etc/passwd"]),
    "external_in_subgraph.onnx": (lambda good: _external_constant_in_subgraph_model(),
                                  ["external data", "secrets.bin", "subgraph"]),
    "external_sparse.onnx": (lambda good: _external_sparse_initializer_model(),
                             ["sparse initializer", "/etc/shadow"]),
    "custom_domain_in_function.onnx": (lambda good: _custom_domain_in_function_model(),
                                       ["function 'wrapper'", "com.evil"]),
    "custom_domain.onnx": (lambda good: _custom_domain_model(), ["com.evil", "standard ONNX operators"]),
    "custom_domain_in_subgraph.onnx": (lambda good: _custom_domain_in_subgraph_model(), ["com.evil", "Steal"]),
    "wrong_inputs.onnx": (lambda good: _identity_model("features", 3).SerializeToString(),
                          ["inputs do not match", "Expected input (float, [N, 30])", "Found features"]),
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
