"""Case 23 — resource-bomb graphs: valid ONNX that asks for absurd memory or time at run time.
Measured in a separate process with an address-space limit and a wall-time limit; the candidate
fails with "exceeded limits: …", this process (the server's stand-in) carries on, and the next
model gets a fresh worker. Limits here are small (1.5 GiB, 3 s) so the file stays fast.

A "1.9 GB initializer" never gets that far: the upload size limit refuses the file first
(``test_an_oversized_file_is_refused_before_parsing``). Deep recursion: ONNX has no recursion
(a function cannot call itself), and nesting depth is bounded by the file size limit.
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import asdict

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_breast_cancer

from core.models.onnx_checks import UploadRejected, check_model_file
from core.rightsize.lab import run_lab
from core.rightsize.scenario import ScenarioSettings
from core.rightsize.worker import MeasurementWorker
from tests.security.onnx_payloads import identity_model
from tests.unit.rightsize.conftest import QUICK, good_model_bytes, huge_constant_model

MEMORY_LIMIT_BYTES = 1536 * 1024**2
TIME_LIMIT_S = 3.0


def _int64(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def _one(name="one"):
    return numpy_helper.from_array(np.ones((1, 1), np.float32), name)


def _bomb(nodes, initializers) -> bytes:
    """``score = sum(input) + sum(big)``: the graph must build ``big`` to answer."""
    tail = [helper.make_node("ReduceSum", ["big"], ["total"], keepdims=0),
            helper.make_node("ReduceSum", ["input"], ["row_sum"], keepdims=0),
            helper.make_node("Add", ["row_sum", "total"], ["score"])]
    graph = helper.make_graph(nodes + tail, "bomb", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3])],
                              [helper.make_tensor_value_info("score", TensorProto.FLOAT, [])],
                              initializer=list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


def _loop(trip_count: int) -> bytes:
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]), helper.make_node("Add", ["acc_in", "step"], ["acc_out"])],
        "body", [helper.make_tensor_value_info("i", TensorProto.INT64, []),
                 helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
                 helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, [])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [])])
    return _bomb([helper.make_node("Loop", ["trips", "cond", "zero"], ["big"], body=body)],
                 [_int64("trips", trip_count), numpy_helper.from_array(np.array(True), "cond"),
                  numpy_helper.from_array(np.array(0, np.float32), "zero"),
                  numpy_helper.from_array(np.array(1, np.float32), "step")])


BOMBS = {
    "constant_of_shape_1e9x1e9": lambda: _bomb(
        [helper.make_node("ConstantOfShape", ["shape"], ["big"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0]))],
        [_int64("shape", [10**9, 10**9])]),
    "expand_1e5x1e5": lambda: _bomb([helper.make_node("Expand", ["one", "shape"], ["big"])],
                                    [_one(), _int64("shape", [100_000, 100_000])]),
    "tile_1e5x1e5": lambda: _bomb([helper.make_node("Tile", ["one", "reps"], ["big"])],
                                  [_one(), _int64("reps", [100_000, 100_000])]),
    "range_1e11": lambda: _bomb([helper.make_node("Range", ["start", "limit", "delta"], ["big"])],
                                [numpy_helper.from_array(np.array(v, np.float32), n)
                                 for n, v in (("start", 0), ("limit", 1e11), ("delta", 1))]),
    "loop_1e12_trips": lambda: _loop(10**12),
}


def _settings() -> dict:
    return asdict(ScenarioSettings(batch_size=8, warmup_runs=1, latency_repetitions=2, offline_min_s=0.0,
                                   offline_max_passes=1))


@pytest.fixture(scope="module")
def worker():
    with MeasurementWorker(MEMORY_LIMIT_BYTES) as handle:
        yield handle


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_bomb_exceeds_the_limits_and_the_next_model_gets_a_fresh_worker(worker, name):
    bomb = BOMBS[name]()
    check_model_file(bomb, f"{name}.onnx")  # valid ONNX: only running it shows the blow-up
    feeds = {"input": np.ones((8, 3), np.float32)}
    outcome = worker.measure(bomb, feeds, _settings(), TIME_LIMIT_S)
    assert not outcome.ok and outcome.reason.startswith("exceeded limits:"), outcome.reason
    assert "onnxruntime_src" not in outcome.reason and "[ONNXRuntimeError]" not in outcome.reason
    fine = identity_model(width=3).SerializeToString()
    assert worker.measure(fine, feeds, _settings(), 30.0).ok  # respawned, and this process is fine


def test_an_oversized_file_is_refused_before_parsing():
    weights = numpy_helper.from_array(np.zeros(300_000, np.float32), "w")  # 1.2 MB stands in for 1.9 GB
    data = _bomb([helper.make_node("Identity", ["w"], ["big"])], [weights])
    with pytest.raises(UploadRejected, match=r"over the 1\.0 MB limit"):
        check_model_file(data, "big.onnx", max_bytes=1024**2)


def test_uploads_good_rejected_and_exploding():
    """Moved from tests/unit/rightsize/test_rightsize_lab.py: one lab run with a good upload, a
    pickle renamed .onnx and a 40 GB ConstantOfShape; the run completes and says which is which."""
    frame = load_breast_cancer(as_frame=True).frame
    uploads = [("good.onnx", good_model_bytes(frame)),
               ("pickle_renamed.onnx", pickle.dumps({"coef": [1.0, 2.0]})),
               ("huge_constant.onnx", huge_constant_model(frame.shape[1] - 1))]
    config = dataclasses.replace(QUICK, memory_limit_bytes=2 * 1024**3)
    report = run_lab(frame, "target", config, uploads=uploads)
    by_name = {c.name: c for c in report.candidates}
    good = by_name["Upload · good.onnx"]
    assert good.source == "upload" and good.status == "ok" and good.quality > 0.9
    assert good.parity_max_abs_diff is None
    rejected = by_name["Upload · pickle_renamed.onnx"]
    assert rejected.status == "rejected" and "pickle" in rejected.reason
    huge = by_name["Upload · huge_constant.onnx"]
    assert huge.status == "failed" and huge.reason.startswith("exceeded limits:"), huge.reason
    assert huge.quality is None and not huge.costs
    assert "Upload · huge_constant.onnx" not in report.onnx_bytes_by_name
