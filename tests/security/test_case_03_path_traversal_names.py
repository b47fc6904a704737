"""Case 3 — path-traversal and odd file names: the name is display metadata only (its last
component, without control or format characters, at most 255 characters); the file is stored
under a uuid inside the staging folder, and nothing is written anywhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.ingest import import_upload
from core.lab.workloads import save_workload
from core.store.intake import MAX_FILE_NAME, display_file_name, stage_file
from tests.conftest import ADMIN, LEAD_RETAIL

PRICES = b"model,provider,valid_from,input_usd_per_1m,output_usd_per_1m\nnew-llm,acme,2026-01-01,1,2\n"
NAMES = ["../../.streamlit/secrets.csv", "..\\..\\app.csv", "/etc/passwd.csv", "C:\\x.csv", "\\\\host\\share\\x.csv",
         "%2e%2e%2fx.csv", "%252e%252e%252fx.csv", "a\x00b.csv", "evil\u202evsc.csv", "n" * 10_000 + ".csv"]


@pytest.mark.parametrize("name", NAMES)
def test_a_staged_file_lands_inside_the_staging_folder_under_a_uuid(tmp_path, name):
    staged = stage_file(tmp_path, name, b"a,b\n1,2\n")
    assert staged.path.resolve().is_relative_to(tmp_path.resolve())
    assert len(staged.path.stem) == 32 and staged.path.suffix == ".csv"


@pytest.mark.parametrize("name", NAMES)
def test_the_name_kept_is_display_text_only(demo_store, name):
    shown = display_file_name(name)
    assert "/" not in shown and "\\" not in shown and "\x00" not in shown and "\u202e" not in shown
    assert len(shown) <= MAX_FILE_NAME and shown.endswith(".csv")
    result = import_upload(demo_store, ADMIN, "prices", name, PRICES, dry_run=False)
    assert result.status == "imported" and result.file == shown
    assert demo_store.scalar("SELECT file_name FROM import_ledger ORDER BY id DESC LIMIT 1") == shown
    assert demo_store.scalar("SELECT target FROM audit_event ORDER BY id DESC LIMIT 1") == shown
    with demo_store.write(ADMIN, "edit_prices", action="test.cleanup") as cur:  # the next name imports again
        cur.execute("DELETE FROM model_price WHERE model = 'new-llm'")
        cur.execute("DELETE FROM import_ledger WHERE file_name = ?", [shown])


def test_nothing_is_written_outside_the_staging_folder(demo_store, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # a relative "../../x" would land beside or above it
    beside = {path.name for path in tmp_path.iterdir()}
    for name in NAMES:
        import_upload(demo_store, ADMIN, "prices", name, PRICES, dry_run=True)
        save_workload(demo_store, LEAD_RETAIL, "", b"amount,target\n1,0\n2,1\n3,0\n", file_name=name,
                      business_unit="RETAIL")
    assert list(cwd.iterdir()) == []
    assert {path.name for path in tmp_path.iterdir()} <= beside | {"demo.duckdb.wal"}
    assert not Path("/etc/passwd.csv").exists()


def test_percent_escapes_are_text_not_decoded():
    assert display_file_name("%2e%2e%2fsecret.csv") == "%2e%2e%2fsecret.csv"
