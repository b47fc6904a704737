"""Hand-built ONNX payloads for the model cases (21–26), and the checks every refusal shares."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

WIDTH = 30  # features of the breast-cancer workload the lab cases use


def opsets(*extra):
    return [helper.make_opsetid("", 17), *extra]


def identity_model(input_name="input", width=WIDTH, nodes=None, initializers=(), opset_imports=None):
    """``out = input`` unless ``nodes`` say otherwise: float [N, width] in and out."""
    nodes = nodes or [helper.make_node("Identity", [input_name], ["out"])]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["N", width])],
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["N", width])],
                              initializer=list(initializers))
    return helper.make_model(graph, opset_imports=opset_imports or opsets())


def cond_true():
    return numpy_helper.from_array(np.array(True), "cond")


def if_model(branch_nodes, branch_output="x", initializers=()):
    """An If whose then/else branch runs ``branch_nodes``; the branch output is added to the input."""
    branch = helper.make_graph(branch_nodes, "then", [], [helper.make_tensor_value_info(branch_output,
                                                                                     TensorProto.FLOAT, [1])],
                               initializer=list(initializers))
    nodes = [helper.make_node("If", ["cond"], [branch_output], then_branch=branch, else_branch=branch),
             helper.make_node("Add", ["input", branch_output], ["out"])]
    return identity_model(nodes=nodes, initializers=[cond_true()])


def external(tensor: TensorProto, location: str, *, extra=()) -> TensorProto:
    """``tensor`` moved to 'external data' at ``location`` (plus more key/value entries)."""
    for field in ("raw_data", "float_data", "int64_data"):
        tensor.ClearField(field)
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), *extra):
        tensor.external_data.add(key=key, value=value)
    return tensor


def never_reaches_onnx_runtime(monkeypatch) -> None:
    """Make any ONNX Runtime session in this process fail the test."""
    import onnxruntime

    def never(*args, **kwargs):
        raise AssertionError("ONNX Runtime must not see a rejected upload")

    monkeypatch.setattr(onnxruntime, "InferenceSession", never)


@pytest.fixture(scope="session")
def cancer_workload():
    from sklearn.datasets import load_breast_cancer

    from core.rightsize.config import LabConfig
    from core.rightsize.workload import prepare_workload

    return prepare_workload(load_breast_cancer(as_frame=True).frame, "target", LabConfig(), "cancer.csv")


def refused_before_onnx_runtime(payloads: dict, name: str, workload, monkeypatch) -> str:
    """Upload payload ``name`` of ``payloads`` ({name: (make, words)}) to the lab's check: it must
    be refused before ONNX Runtime sees it, with a message that starts with the file's name and
    holds every one of ``words``. Returns the message (for a case's own further checks)."""
    from core.models.onnx_checks import UploadRejected
    from core.rightsize.upload import check_upload

    never_reaches_onnx_runtime(monkeypatch)
    make, words = payloads[name]
    with pytest.raises(UploadRejected) as error:
        check_upload(make(), workload, name)
    message = str(error.value)
    assert message.startswith(f"{name}: ")
    for word in words:
        assert word in message, message
    return message
