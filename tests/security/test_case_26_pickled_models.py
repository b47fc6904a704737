"""Case 26 — pickles and other model formats renamed .onnx: each payload would create a marker
file if anything unpickled it. Every one is refused as "not an ONNX model" (the lab's check and
the registry's), the marker never appears, and no module on the upload path imports pickle,
joblib, torch or another unpickler (static test)."""

from __future__ import annotations

import ast
import io
import pathlib
import pickle
import zipfile
from pathlib import Path

import pytest

from core.errors import ValidationError
from core.models.catalogue import register_uploaded_model
from core.rightsize.upload import UploadRejected, check_upload
from tests.conftest import LEAD_RETAIL
from tests.security.onnx_payloads import cancer_workload, never_reaches_onnx_runtime  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
UPLOAD_PATH = ("core/models/onnx_checks.py", "core/models/runtime_check.py", "core/models/catalogue.py",
               "core/rightsize/upload.py", "core/rightsize/inputs.py")
UNPICKLERS = {"pickle", "_pickle", "cPickle", "joblib", "torch", "cloudpickle", "dill", "keras", "h5py", "shelve",
              "marshal"}


class _Marker:
    """Unpickling this touches the marker file (``Path.touch``): proof that something unpickled it."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return pathlib.Path.touch, (pathlib.Path(self.path),)


def _pickle(marker, protocol):
    return pickle.dumps(_Marker(marker), protocol=protocol)


def _zip(member: str, payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, payload)
    return buffer.getvalue()


def _joblib(marker) -> bytes:
    joblib = pytest.importorskip("joblib")
    buffer = io.BytesIO()
    joblib.dump(_Marker(marker), buffer)
    return buffer.getvalue()


PAYLOADS = {  # name → (bytes from the marker path, words the refusal must contain)
    # moved from tests/unit/rightsize/conftest.py (BAD_UPLOADS), now with a payload
    "pickle_renamed.onnx": (lambda m: _pickle(m, 4), ["pickle", "not an ONNX model"]),
    "zipped.onnx": (lambda m: _zip("model/data.pkl", _pickle(m, 2)), ["zip", "not an ONNX model"]),
    # the rest of the case's list
    **{f"pickle_protocol_{p}.onnx": ((lambda p: lambda m: _pickle(m, p))(p), ["not an ONNX model"])
       for p in range(0, 6)},
    "joblib.onnx": (_joblib, ["not an ONNX model"]),
    "cloudpickle.onnx": (lambda m: _pickle(m, 5), ["pickle", "not an ONNX model"]),  # cloudpickle writes protocol 5
    "torchscript.onnx": (lambda m: _zip("archive/data.pkl", _pickle(m, 2)), ["PyTorch", "not an ONNX model"]),
    "keras.h5.onnx": (lambda m: b"\x89HDF\r\n\x1a\n" + _pickle(m, 4), ["HDF5", "not an ONNX model"]),
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_another_format_renamed_onnx_is_refused_and_never_unpickled(name, tmp_path, tiny_store, cancer_workload,  # noqa: F811
                                                                    monkeypatch):
    never_reaches_onnx_runtime(monkeypatch)
    marker = tmp_path / "pwned"
    make, words = PAYLOADS[name]
    data = make(marker)
    before = tiny_store.scalar("SELECT count(*) FROM model_version")
    with pytest.raises(UploadRejected) as error:
        check_upload(data, cancer_workload, name)
    for word in words:
        assert word in str(error.value), str(error.value)
    with pytest.raises(ValidationError, match="not an ONNX model"):
        register_uploaded_model(tiny_store, LEAD_RETAIL, "A", "m", data, task="regression", version="v1", file_name=name)
    assert tiny_store.scalar("SELECT count(*) FROM model_version") == before
    assert not marker.exists()


def test_the_payload_is_live(tmp_path):
    """So the marker's absence above means something: unpickling the payload creates it."""
    marker = tmp_path / "pwned"
    pickle.loads(_pickle(marker, 4))
    assert marker.exists()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", UPLOAD_PATH)
def test_the_upload_path_imports_no_unpickler(module):
    assert _imports(ROOT / module) & UNPICKLERS == set()


def test_nothing_in_core_unpickles_except_the_workers_own_requests():
    """The one pickle.loads in core reads the parent's own request in the measurement worker
    (the parent trusts itself); replies and uploads never go through pickle."""
    found = []
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("load", "loads") and \
                    isinstance(node.value, ast.Name) and node.value.id in UNPICKLERS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert [f.split(":")[0] for f in found] == ["core/rightsize/worker.py"], found
