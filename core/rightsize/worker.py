"""The measurement worker: a separate Python process with an address-space and a wall-time limit.

Why a process: an untrusted or simply huge model (a ``ConstantOfShape`` asking for 40 GB) must
fail on its own, not take the Streamlit server down. The parent starts ``python -m
core.rightsize.worker`` with ``subprocess`` (fork + exec, like multiprocessing's "spawn", never
a bare fork of a threaded server, and without re-importing the parent's ``__main__``), so the
worker imports only numpy and onnxruntime. One worker serves a whole run; after a failure it is
killed and a fresh one starts for the next candidate.

Protocol on the worker's stdin/stdout, every message framed as an 8-byte length + payload:
* parent → worker: a pickle of ``{"op": "measure", "model": bytes, "feeds": {...}, "settings": {...}}``
  (the parent trusts itself);
* worker → parent: a JSON header plus ``.npy`` arrays read with ``allow_pickle=False``, so a
  compromised worker cannot make the parent execute anything.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import logging
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

LENGTH = struct.Struct("<Q")
POLL_S = 0.05
STARTUP_TIMEOUT_S = 60.0
_REPO_ROOT = Path(__file__).resolve().parents[2]
_MEMORY_WORDS = ("bad_alloc", "failed to allocate", "memoryerror", "cannot allocate", "out of memory")
#: ONNX Runtime's own refusal of an oversized tensor (Tile/Expand asking for > 4 GiB), before our limit hits
_TENSOR_SIZE_WORDS = ("exceeds the supported maximum", "would require more than")
_log = logging.getLogger(__name__)


class MeasurementCancelled(Exception):
    """The caller's cancellation hook fired while waiting for the worker."""


@dataclass(frozen=True)
class MeasurementResult:
    """``ok``: figures in ``header`` and arrays; otherwise ``reason`` says what went wrong."""

    ok: bool
    reason: str | None = None
    header: dict = field(default_factory=dict)
    arrays: list = field(default_factory=list)


def _frame(payload: bytes) -> bytes:
    return LENGTH.pack(len(payload)) + payload


def encode_reply(header: dict, arrays=()) -> bytes:
    """JSON header + .npy arrays, as one framed message (no pickle anywhere)."""
    import numpy as np

    parts = [json.dumps(header).encode()]
    for array in arrays:
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(array), allow_pickle=False)
        parts.append(buffer.getvalue())
    body = struct.pack("<I", len(parts)) + b"".join(_frame(part) for part in parts)
    return _frame(body)


def decode_reply(body: bytes) -> tuple[dict, list]:
    import numpy as np

    (count,), offset = struct.unpack_from("<I", body), 4
    parts = []
    for _ in range(count):
        (size,) = LENGTH.unpack_from(body, offset)
        offset += LENGTH.size
        parts.append(body[offset:offset + size])
        offset += size
    header = json.loads(parts[0])
    arrays = [np.load(io.BytesIO(part), allow_pickle=False) for part in parts[1:]]
    return header, arrays


class MeasurementWorker:
    """Parent-side handle on one worker process; use as a context manager.

    ``measure`` returns a ``MeasurementResult`` and never raises for a bad model: time-outs, memory
    exhaustion and crashes come back as ``ok=False`` with a reason starting "exceeded limits:"
    or "worker process ended". Only cancellation raises (``MeasurementCancelled``).
    """

    def __init__(self, memory_limit_bytes: int, should_cancel: Callable[[], bool] | None = None):
        self.memory_limit_bytes = memory_limit_bytes
        self.should_cancel = should_cancel or (lambda: False)
        self._process: subprocess.Popen | None = None
        self._stderr = None
        self._workdir: str | None = None
        self._ready = False

    def __enter__(self) -> "MeasurementWorker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Launch the process without waiting for it (its imports overlap the parent's training)."""
        if self._process is not None:
            return
        env = dict(os.environ)
        # one BLAS/OpenMP thread: less address space reserved under RLIMIT_AS, steadier timings
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_REPO_ROOT), env.get("PYTHONPATH")]))
        self._stderr = tempfile.TemporaryFile()
        # an empty working directory: nothing a model could name relative to it exists
        self._workdir = tempfile.mkdtemp(prefix="measure-")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "core.rightsize.worker", str(self.memory_limit_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
            cwd=self._workdir, bufsize=0, close_fds=True, start_new_session=True)
        self._ready = False

    def measure(self, model_bytes: bytes, feeds: dict, settings: dict,
                time_limit_s: float) -> MeasurementResult:
        """Measure one model in the worker within ``time_limit_s`` seconds of wall time."""
        self.start()
        if not self._ready:
            try:
                self._read_message(time.monotonic() + STARTUP_TIMEOUT_S)
            except TimeoutError:
                self.kill()
                return MeasurementResult(False, "worker process did not start within "
                                            f"{STARTUP_TIMEOUT_S:.0f} s")
            except EOFError:
                return MeasurementResult(False, self._ended_reason())
            self._ready = True
        request = pickle.dumps({"op": "measure", "model": model_bytes, "feeds": feeds,
                                "settings": settings}, protocol=pickle.HIGHEST_PROTOCOL)
        deadline = time.monotonic() + time_limit_s
        try:
            self._process.stdin.write(_frame(request))
            self._process.stdin.flush()
            header, arrays = self._read_message(deadline)
        except TimeoutError:
            self.kill()
            return MeasurementResult(False, f"exceeded limits: took longer than the {time_limit_s:g} s time "
                                        f"limit; the measurement was stopped")
        except (EOFError, BrokenPipeError):
            return MeasurementResult(False, self._ended_reason())
        if not header.get("ok"):
            self.kill()  # restart after any failure: the worker may be left in a bad state
            error = header.get("error", "unknown error")
            _log.info("measurement failed (%s): %s", header.get("stage"), error)
            if header.get("memory"):
                limit_gib = self.memory_limit_bytes / 1024**3
                return MeasurementResult(False, f"exceeded limits: the model needed more than the "
                                            f"{limit_gib:.1f} GiB memory limit")
            if header.get("too_big"):
                return MeasurementResult(False, "exceeded limits: the model asked for a tensor larger than "
                                            "ONNX Runtime's maximum tensor size")
            if header.get("stage") == "load":
                return MeasurementResult(False, "ONNX Runtime on this server cannot load the model (an operator, "
                                            "type or opset it does not support); re-export it with a released "
                                            "opset and standard operators on supported types")
            if header.get("own"):  # our own check, already in the user's terms
                return MeasurementResult(False, f"the model could not be run: {header.get('message')}")
            return MeasurementResult(False, "ONNX Runtime could not run the model on the workload's rows "
                                        f"({header.get('kind', 'error')}); check that its inputs take the "
                                        "workload's columns with the types and shapes it declares")
        return MeasurementResult(True, header=header, arrays=arrays)

    def _read_exact(self, size: int, deadline: float) -> bytes:
        fd = self._process.stdout.fileno()
        chunks, remaining = [], size
        while remaining:
            if self.should_cancel():
                self.kill()
                raise MeasurementCancelled()
            if time.monotonic() > deadline:
                raise TimeoutError()
            readable, _, _ = select.select([fd], [], [], POLL_S)
            if not readable:
                continue
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError()
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _read_message(self, deadline: float) -> tuple[dict, list]:
        (size,) = LENGTH.unpack(self._read_exact(LENGTH.size, deadline))
        return decode_reply(self._read_exact(size, deadline))

    def _ended_reason(self) -> str:
        code = None
        if self._process is not None:
            try:  # stdout closed: the process is exiting; don't hang if it is not
                code = self._process.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                pass
        tail = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            lines = self._stderr.read().decode(errors="replace").strip().splitlines()
            tail = f": {lines[-1][:300]}" if lines else ""
        self.kill()
        if code is not None and code < 0:
            return f"exceeded limits: worker process ended by signal {-code}{tail}"
        return f"worker process ended unexpectedly (exit code {code}){tail}"

    def kill(self) -> None:
        """Stop the worker now (SIGKILL); the next ``measure`` starts a fresh one."""
        process, self._process = self._process, None
        self._ready = False
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                stream.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def close(self) -> None:
        """Ask the worker to exit, and kill it if it does not within a second."""
        if self._process is not None and self._process.poll() is None and self._ready:
            try:
                self._process.stdin.write(_frame(pickle.dumps({"op": "exit"})))
                self._process.stdin.flush()
                self._process.wait(timeout=1.0)
            except (BrokenPipeError, OSError, subprocess.TimeoutExpired):
                pass
        self.kill()


# ---------------------------------------------------------------- worker side (child process)

def _peak_rss_bytes() -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak_rss() -> None:
    """Writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0), so each candidate gets its own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def _read_request(stream) -> dict | None:
    head = stream.read(LENGTH.size)
    if len(head) < LENGTH.size:
        return None
    (size,) = LENGTH.unpack(head)
    return pickle.loads(stream.read(size))


def main(argv: list[str]) -> int:
    import resource

    limit = int(argv[0])
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    # keep the protocol stream private; anything printed by libraries goes to stderr
    reply = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer

    from core.rightsize.backend import SessionLoadError
    from core.rightsize.scenario import InputMismatch, ScenarioSettings, measure_candidate

    reply.write(encode_reply({"ready": True, "pid": os.getpid()}))
    reply.flush()
    while (request := _read_request(requests)) is not None and request["op"] != "exit":
        _reset_peak_rss()
        try:
            header, arrays = measure_candidate(request["model"], request["feeds"],
                                               ScenarioSettings(**request["settings"]))
            header.update(ok=True, peak_rss_bytes=_peak_rss_bytes())
        except BaseException as error:  # report every failure; the parent decides what to do
            message = f"{type(error).__name__}: {str(error).strip()[:500]}"
            header = {"ok": False, "error": message, "kind": type(error).__name__,
                      "stage": "load" if isinstance(error, SessionLoadError) else "run",
                      "own": isinstance(error, InputMismatch), "message": str(error)[:500],
                      "too_big": any(word in message.lower() for word in _TENSOR_SIZE_WORDS),
                      "memory": isinstance(error, MemoryError)
                      or any(word in message.lower() for word in _MEMORY_WORDS)}
            arrays = []
        del request
        reply.write(encode_reply(header, arrays))
        reply.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
