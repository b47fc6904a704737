"""Case 8 — duplicate keys: in-file duplicates refused, existing codes upserted by policy, a
byte-identical re-upload a no-op, and one unit's stored workload never handed to another unit
that uploads the same bytes."""

from __future__ import annotations

from core.ingest import import_upload
from core.lab.workloads import get_workload, save_workload
from tests.conftest import ADMIN, LEAD_OPS, LEAD_RETAIL

WORKLOAD = b"amount,segment,target\n" + b"".join(f"{i},{'ab'[i % 2]},{i % 2}\n".encode() for i in range(40))


def test_a_byte_identical_re_import_is_a_no_op(demo_store):
    data = b"model,provider,valid_from,input_usd_per_1m,output_usd_per_1m\nnew-llm,acme,2026-01-01,1,2\n"
    assert import_upload(demo_store, ADMIN, "prices", "p.csv", data, dry_run=False).status == "imported"
    again = import_upload(demo_store, ADMIN, "prices", "p-again.csv", data, dry_run=False)
    assert again.status == "duplicate" and again.rows_added == 0
    assert demo_store.scalar("SELECT count(*) FROM model_price WHERE model = 'new-llm'") == 1


def test_a_key_twice_in_one_file_is_refused(demo_store):
    data = (b"model,provider,valid_from,input_usd_per_1m,output_usd_per_1m\n"
            b"new-llm,acme,2026-01-01,1,2\nnew-llm,acme,2026-01-01,1,3\n")
    result = import_upload(demo_store, ADMIN, "prices", "p.csv", data, dry_run=False)
    assert result.status == "rejected" and demo_store.scalar("SELECT count(*) FROM model_price WHERE model = 'new-llm'") == 0


def test_a_unit_re_uploading_its_bytes_gets_its_own_workload_back(demo_store):
    first = save_workload(demo_store, LEAD_RETAIL, "churn", WORKLOAD, file_name="w.csv", business_unit="RETAIL")
    again = save_workload(demo_store, LEAD_RETAIL, "churn again", WORKLOAD, file_name="w.csv", business_unit="RETAIL")
    assert first.created and not again.created and again.id == first.id


def test_another_unit_uploading_the_same_bytes_gets_its_own_workload(demo_store):
    retail = save_workload(demo_store, LEAD_RETAIL, "churn", WORKLOAD, file_name="w.csv", business_unit="RETAIL")
    ops = save_workload(demo_store, LEAD_OPS, "ops copy", WORKLOAD, file_name="w.csv", business_unit="OPS")
    assert ops.created and ops.id != retail.id
    assert (ops.business_unit, ops.name, ops.uploaded_by) == ("OPS", "ops copy", LEAD_OPS.name)
    assert get_workload(demo_store, retail.id).business_unit == "RETAIL"  # the first unit's is untouched
