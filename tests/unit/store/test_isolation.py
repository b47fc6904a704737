"""The README's two commands work side by side: the suite passes while `make run` holds the store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_suite_runs_while_another_process_holds_the_users_store(tmp_path):
    """These CLI tests used to fall back to $FACTORY_DB and fail on "Could not set lock"."""
    user_store = tmp_path / "factory.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom core.store import Store\nStore.open(sys.argv[1])\n"
                               "print('held', flush=True)\ntime.sleep(300)\n", str(user_store)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        env = {**os.environ, "FACTORY_DB": str(user_store)}   # what the Makefile exports
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit/rightsize/test_rightsize_cli.py"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
        assert "Could not set lock" not in result.stdout
    finally:
        holder.kill()
        holder.wait()
