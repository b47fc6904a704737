"""Case 37 — disk full. A child process opens the store and then may grow no file past ~1 MB
more than the database holds (``RLIMIT_FSIZE``: the kernel refuses the write, as a full disk
does, without needing a small file system mounted); it imports a 300k-row usage file. The
import fails with one line in the user's terms — no traceback, no raw DuckDB text — nothing of
it is kept, reads go on working in that process, and once space is back (a new process without
the limit) every row committed before is there and the same file imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.ingest import import_upload
from core.store import Store
from tests.conftest import ADMIN

ROOT = Path(__file__).resolve().parents[2]
ROWS = 300_000

CHILD = """
import json, os, resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write is an error, not a signal
from core.errors import CoreError
from core.ingest import import_upload
from core.store import Store
from tests.conftest import ADMIN
db = Path(sys.argv[1])
store = Store.open(db)
wal = Path(str(db) + ".wal")
limit = db.stat().st_size + (wal.stat().st_size if wal.exists() else 0) + 1_000_000
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
answer = {}
try:
    result = import_upload(store, ADMIN, "usage", "big.csv", Path(sys.argv[2]), dry_run=False)
    answer["status"] = result.status
except CoreError as error:
    answer["refused"] = str(error)
answer["events_after"] = store.scalar("SELECT count(*) FROM usage_event")  # reads still work
print(json.dumps(answer))
"""


def _usage_csv(path: Path) -> Path:
    with open(path, "w") as out:
        out.write("ts,initiative,model,requests,input_tokens,output_tokens,latency_ms,cost_usd\n")
        for i in range(ROWS):
            out.write(f"2026-02-{1 + i % 28:02d}T{i % 24:02d}:00:00Z,A,gpt-4o,1,{i % 1000},5,12.5,0.001\n")
    return path


def test_a_full_disk_refuses_the_import_in_words_and_keeps_what_was_committed(tiny_store, tmp_path):
    db = tiny_store.path
    tiny_store.checkpoint()
    events = tiny_store.scalar("SELECT count(*) FROM usage_event")
    tiny_store.close()
    csv = _usage_csv(tmp_path / "big.csv")

    child = subprocess.run([sys.executable, "-c", CHILD, str(db), str(csv)], cwd=ROOT, capture_output=True,
                           text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert child.returncode == 0, child.stderr[-3000:]
    answer = json.loads(child.stdout.strip().splitlines()[-1])
    refusal = answer.get("refused", "")
    assert refusal.startswith("The store could not write its files in "), answer
    assert "the disk is full or a file size limit was reached" in refusal and "\n" not in refusal
    assert "IO Error" not in refusal and "Traceback" not in child.stderr
    assert answer["events_after"] == events

    store = Store.open(db)  # space is back
    try:
        assert store.scalar("SELECT count(*) FROM usage_event") == events
        assert store.scalar("SELECT count(*) FROM import_ledger WHERE file_name = 'big.csv'") == 0
        result = import_upload(store, ADMIN, "usage", "big.csv", csv, dry_run=False)
        assert (result.status, result.rows_added) == ("imported", ROWS)
    finally:
        store.close()
