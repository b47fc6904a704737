"""The ``factory`` command line: JSON output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.cli import main


def factory(*args, stdin: str = "", env=None):
    return subprocess.run([sys.executable, "-m", "core.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, env=env)


def test_demo_json_keys_and_counts(tmp_path):
    result = factory("demo", "--db", str(tmp_path / "d.duckdb"), "--usage-rows", "2000", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"db", "business_units", "initiatives", "financial_lines", "usage_events", "seconds"}
    assert payload["initiatives"] == 60 and payload["business_units"] == 8


def test_demo_respects_factory_db(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FACTORY_DB", str(tmp_path / "env.duckdb"))
    assert main(["demo", "--usage-rows", "100", "--skip-lab", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["db"] == str(tmp_path / "env.duckdb")


def test_users_add_reads_the_password_from_stdin(demo_db_path):
    result = factory("users", "add", "nina", "--role", "finance", "--db", str(demo_db_path), stdin="a-long-password\n")
    assert result.returncode == 0, result.stderr
    listing = factory("users", "list", "--db", str(demo_db_path), "--json")
    assert {"name": "nina", "role": "finance"}.items() <= next(
        u for u in json.loads(listing.stdout) if u["name"] == "nina").items()


@pytest.mark.parametrize("args, words", [
    (["users", "add", "x1", "--role", "boss"], "Unknown role"),
    (["users", "add", "x1", "--role", "team_lead"], "needs a business unit"),
    (["users", "add", "x1", "--role", "viewer", "--db", "/nonexistent/f.duckdb"], "No database"),
    (["demo", "--usage-rows", "-5"], "--usage-rows"),
])
def test_bad_input_exits_2_with_one_line(demo_db_path, args, words):
    if "--db" not in args:
        args = [*args, "--db", str(demo_db_path)]
    result = factory(*args, stdin="a-long-password\n")
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
