"""Case 38 — a second writer process (an admin script, a second ``streamlit run``) opening the
store read-write gets one clear message, not a raw DuckDB lock error."""

from __future__ import annotations

import subprocess
import sys

from core.store import Store


def test_second_process_gets_a_clear_message(tmp_path):
    path = tmp_path / "held.duckdb"
    store = Store.open(path)
    code = (
        "import sys\nfrom core.store import Store\nfrom core.errors import StoreError\n"
        f"try:\n    Store.open({str(path)!r})\nexcept StoreError as e:\n    print(e)\n    sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    store.close()
    assert result.returncode == 3
    assert "Another Factory Floor process may hold it" in result.stdout

