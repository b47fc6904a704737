"""Case 14 — CSV dialect edge cases: a file the reader cannot take is refused with a message in
the user's terms (the line and what is wrong, or the usual causes) — never DuckDB's text, the
staging path or the parser's options — and nothing is written; the dialects the contract
allows (BOM, CRLF, quoted line breaks) import."""

from __future__ import annotations

import pytest

from core.errors import CoreError
from core.ingest import import_upload
from tests.conftest import ADMIN

HEADER = b"model,provider,valid_from,input_usd_per_1m,output_usd_per_1m\n"
ROW = b"new-llm,acme,2026-01-01,1,2\n"
INTERNALS = ("staging", "uploads", "/tmp", "sniff", "strict_mode", "null_padding", "Invalid Input Error", "DuckDB")


def _clean(message: str) -> None:
    assert not [word for word in INTERNALS if word in message], message


@pytest.mark.parametrize("body, says", [
    (HEADER + b'new-llm,acme,2026-01-01,"1,2\n', "a quote is not closed"),
    (HEADER + b"new-llm,acme,2026-01-01,1,2,3\n", "more or fewer values than the header's 5 columns"),
    (HEADER + ROW * 3000 + b"late,acme,2026-01-01,1,2,3\n", "line 3,002 has 6 values where the header has 5 columns"),
])
def test_an_unreadable_csv_is_refused_in_the_users_terms(demo_store, body, says):
    before = demo_store.scalar("SELECT count(*) FROM model_price")
    with pytest.raises(CoreError) as error:
        import_upload(demo_store, ADMIN, "prices", "prices.csv", body, dry_run=False)
    message = str(error.value)
    assert message.startswith("prices.csv: cannot be read as CSV: ") and says in message, message
    assert "nothing was imported" in message
    _clean(message)
    assert demo_store.scalar("SELECT count(*) FROM model_price") == before


@pytest.mark.parametrize("body", [
    b"\xef\xbb\xbf" + HEADER + ROW,                                   # UTF-8 byte order mark
    HEADER.replace(b"\n", b"\r\n") + ROW.replace(b"\n", b"\r\n"),     # CRLF
    HEADER + b'new-llm,"acme\ncorp",2026-01-01,1,2\n',                 # a quoted line break
])
def test_the_allowed_dialects_import(demo_store, body):
    result = import_upload(demo_store, ADMIN, "prices", "prices.csv", body, dry_run=False)
    assert result.status == "imported", result.problems
    assert demo_store.scalar("SELECT count(*) FROM model_price WHERE model = 'new-llm'") == 1



def test_an_unreadable_workload_csv_is_refused_in_the_users_terms(demo_store):
    from core.lab.workloads import WorkloadError, save_workload
    from tests.conftest import LEAD_RETAIL
    before = demo_store.scalar("SELECT count(*) FROM workload")
    with pytest.raises(WorkloadError) as error:
        save_workload(demo_store, LEAD_RETAIL, "bad", b"x,y\n1,2\n" * 50 + b"1,2,3\n", file_name="bad.csv",
                      business_unit="RETAIL")
    message = str(error.value)
    assert message.startswith("Workload file bad.csv: cannot be read as CSV: ") and "nothing was saved" in message
    _clean(message)
    assert demo_store.scalar("SELECT count(*) FROM workload") == before
