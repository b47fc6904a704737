"""Case 9 — a large upload within the byte limit. A child process with the store's memory limit
set to 256 MB imports a 1M-row usage file (highly compressible, 60 MB): DuckDB streams it and
spills past the limit into the staging folder's tmp/ (bounded by FACTORY_STORE_TEMP_LIMIT), the
import lands whole, and the process's peak memory stays far below what loading the file into
pandas would take. The 10M-row figures (time, and the ratio to bare DuckDB and to pandas) come
from ``bench/ingest.py --rows 10000000``, not from a timed test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS = 1_000_000

CHILD = """
import json, resource, sys
from pathlib import Path
from core.ingest import import_upload
from core.store import Store
from tests.conftest import ADMIN
store = Store.open(sys.argv[1])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result = import_upload(store, ADMIN, "usage", "large.csv", Path(sys.argv[2]), dry_run=False)
print(json.dumps({"status": result.status, "rows": result.rows_added,
                  "stored": store.scalar("SELECT count(*) FROM usage_event WHERE import_id IS NOT NULL"),
                  "memory_limit": store.scalar("SELECT current_setting('memory_limit')"),
                  "growth_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base}))
"""


def test_a_million_rows_import_whole_under_a_small_memory_limit(tiny_store, tmp_path):
    db = tiny_store.path
    before = tiny_store.scalar("SELECT count(*) FROM usage_event WHERE import_id IS NOT NULL")
    tiny_store.close()
    csv = tmp_path / "large.csv"
    with open(csv, "w") as out:
        out.write("ts,initiative,model,requests,input_tokens,output_tokens,latency_ms,cost_usd\n")
        for i in range(ROWS):
            out.write(f"2026-02-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z,A,gpt-4o,1,{i % 1000},5,12.5,0.001\n")
    size_mb = csv.stat().st_size / 2**20
    child = subprocess.run([sys.executable, "-c", CHILD, str(db), str(csv)], cwd=ROOT, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "FACTORY_STORE_MEMORY_LIMIT": "256MB"},
                           timeout=600)
    assert child.returncode == 0, child.stderr[-3000:]
    answer = json.loads(child.stdout.strip().splitlines()[-1])
    assert (answer["status"], answer["rows"], answer["stored"]) == ("imported", ROWS, before + ROWS)
    assert answer["memory_limit"].replace(" ", "") in ("244.1MiB", "256.0MB", "256MB")
    # what the import added to the process: DuckDB's buffers within its limit, plus the reader's
    # working set — not the file in memory (a pandas frame of it alone would be ~10× its size)
    assert answer["growth_mb"] < 256 + 128, answer
    assert answer["growth_mb"] < 10 * size_mb, answer
