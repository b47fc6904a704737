"""Case 4 — empty file, header only, only blank lines: refused with what is missing, and no
table, ledger row or workload is created (every import kind, and the lab's workloads)."""

from __future__ import annotations

import pytest

from core.errors import CoreError
from core.ingest import all_kinds, import_upload
from core.lab.workloads import list_workloads, save_workload
from tests.conftest import ADMIN, LEAD_RETAIL


def _header(kind) -> bytes:
    return (",".join(column.name for column in kind.columns) + "\n").encode()


def _counts(store) -> tuple[int, int, int]:
    return (store.scalar("SELECT count(*) FROM import_ledger"), store.scalar("SELECT count(*) FROM workload"),
            store.scalar("SELECT count(*) FROM audit_event"))


@pytest.mark.parametrize("kind", [kind.name for kind in all_kinds()])
@pytest.mark.parametrize("body, says", [
    (lambda kind: b"", "empty"),
    (lambda kind: _header(kind), "no data rows"),
    (lambda kind: _header(kind) + b"\n\n  \n", "no data rows"),
])
def test_an_import_without_data_rows_is_refused_and_writes_nothing(demo_store, kind, body, says):
    from core.ingest import get_kind
    before = _counts(demo_store)
    result = import_upload(demo_store, ADMIN, kind, f"{kind}.csv", body(get_kind(kind)), dry_run=False)
    assert result.status == "rejected"
    assert any(says in problem.message for problem in result.problems), [p.message for p in result.problems]
    assert _counts(demo_store) == before


@pytest.mark.parametrize("data", [b"", b"amount,segment,target\n", b"amount,segment,target\n\n\n"])
def test_a_workload_without_data_rows_is_refused_and_not_stored(demo_store, data):
    before = _counts(demo_store)
    with pytest.raises(CoreError, match="empty|no data rows") as error:
        save_workload(demo_store, LEAD_RETAIL, "empty", data, file_name="empty.csv", business_unit="RETAIL")
    assert "nothing was saved" in str(error.value)
    assert _counts(demo_store) == before
    assert "empty" not in set(list_workloads(demo_store)["name"])
    tables = demo_store.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'workload_rows_%'")
    assert tables == len(list_workloads(demo_store))
