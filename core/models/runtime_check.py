"""Does ONNX Runtime on this server load the model? Asked of ONNX Runtime itself, in a separate,
limited process, after the static checks of ``core.models.onnx_checks`` passed.

Why: a file can be valid ONNX and still not load here (an operator/type combination without a
kernel, an opset ONNX Runtime does not run); the registry must not accept a model it can never
serve. Why a process: session creation is native code working on untrusted bytes; a crash, an
allocation storm or a hang ends the child (address-space, CPU and wall-time limits), never the
server. The child starts with ``python -m core.models.runtime_check`` in an empty temporary
working directory, reads the model's bytes from stdin (no pickle either way), builds a session
from those bytes with one thread and the CPU provider (no custom-operator library is ever
registered) and answers one line of JSON on stdout.

(The lab does not call this: its measurement worker, ``core.rightsize.worker``, loads every
candidate under the same kind of limits and reports a load failure as the candidate's reason.)
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.models.onnx_checks import UploadRejected, reject

DEFAULT_MEMORY_LIMIT_BYTES = 4 * 1024**3
DEFAULT_TIME_LIMIT_S = 60.0
_REPO_ROOT = Path(__file__).resolve().parents[2]
_MEMORY_WORDS = ("bad_alloc", "failed to allocate", "memoryerror", "cannot allocate", "out of memory")
_log = logging.getLogger(__name__)

__all__ = ["RuntimeLoadResult", "UploadRejected", "check_runtime_loads"]


@dataclass(frozen=True)
class RuntimeLoadResult:
    """A model ONNX Runtime loaded: the names of its inputs and outputs as ONNX Runtime sees them."""

    input_names: tuple[str, ...]
    output_names: tuple[str, ...]


def check_runtime_loads(data: bytes, name: str = "model.onnx", *,
                        memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT_BYTES,
                        time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> RuntimeLoadResult:
    """Create an ONNX Runtime session from ``data`` in a limited child process.

    ``UploadRejected`` (name, what, how to fix) when ONNX Runtime refuses the model, when loading
    needs more than ``memory_limit_bytes`` of address space or ``time_limit_s`` seconds, or when
    the child dies. ONNX Runtime's own text goes to the log only.
    """
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_REPO_ROOT), env.get("PYTHONPATH")]))
    cpu_limit_s = max(1, int(time_limit_s) + 1)
    with tempfile.TemporaryDirectory(prefix="onnx-load-") as empty_dir:
        try:
            completed = subprocess.run(
                [sys.executable, "-m", "core.models.runtime_check", str(int(memory_limit_bytes)), str(cpu_limit_s)],
                input=data, capture_output=True, env=env, cwd=empty_dir, timeout=time_limit_s,
                close_fds=True, start_new_session=True)
        except subprocess.TimeoutExpired:
            raise reject(name, f"exceeded limits: ONNX Runtime took longer than {time_limit_s:g} s to load the "
                               "model and was stopped", "Upload a smaller or simpler model") from None
    stderr = completed.stderr.decode(errors="replace").strip()
    try:
        reply = json.loads(completed.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        reply = None
    if completed.returncode != 0 or not isinstance(reply, dict):
        _log.warning("ONNX Runtime load check for %s ended with code %s: %s", name, completed.returncode,
                     stderr[-2000:])
        if completed.returncode < 0:
            raise reject(name, "exceeded limits: loading the model in ONNX Runtime stopped the checking "
                               f"process (ended by signal {-completed.returncode})", "Upload a smaller or simpler model")
        raise reject(name, f"the ONNX Runtime check ended unexpectedly (exit code {completed.returncode}); "
                           "nothing was saved", "Try again; if it happens again, tell an admin")
    if reply.get("ok"):
        return RuntimeLoadResult(tuple(reply["inputs"]), tuple(reply["outputs"]))
    error = str(reply.get("error", ""))
    _log.info("ONNX Runtime refused %s: %s", name, error)
    if reply.get("start") is False or any(word in error.lower() for word in _MEMORY_WORDS):
        limit = (f"{memory_limit_bytes / 1024**3:.1f} GiB" if memory_limit_bytes >= 1024**3
                 else f"{memory_limit_bytes / 1024**2:,.0f} MB")
        raise reject(name, f"exceeded limits: loading the model needed more than the {limit} memory limit",
                      "Upload a smaller model")
    raise reject(name, "ONNX Runtime on this server cannot load the model (an operator, type or opset "
                       f"it does not support: {_runtime_version()})",
                  "Re-export the model with a released opset and standard operators on supported types, "
                  "and check that it loads with onnxruntime.InferenceSession before uploading it")


def _runtime_version() -> str:
    try:
        from importlib.metadata import version

        return f"ONNX Runtime {version('onnxruntime')}"
    except Exception:  # noqa: BLE001 — only a label
        return "ONNX Runtime"


# ---------------------------------------------------------------- child process

def main(argv: list[str]) -> int:
    import resource

    memory_limit, cpu_limit = int(argv[0]), int(argv[1])
    for kind, soft in ((resource.RLIMIT_AS, memory_limit), (resource.RLIMIT_CPU, cpu_limit)):
        _, hard = resource.getrlimit(kind)
        resource.setrlimit(kind, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
    reply = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything a library prints goes to stderr, not into the answer
    data = sys.stdin.buffer.read()
    try:
        import onnxruntime as ort
    except BaseException as error:  # noqa: BLE001 — under a tiny memory limit even the import fails
        answer = {"ok": False, "start": False, "error": f"{type(error).__name__}: {str(error).strip()[:2000]}"}
        reply.write(json.dumps(answer) + "\n")
        reply.flush()
        return 0
    try:
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        session = ort.InferenceSession(data, sess_options=options, providers=["CPUExecutionProvider"])
        answer = {"ok": True, "inputs": [i.name for i in session.get_inputs()],
                  "outputs": [o.name for o in session.get_outputs()]}
    except BaseException as error:  # noqa: BLE001 — every failure is the answer
        answer = {"ok": False, "error": f"{type(error).__name__}: {str(error).strip()[:2000]}"}
    reply.write(json.dumps(answer) + "\n")
    reply.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
