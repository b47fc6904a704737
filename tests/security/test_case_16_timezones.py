"""Case 16 — timezones and dates: every timestamp is UTC, whatever the server's ``TZ``. The
store's connection sets DuckDB's ``TimeZone`` to UTC (DuckDB's default is the machine's zone,
which moves month boundaries of anything read as a TIMESTAMPTZ); timestamps with offsets are
converted to UTC, naive ones are read as UTC; and the same file imported by a server running
under ``TZ=UTC``, ``America/New_York`` or ``Asia/Kolkata`` stores the same rows and the same
monthly rollup, including rows at a month's edge, in a DST gap and at an ambiguous fall-back
hour (New York's 2026-03-08 02:30 and 2026-11-01 01:30)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ROWS = [  # (ts as the file gives it, the UTC instant it means)
    ("2026-03-01T00:30:00Z", "2026-03-01 00:30:00"),
    ("2026-03-01T00:30:00+00:00", "2026-03-01 00:30:00"),
    ("2026-02-28T20:30:00-05:00", "2026-03-01 01:30:00"),   # March in UTC, February in New York
    ("2026-03-31T23:59:59", "2026-03-31 23:59:59"),          # naive: read as UTC
    ("2026-03-08T02:30:00", "2026-03-08 02:30:00"),          # New York's spring-forward gap
    ("2026-11-01T01:30:00", "2026-11-01 01:30:00"),          # New York's ambiguous fall-back hour
    ("2026-04-01 05:29:59+05:30", "2026-03-31 23:59:59"),
]

CHILD = """
import json, sys
from core.ingest import import_upload
from core.store import Store
from tests.conftest import ADMIN
store = Store.open(sys.argv[1])
result = import_upload(store, ADMIN, "usage", "tz.csv", open(sys.argv[2], "rb").read(), dry_run=False)
assert result.status == "imported", [p.message for p in result.problems]
print(json.dumps({
    "zone": store.scalar("SELECT current_setting('TimeZone')"),
    "ts": [str(r[0]) for r in store.rows("SELECT ts FROM usage_event WHERE model = 'tz-model' ORDER BY ts")],
    "months": [[str(m), float(c)] for m, c in store.rows(
        "SELECT month, sum(cost_usd) FROM usage_monthly WHERE model = 'tz-model' GROUP BY month ORDER BY month")],
}))
store.close()
"""


def _usage_file(path: Path) -> Path:
    lines = ["ts,initiative,model,requests,input_tokens,output_tokens,latency_ms,cost_usd"]
    lines += [f"{ts},A,tz-model,1,10,5,12.5,{i + 1}" for i, (ts, _) in enumerate(ROWS)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _import_under(zone: str, db_template: Path, csv: Path, folder: Path) -> dict:
    folder.mkdir()
    db = folder / "tiny.duckdb"
    shutil.copy(db_template, db)
    done = subprocess.run([sys.executable, "-c", CHILD, str(db), str(csv)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "TZ": zone, "PYTHONPATH": str(ROOT)}, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def tiny_template(tiny_store) -> Path:
    path = tiny_store.path
    tiny_store.close()
    return path


def test_the_same_file_means_the_same_instants_under_any_server_timezone(tiny_template, tmp_path):
    csv = _usage_file(tmp_path / "tz.csv")
    seen = {zone: _import_under(zone, tiny_template, csv, tmp_path / zone.replace("/", "-"))
            for zone in ("UTC", "America/New_York", "Asia/Kolkata")}
    assert {result["zone"] for result in seen.values()} == {"UTC"}
    expected_ts = sorted(utc for _, utc in ROWS)
    for zone, result in seen.items():
        assert result["ts"] == expected_ts, zone
    # March holds rows 1, 2, 3, 4, 5 and 7 (costs 1+2+3+4+5+7); November row 6
    assert seen["UTC"]["months"] == [["2026-03-01", 22.0], ["2026-11-01", 6.0]]
    assert seen["America/New_York"]["months"] == seen["Asia/Kolkata"]["months"] == seen["UTC"]["months"]
