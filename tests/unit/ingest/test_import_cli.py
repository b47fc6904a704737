"""``factory import``: JSON on stdout, exit 0 when imported/duplicate/dry run, 2 when rejected."""

from __future__ import annotations

import json

from core.cli import main
from tests.unit.ingest.conftest import DATA

GOOD = DATA / "good" / "usage_mixed_time_zones.csv"
BAD = DATA / "bad" / "usage_na.csv"


def _run(capsys, *argv):
    code = main(["import", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_json_and_exits_0_then_duplicate(demo_db_path, capsys):
    code, out, _ = _run(capsys, "usage", GOOD, "--db", demo_db_path, "--json")
    payload = json.loads(out)
    assert code == 0
    assert {k: payload[k] for k in ("kind", "file", "status", "rows_added", "rows_rejected", "problems")} == {
        "kind": "usage", "file": GOOD.name, "status": "imported", "rows_added": 5, "rows_rejected": 0, "problems": []}
    code, out, _ = _run(capsys, "usage", GOOD, "--db", demo_db_path, "--json")
    assert code == 0 and json.loads(out)["status"] == "duplicate"


def test_rejected_file_exits_2_with_json_on_stdout_and_summary_on_stderr(demo_db_path, capsys):
    code, out, err = _run(capsys, "usage", BAD, "--db", demo_db_path, "--json")
    payload = json.loads(out)
    assert code == 2
    assert payload["status"] == "rejected" and payload["problems"][0] == {
        "row": 2, "column": "cost_usd", "message": "expected an amount ≥ 0, got 'N/A'"}
    assert err.strip() == "factory import: usage_na.csv was not imported: 1 problem; nothing was saved."


def test_dry_run_writes_nothing(demo_db_path, capsys):
    code, out, _ = _run(capsys, "usage", GOOD, "--db", demo_db_path, "--json", "--dry-run")
    assert code == 0 and json.loads(out)["status"] == "dry_run"
    code, out, _ = _run(capsys, "usage", GOOD, "--db", demo_db_path, "--json")
    assert json.loads(out)["status"] == "imported"


def test_without_as_the_audit_log_names_the_local_admin(demo_db_path, capsys):
    _run(capsys, "usage", GOOD, "--db", demo_db_path)
    from core.store import Store
    store = Store.open(demo_db_path)
    try:
        assert store.one("SELECT actor, action FROM audit_event ORDER BY id DESC LIMIT 1") == \
            ("local-admin (cli)", "import.usage")
    finally:
        store.close()


def test_as_user_is_checked(demo_db_path, capsys):
    code, out, err = _run(capsys, "usage", GOOD, "--db", demo_db_path, "--as", "lead-ops", "--json")
    assert code == 2 and json.loads(out)["status"] == "rejected" and "belongs to RETAIL" in out
    code, _, err = _run(capsys, "focus", GOOD, "--db", demo_db_path, "--as", "lead-retail")
    assert code == 2 and "may not import billing" in err
    code, out, _ = _run(capsys, "usage", GOOD, "--db", demo_db_path, "--as", "lead-retail", "--json")
    assert code == 0 and json.loads(out)["status"] == "imported"


def test_help_states_the_exit_codes(capsys):
    try:
        main(["import", "--help"])
    except SystemExit:
        pass
    assert "2 rejected" in capsys.readouterr().out


def test_the_cli_hands_the_file_path_over_never_its_bytes(demo_db_path, capsys, monkeypatch):
    # a path is staged by a hard link or a streamed copy: a 1 GB file is never held in memory
    import core.cli.importer as importer

    seen = []
    original = importer.import_upload
    monkeypatch.setattr(importer, "import_upload", lambda *a, **k: (seen.append(a[4]), original(*a, **k))[1])
    code, out, _ = _run(capsys, "usage", GOOD, "--db", demo_db_path, "--json", "--dry-run")
    assert code == 0 and json.loads(out)["status"] == "dry_run"
    assert seen == [GOOD]
