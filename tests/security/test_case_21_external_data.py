"""Case 21 — external-data tricks: any tensor that points outside the file is refused by the
pre-check, wherever it hides (initializers, sparse initializers, Constant attributes, If/Loop/Scan
bodies, model-local functions, training graphs), and ONNX Runtime never sees the model.

Symlinks and hardlinks "in a model dir" have nothing to point from: uploads are never written
to a model folder, ONNX Runtime gets the bytes, and the measurement worker runs in an empty
working directory (checked below), so no relative location could resolve to anything.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from onnx import TensorProto, helper

from core.models.onnx_checks import UploadRejected, check_model_file
from tests.security.onnx_payloads import (  # noqa: F401 (cancer_workload: a fixture)
    cancer_workload, external, identity_model, if_model, opsets, refused_before_onnx_runtime)


def _weight(name="w"):
    return helper.make_tensor(name, TensorProto.FLOAT, [30], np.zeros(30, np.float32).tobytes(), raw=True)


def _initializer_at(location: str, extra=()) -> bytes:
    weight = external(_weight(), location, extra=extra)
    model = identity_model(nodes=[helper.make_node("Add", ["input", "w"], ["out"])], initializers=[weight])
    return model.SerializeToString()


def _constant_in_subgraph() -> bytes:
    """External data hidden in a Constant node inside an If branch."""
    tensor = external(helper.make_tensor("c", TensorProto.FLOAT, [1], [0.0]), "secrets.bin")
    return if_model([helper.make_node("Constant", [], ["x"], value=tensor)]).SerializeToString()


def _sparse_initializer() -> bytes:
    values = external(helper.make_tensor("sv", TensorProto.FLOAT, [1], [1.0]), "/etc/shadow")
    sparse = helper.make_sparse_tensor(values, helper.make_tensor("si", TensorProto.INT64, [1], [0]), [30])
    model = identity_model()
    model.graph.sparse_initializer.append(sparse)
    return model.SerializeToString()


def _constant_sparse_value() -> bytes:
    values = external(helper.make_tensor("sv", TensorProto.FLOAT, [1], [1.0]), "../weights.bin")
    sparse = helper.make_sparse_tensor(values, helper.make_tensor("si", TensorProto.INT64, [1], [0]), [30])
    nodes = [helper.make_node("Constant", [], ["c"], sparse_value=sparse), helper.make_node("Add", ["input", "c"], ["out"])]
    return identity_model(nodes=nodes).SerializeToString()


def _subgraph_initializer() -> bytes:
    tensor = external(helper.make_tensor("b", TensorProto.FLOAT, [1], [0.0]), "branch.bin")
    return if_model([helper.make_node("Identity", ["b"], ["x"])], initializers=[tensor]).SerializeToString()


def _loop_body_initializer() -> bytes:
    tensor = external(helper.make_tensor("k", TensorProto.FLOAT, [1], [0.0]), "loop.bin")
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]), helper.make_node("Add", ["acc_in", "k"], ["acc_out"])],
        "body", [helper.make_tensor_value_info("i", TensorProto.INT64, []),
                 helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
                 helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, ["N", 30])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, ["N", 30])], initializer=[tensor])
    nodes = [helper.make_node("Loop", ["", "cond", "input"], ["out"], body=body)]
    from tests.security.onnx_payloads import cond_true
    return identity_model(nodes=nodes, initializers=[cond_true()]).SerializeToString()


def _scan_body_initializer() -> bytes:
    tensor = external(helper.make_tensor("k", TensorProto.FLOAT, [1], [0.0]), "scan.bin")
    body = helper.make_graph([helper.make_node("Add", ["row", "k"], ["row_out"])], "body",
                             [helper.make_tensor_value_info("row", TensorProto.FLOAT, [30])],
                             [helper.make_tensor_value_info("row_out", TensorProto.FLOAT, [30])], initializer=[tensor])
    nodes = [helper.make_node("Scan", ["input"], ["out"], body=body, num_scan_inputs=1)]
    return identity_model(nodes=nodes).SerializeToString()


def _function_constant() -> bytes:
    tensor = external(helper.make_tensor("c", TensorProto.FLOAT, [1], [0.0]), "function.bin")
    body = [helper.make_node("Constant", [], ["c"], value=tensor), helper.make_node("Add", ["x", "c"], ["y"])]
    function = helper.make_function("local", "shift", ["x"], ["y"], body, opset_imports=opsets())
    model = identity_model(nodes=[helper.make_node("shift", ["input"], ["out"], domain="local")],
                           opset_imports=opsets(helper.make_opsetid("local", 1)))
    model.functions.append(function)
    return model.SerializeToString()


def _flag_without_location() -> bytes:
    weight = _weight()
    weight.ClearField("raw_data")
    weight.data_location = TensorProto.EXTERNAL
    return identity_model(nodes=[helper.make_node("Add", ["input", "w"], ["out"])], initializers=[weight]).SerializeToString()


def _location_without_flag() -> bytes:
    weight = _weight()
    weight.ClearField("raw_data")
    weight.external_data.add(key="location", value="quiet.bin")  # data_location left DEFAULT
    return identity_model(nodes=[helper.make_node("Add", ["input", "w"], ["out"])], initializers=[weight]).SerializeToString()


def _training_info() -> bytes:
    """External data (and a training operator) in training_info, a graph nobody runs for inference."""
    tensor = external(helper.make_tensor("lr", TensorProto.FLOAT, [1], [0.1]), "../../etc/passwd")
    init = helper.make_graph([helper.make_node("Constant", [], ["lr_out"], value=tensor)], "init", [],
                             [helper.make_tensor_value_info("lr_out", TensorProto.FLOAT, [1])])
    model = identity_model()
    model.training_info.add().initialization.CopyFrom(init)
    return model.SerializeToString()


PAYLOADS = {  # name → (bytes, words the refusal must contain)
    # moved from tests/unit/rightsize/conftest.py (BAD_UPLOADS)
    "external_data.onnx": (lambda: _initializer_at("../../etc/passwd"), ["external data", "../../etc/passwd"]),
    "external_in_subgraph.onnx": (_constant_in_subgraph, ["external data", "secrets.bin", "subgraph"]),
    "external_sparse.onnx": (_sparse_initializer, ["sparse initializer", "/etc/shadow"]),
    # the rest of the case's list
    "dot_dot_inside.onnx": (lambda: _initializer_at("sub/../../x"), ["external data", "sub/../../x"]),
    "absolute.onnx": (lambda: _initializer_at("/etc/passwd"), ["initializer 'w'", "/etc/passwd"]),
    "ort_mem_addr.onnx": (lambda: _initializer_at("*/_ORT_MEM_ADDR_/*"), ["external data", "_ORT_MEM_ADDR_"]),
    "duplicate_location.onnx": (lambda: _initializer_at("ok.bin", extra=(("location", "../../etc/passwd"),)),
                                ["external data"]),
    "flag_only.onnx": (_flag_without_location, ["external data", "'?'"]),
    "location_only.onnx": (_location_without_flag, ["external data", "quiet.bin"]),
    "constant_sparse_value.onnx": (_constant_sparse_value, ["attribute 'sparse_value'", "../weights.bin"]),
    "if_branch_initializer.onnx": (_subgraph_initializer, ["subgraph", "branch.bin"]),
    "loop_body_initializer.onnx": (_loop_body_initializer, ["subgraph", "loop.bin"]),
    "scan_body_initializer.onnx": (_scan_body_initializer, ["subgraph", "scan.bin"]),
    "function_constant.onnx": (_function_constant, ["function 'shift'", "function.bin"]),
    "training_info.onnx": (_training_info, ["training", "only inference models"]),
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_external_data_anywhere_is_refused_before_onnx_runtime(name, cancer_workload, monkeypatch):  # noqa: F811
    message = refused_before_onnx_runtime(PAYLOADS, name, cancer_workload, monkeypatch)


def test_training_info_is_refused_even_without_anything_hidden_in_it():
    """training_info used to be skipped by every walk; the choice is to refuse it (see the check's docstring)."""
    model = identity_model()
    model.training_info.add()
    with pytest.raises(UploadRejected, match="training graph"):
        check_model_file(model.SerializeToString(), "trainable.onnx")


def test_the_measurement_worker_runs_in_an_empty_working_directory():
    from core.rightsize.worker import MeasurementWorker

    with MeasurementWorker(2 * 1024**3) as worker:
        worker.start()
        cwd = os.readlink(f"/proc/{worker._process.pid}/cwd")
        assert os.listdir(cwd) == []
    assert not os.path.exists(cwd)  # removed with the worker
