"""ONNX Runtime backend: one session from bytes, one thread, no custom operators.

Imports numpy and onnxruntime only: this module runs inside the measurement worker process.
"""

from __future__ import annotations

import onnxruntime as ort

PROVIDERS = ("CPUExecutionProvider",)


class SessionLoadError(RuntimeError):
    """ONNX Runtime refused to build a session from the model (as opposed to failing a run)."""


def session_options() -> ort.SessionOptions:
    """One intra-op and one inter-op thread, sequential execution, errors-only logging.

    One thread makes timings comparable on shared machines (two-thread timings swing ~3× here)
    and matches the pricing model, where a profile runs ``cores`` single-threaded workers.
    Custom-op libraries are never registered, so only built-in ONNX / ONNX-ML kernels can run.
    """
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return options


def create_session(model_bytes: bytes) -> ort.InferenceSession:
    """An ``InferenceSession`` built from in-memory bytes (never from a path, so no external data);
    ``SessionLoadError`` when ONNX Runtime refuses the model (memory errors pass through)."""
    try:
        return ort.InferenceSession(model_bytes, sess_options=session_options(), providers=list(PROVIDERS))
    except MemoryError:
        raise
    except Exception as error:
        raise SessionLoadError(str(error)) from error
