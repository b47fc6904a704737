"""The measurement worker stays light, and its replies can never carry a pickle."""

import subprocess
import sys

import numpy as np
import pytest

from core.rightsize.worker import decode_reply, encode_reply


def test_worker_side_imports_only_numpy_and_onnxruntime():
    code = ("import sys, core.rightsize.worker, core.rightsize.scenario, core.rightsize.backend; "
            "heavy = [m for m in ('sklearn', 'pandas', 'duckdb', 'skl2onnx', 'onnx', 'scipy', 'streamlit') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_reply_round_trip_keeps_numbers_and_strings():
    header, arrays = decode_reply(encode_reply({"ok": True, "x": 1.5},
                                               [np.arange(3.0), np.array(["a", "bb"])])[8:])
    assert header == {"ok": True, "x": 1.5}
    assert arrays[0].tolist() == [0.0, 1.0, 2.0] and arrays[1].tolist() == ["a", "bb"]


def test_reply_refuses_object_arrays_that_would_need_pickle():
    with pytest.raises(ValueError):
        encode_reply({"ok": True}, [np.array([object()], dtype=object)])
