"""``factory init``: an empty, locked-down store with one admin; refusals leave nothing behind."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.auth import authenticate
from core.store import Store

PASSWORD = "correct-horse-battery"


def factory(*args, stdin: str = ""):
    return subprocess.run([sys.executable, "-m", "core.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_init_creates_an_empty_migrated_store_with_one_admin(tmp_path):
    db = tmp_path / "org" / "factory.duckdb"
    result = factory("init", "--db", str(db), "--admin", "ada", "--display-name", "Ada L.", "--json",
                     stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"db": str(db), "admin": "ada"}
    assert sorted(p.name for p in db.parent.iterdir()) == ["factory.duckdb", "staging"]
    store = Store.open(db)
    try:
        assert store.meta("demo_mode") == "false"
        for table in ("business_unit", "initiative", "financial_line", "usage_event", "workload", "model"):
            assert store.scalar(f"SELECT count(*) FROM {table}") == 0, table
        assert authenticate(store, "ada", PASSWORD).role == "admin"
        assert store.scalar("SELECT display_name FROM app_user WHERE name = 'ada'") == "Ada L."
        assert store.scalar("SELECT count(*) FROM audit_event WHERE action = 'user.add' AND target = 'ada'") == 1
        with pytest.raises(Exception, match="(?i)permission|not allowed|disabled"):
            store.rows("SELECT * FROM read_text('/etc/passwd')")
    finally:
        store.close()


def test_an_existing_file_is_refused_and_left_as_it_was(tmp_path):
    db = tmp_path / "factory.duckdb"
    db.write_bytes(b"someone's data")
    result = factory("init", "--db", str(db), "--admin", "ada", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "already exists" in result.stderr
    assert db.read_bytes() == b"someone's data"


@pytest.mark.parametrize("admin, stdin, words", [
    ("ada", f"{PASSWORD}\nsomething-else\n", "two passwords differ"),
    ("ada", "short\nshort\n", "Password too short"),
    ("Not A Name", f"{PASSWORD}\n{PASSWORD}\n", "is not valid"),
])
def test_a_refused_init_leaves_no_file(tmp_path, admin, stdin, words):
    db = tmp_path / "factory.duckdb"
    result = factory("init", "--db", str(db), "--admin", admin, stdin=stdin)
    assert result.returncode == 2 and words in result.stderr, result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name != "staging"]


def test_other_commands_work_on_an_initialised_store(tmp_path):
    db = tmp_path / "factory.duckdb"
    assert factory("init", "--db", str(db), "--admin", "ada", stdin=f"{PASSWORD}\n{PASSWORD}\n").returncode == 0
    listed = factory("users", "list", "--db", str(db), "--json")
    assert listed.returncode == 0, listed.stderr
    assert [u["name"] for u in json.loads(listed.stdout)] == ["ada"]
