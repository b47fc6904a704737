"""Case 36 — SIGKILL mid-import and mid-checkpoint: a child process imports a 600k-row usage
file (then forces a CHECKPOINT) and is killed with SIGKILL at a random moment. On the next open
the store opens, no partial import is visible (all of the file's rows or none), nothing is left
in staging, an import that did not commit is listed as interrupted (``import_failure``, audited
by the system), and importing the file again succeeds exactly once.

The random moments are drawn from a fixed seed, so a failure can be replayed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.ingest import import_upload
from core.store import Store
from tests.conftest import ADMIN

ROOT = Path(__file__).resolve().parents[2]
ROWS = 600_000

CHILD = """
import sys
from pathlib import Path
from core.ingest import import_upload
from core.store import Store
from tests.conftest import ADMIN
store = Store.open(sys.argv[1])
result = import_upload(store, ADMIN, "usage", "big-usage.csv", Path(sys.argv[2]), dry_run=False)
assert result.status == "imported", result.summary()
store.checkpoint()
print("done", flush=True)
"""


def _usage_csv(path: Path, seed: int) -> Path:
    """ROWS usage rows of initiative A, each costing $0.001."""
    with open(path, "w") as out:
        out.write("ts,initiative,model,requests,input_tokens,output_tokens,latency_ms,cost_usd\n")
        for i in range(ROWS):
            out.write(f"2026-02-{1 + i % 28:02d}T{i % 24:02d}:{seed % 60:02d}:00Z,A,gpt-4o,1,{10 + i % 90},5,12.5,0.001\n")
    return path


def _counts(store) -> tuple[int, int, int]:
    return (store.scalar("SELECT count(*) FROM usage_event"), store.scalar("SELECT count(*) FROM import_ledger"),
            store.scalar("SELECT count(*) FROM import_failure"))


def _kill_at_random(db: Path, csv: Path, delay_s: float) -> bool:
    """Start the child, wait until its import is under way, SIGKILL it ``delay_s`` later;
    True when it finished before the signal."""
    uploads = db.parent / "staging" / "uploads"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(csv)], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 120
    while not list(uploads.glob("*.importing.json")) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay_s)
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=60)
    assert child.returncode in (0, -signal.SIGKILL), err.decode()[-2000:]
    return b"done" in out


@pytest.mark.parametrize("round_", range(6))
def test_a_killed_import_leaves_all_or_nothing_and_can_be_imported_again(tiny_store, tmp_path, round_):
    db = tiny_store.path
    before = _counts(tiny_store)
    tiny_store.close()
    csv = _usage_csv(tmp_path / "big-usage.csv", round_)
    # early rounds land inside the import's transaction, late ones around its commit and CHECKPOINT
    delay_s = random.Random(36 + round_).uniform(*((0.0, 0.9) if round_ < 4 else (0.9, 4.0)))
    finished = _kill_at_random(db, csv, delay_s)

    store = Store.open(db)  # opens: the WAL is replayed or discarded
    try:
        events, ledger, failures = _counts(store)
        assert not list((store.staging_dir / "uploads").iterdir()), "the killed import left files in staging"
        committed = ledger == before[1] + 1
        assert events == before[0] + (ROWS if committed else 0), "a partial import is visible"
        assert failures == before[2] + (0 if committed else 1)
        assert finished <= committed  # a child that said "done" had committed
        if not committed:
            assert store.one("SELECT kind, file_name, actor FROM import_failure ORDER BY id DESC LIMIT 1") == \
                ("usage", "big-usage.csv", ADMIN.name)
            assert store.scalar("SELECT action FROM audit_event ORDER BY id DESC LIMIT 1") == "import.interrupted"
            again = import_upload(store, ADMIN, "usage", "big-usage.csv", csv, dry_run=False)
            assert (again.status, again.rows_added) == ("imported", ROWS)
        assert import_upload(store, ADMIN, "usage", "big-usage.csv", csv, dry_run=False).status == "duplicate"
        assert store.scalar("SELECT count(*) FROM usage_event") == before[0] + ROWS
    finally:
        store.close()


def test_reopening_after_a_clean_stop_records_no_failure(tiny_store):
    """Positive control: staging left empty by a finished import means nothing to recover."""
    db = tiny_store.path
    before = _counts(tiny_store)
    tiny_store.close()
    store = Store.open(db)
    try:
        assert _counts(store) == before
    finally:
        store.close()
