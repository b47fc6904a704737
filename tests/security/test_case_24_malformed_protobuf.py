"""Case 24 — malformed protobuf and models this server cannot run: truncated files, random
bytes, a length field claiming > 2 GB, an unsupported IR version or opset, raw data that does
not match its shape, an int64 dimension overflow. Each is refused with where + what + how to
fix, nothing is stored, and ONNX Runtime's own load (in a limited child process) is the last
word: the registry refuses what ONNX Runtime cannot load, and accepts what it can even when
the ONNX checker's strict shape inference disagrees.
"""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from core.errors import ValidationError
from core.models.catalogue import register_uploaded_model
from core.models.onnx_checks import UploadRejected
from core.models.runtime_check import check_runtime_loads
from core.rightsize.upload import check_upload
from tests.conftest import LEAD_RETAIL
from tests.security.onnx_payloads import (  # noqa: F401 (cancer_workload: a fixture)
    cancer_workload, identity_model, refused_before_onnx_runtime)


def _weighted_model() -> bytes:
    weights = numpy_helper.from_array(np.zeros(30, np.float32), "w")
    return identity_model(nodes=[helper.make_node("Add", ["input", "w"], ["out"])], initializers=[weights]
                          ).SerializeToString()


def _with(ir_version=None, opset=None) -> bytes:
    model = identity_model(opset_imports=[helper.make_opsetid("", 17 if opset is None else opset)])
    if ir_version is not None:
        model.ir_version = ir_version
    return model.SerializeToString()


def _tensor_model(tensor: TensorProto) -> bytes:
    return identity_model(nodes=[helper.make_node("Add", ["input", tensor.name], ["out"])],
                          initializers=[tensor]).SerializeToString()


PAYLOADS = {  # name → (bytes, words the refusal must contain)
    # moved from tests/unit/rightsize/conftest.py (BAD_UPLOADS)
    "random_bytes.onnx": (lambda: np.random.default_rng(7).bytes(4096), ["not an ONNX model"]),
    "truncated.onnx": (lambda: _weighted_model()[: len(_weighted_model()) // 2], ["not an ONNX model"]),
    # the rest of the case's list
    "claims_4gb.onnx": (lambda: b"\x3a\xff\xff\xff\xff\x0f" + bytes(64), ["not an ONNX model", "truncated"]),
    "ir_version_99.onnx": (lambda: _with(ir_version=99), ["IR version 99", "Re-export"]),
    "opset_99.onnx": (lambda: _with(opset=99), ["opset 99", "opsets 1 to", "target_opset"]),
    "opset_0.onnx": (lambda: _with(opset=0), ["opset 0", "Re-export"]),
    "raw_data_short.onnx": (lambda: _tensor_model(TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[30],
                                                              raw_data=bytes(7))),
                            ["initializer 'w'", "[30] (120 bytes) but holds 7 bytes"]),
    "dim_overflow.onnx": (lambda: _tensor_model(TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2**62, 4],
                                                            raw_data=b"")),
                          ["initializer 'w'", "4611686018427387904", "damaged"]),
    "negative_dim.onnx": (lambda: _tensor_model(TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[-1],
                                                            raw_data=b"")), ["negative dimension"]),
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_a_malformed_file_is_refused_cleanly_before_onnx_runtime(name, cancer_workload, monkeypatch):  # noqa: F811
    message = refused_before_onnx_runtime(PAYLOADS, name, cancer_workload, monkeypatch)
    assert "DecodeError" not in message and "Traceback" not in message  # library text goes to the log


def _versions(store) -> int:
    return store.scalar("SELECT count(*) FROM model_version")


def _string_add() -> bytes:
    """Valid ONNX (the structural checker accepts it) that ONNX Runtime has no kernel for."""
    graph = helper.make_graph([helper.make_node("Add", ["input", "input"], ["out"])], "g",
                              [helper.make_tensor_value_info("input", TensorProto.STRING, ["N", 1])],
                              [helper.make_tensor_value_info("out", TensorProto.STRING, ["N", 1])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


@pytest.mark.parametrize("data, words", [
    (_with(opset=99), ["opset99.onnx", "opset 99 of the ai.onnx operators", "Re-export"]),
    (_string_add(), ["opset99.onnx", "ONNX Runtime on this server cannot load the model", "Re-export"]),
], ids=["opset_99", "no_kernel_for_string_add"])
def test_the_registry_refuses_a_model_onnx_runtime_cannot_load(tiny_store, data, words):
    """An opset-99 model used to be registered; ONNX Runtime refuses it (and any model it cannot load)."""
    before = _versions(tiny_store)
    with pytest.raises(ValidationError) as error:
        register_uploaded_model(tiny_store, LEAD_RETAIL, "A", "m", data, task="regression", version="v1",
                                file_name="opset99.onnx")
    for word in words:
        assert word in str(error.value), str(error.value)
    assert "onnxruntime_src" not in str(error.value) and "[ONNXRuntimeError]" not in str(error.value)
    assert _versions(tiny_store) == before


def _declared_shape_disagrees() -> bytes:
    """Runs fine in ONNX Runtime; the checker's strict shape inference refuses it ([N, 30] vs [N, 5])."""
    graph = helper.make_graph([helper.make_node("Identity", ["input"], ["out"])], "g",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 30])],
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["N", 5])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


def test_a_model_onnx_runtime_runs_is_not_refused_for_strict_shape_inference(tiny_store, cancer_workload):  # noqa: F811
    data = _declared_shape_disagrees()
    check_upload(data, cancer_workload, "lenient.onnx")
    version = register_uploaded_model(tiny_store, LEAD_RETAIL, "A", "m", data, task="regression", version="v1",
                                      file_name="lenient.onnx")
    assert tiny_store.scalar("SELECT status FROM model_version WHERE id = ?", [version]) == "candidate"


def test_a_load_that_runs_out_of_memory_is_contained_in_the_child():
    with pytest.raises(UploadRejected, match=r"exceeded limits: .*64 MB memory limit"):
        check_runtime_loads(_weighted_model(), "small.onnx", memory_limit_bytes=64 * 1024**2)


def test_a_native_crash_while_loading_is_an_exit_code_not_a_crash_of_the_server(monkeypatch):
    crashed = subprocess.CompletedProcess(args=[], returncode=-11, stdout=b"", stderr=b"Segmentation fault")
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: crashed)
    with pytest.raises(UploadRejected, match=r"crash.onnx: exceeded limits: .*signal 11"):
        check_runtime_loads(_weighted_model(), "crash.onnx")
