"""The one file intake: every way in (imports, lab workloads, CLI files) stages, sniffs and
guards a file the same way, and reads it under the store's lock-down. (Hostile workbooks on
every way in: tests/security/test_case_10_xlsx_bombs.py and test_case_11_active_xlsx_content.py.)"""

from __future__ import annotations

import pandas as pd
import pytest

from core.errors import CoreError
from core.store.intake import IntakeError, read_local_table, scratch_connection, stage_file


def test_a_staged_file_gets_a_uuid_name_never_the_users(tmp_path):
    staged = stage_file(tmp_path, "../../etc/passwd.csv", b"a,b\n1,2\n")
    assert staged.path.parent == tmp_path / "uploads"
    assert staged.path.stem != "passwd" and len(staged.path.stem) == 32 and staged.path.suffix == ".csv"
    assert staged.size_bytes == 8 and len(staged.sha256) == 64


def test_the_size_limit_is_checked_before_a_byte_is_copied(tmp_path):
    source = tmp_path / "big.csv"
    source.write_bytes(b"a\n" + b"1\n" * 600_000)
    with pytest.raises(IntakeError, match=r"big.csv: the file is 1.1 MB; the limit for workloads is 1.0 MB"):
        stage_file(tmp_path / "staging", "big.csv", source, max_bytes=2**20, what="workloads")
    assert not (tmp_path / "staging" / "uploads").exists() or not list((tmp_path / "staging" / "uploads").iterdir())


def test_the_callers_error_type_is_raised(tmp_path):
    class WorkloadLikeError(CoreError):
        pass

    with pytest.raises(WorkloadLikeError):
        stage_file(tmp_path, "x.parquet", b"nope", error_type=WorkloadLikeError)


def test_the_scratch_connection_is_locked_down_like_the_store():
    with scratch_connection() as (con, folder):
        with pytest.raises(Exception, match="(?i)permission|not allowed|disabled"):
            con.execute("SELECT * FROM read_text('/etc/passwd')").fetchall()
        with pytest.raises(Exception):
            con.execute("SET enable_external_access = true")
        assert folder.is_dir()
    assert not folder.exists()


def test_cli_files_read_the_same_in_every_format(tmp_path):
    frame = pd.DataFrame({"age": [31, 45, 52], "plan": ["a", "b", "a"]})
    frame.to_csv(tmp_path / "t.csv", index=False)
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    for name in ("t.csv", "t.parquet", "t.xlsx"):
        table = read_local_table(tmp_path / name, max_bytes=None, what="files", arrow=True)
        assert table.column_names == ["age", "plan"] and table.num_rows == 3, name
        assert [int(v) for v in table.column("age").to_pylist()] == [31, 45, 52], name
