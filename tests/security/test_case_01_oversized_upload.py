"""Case 1 — oversized and unwelcome uploads. Streamlit's upload route takes a file from any
session that opened a websocket and keeps it in memory; ``ui.server.UploadGuard`` (in front of
it, in ``app.py``'s ``st.App``) lets a file through only from a signed-in session whose role may
upload, with a stated size, within what one session may hold — refused before a byte of the
body is read. Core checks each kind's own limit again on the bytes (``check_size``).

The guard is driven here as the ASGI application it is, and once against the real server."""

from __future__ import annotations

import asyncio
import concurrent.futures
import urllib.error
import urllib.request

import pytest

from core.config import MB
from tests.conftest import ADMIN, FINANCE, LEAD_RETAIL, VIEWER
from ui.server import UploadGuard

UPLOAD = "/_stcore/upload_file/session-1/file-1"


def _call(guard, method: str, path: str, headers: dict[bytes, bytes]) -> tuple[int, str, bool]:
    """Run one request through ``guard``: (status, body, whether the body was read)."""
    sent, read = [], []

    async def receive():
        read.append(True)
        return {"type": "http.request", "body": b"x", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": list(headers.items())}
    # on a thread of its own: the browser tests' Playwright may hold this thread's event loop
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, guard(scope, receive, send)).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
    return status, body, bool(read)


async def _streamlit(scope, receive, send):
    """Stands for Streamlit's own route: reads the body, answers 204."""
    await receive()
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def _guard(actor, held: int = 0):
    return UploadGuard(_streamlit, actor_of=lambda session_id: actor, held_bytes=lambda session_id: held)


def _length(size: int) -> dict[bytes, bytes]:
    return {b"content-length": str(size).encode()}


@pytest.mark.parametrize("actor", [LEAD_RETAIL, FINANCE, ADMIN])
def test_a_signed_in_uploader_within_the_limit_reaches_streamlit(actor):
    assert _call(_guard(actor), "PUT", UPLOAD, _length(10 * MB))[:2] == (204, "")


def test_a_session_that_never_signed_in_is_refused_before_its_body_is_read():
    status, body, read = _call(_guard(None), "PUT", UPLOAD, _length(150 * MB))
    assert (status, read) == (401, False)
    assert body == "Sign in before uploading a file; nothing was received."


def test_a_role_that_uploads_nothing_is_refused_and_audited(demo_store, monkeypatch):
    monkeypatch.setattr("ui.store.get_store", lambda: demo_store)
    status, body, read = _call(_guard(VIEWER), "PUT", UPLOAD, _length(1000))
    assert (status, read) == (403, False)
    assert "Your role (viewer) cannot upload files" in body
    assert demo_store.rows("SELECT actor, action, target FROM audit_event ORDER BY id DESC LIMIT 1") == \
        [("evelyn", "access.refused", "upload")]


def test_an_upload_without_a_stated_size_is_refused():
    status, body, read = _call(_guard(LEAD_RETAIL), "PUT", UPLOAD, {b"transfer-encoding": b"chunked"})
    assert (status, read) == (411, False) and "Content-Length" in body


def test_what_one_session_may_hold_is_bounded(monkeypatch):
    monkeypatch.setenv("FACTORY_MAX_SESSION_UPLOAD_MB", "300")
    assert _call(_guard(LEAD_RETAIL, held=140 * MB), "PUT", UPLOAD, _length(150 * MB))[0] == 204
    status, body, read = _call(_guard(LEAD_RETAIL, held=290 * MB), "PUT", UPLOAD, _length(150 * MB))
    assert (status, read) == (413, False)
    assert "already holds 290.0 MB of uploaded files and may hold 300 MB at most" in body


@pytest.mark.parametrize("method, path", [
    ("GET", UPLOAD), ("DELETE", UPLOAD), ("OPTIONS", UPLOAD), ("PUT", "/_stcore/health"), ("PUT", "/portfolio"),
])
def test_other_requests_pass_untouched(method, path):
    assert _call(_guard(None), method, path, {})[0] == 204


def test_under_a_base_url_path_the_guard_still_applies():
    assert _call(_guard(None), "PUT", "/factory" + UPLOAD, _length(10))[0] == 401


def test_core_enforces_each_kinds_limit_again_on_the_bytes(demo_store, monkeypatch):
    from core.ingest import import_upload

    monkeypatch.setenv("FACTORY_MAX_UPLOAD_MB", "1")
    ledger = demo_store.scalar("SELECT count(*) FROM import_ledger")
    result = import_upload(demo_store, ADMIN, "usage", "big.csv", b"x" * (MB + 1), dry_run=False)
    assert result.status == "rejected"
    assert "the file is 1.0 MB; the limit for usage files is 1 MB" in result.problems[0].message
    assert demo_store.scalar("SELECT count(*) FROM import_ledger") == ledger
    assert not list((demo_store.staging_dir).glob("*.csv"))


def test_the_real_server_refuses_an_anonymous_upload(served_app):
    """Against ``streamlit run app.py``: Streamlit alone would answer 400 (no such session);
    the guard answers first, and the 150 MB it was promised is never read."""
    request = urllib.request.Request(served_app + UPLOAD, method="PUT", data=b"x" * 1024,
                                     headers={"Content-Type": "multipart/form-data; boundary=b"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401
    assert refused.value.read().decode() == "Sign in before uploading a file; nothing was received."



def test_the_roles_that_may_send_files_are_those_that_import_or_upload_something():
    from core.auth import PERMISSIONS
    from core.ingest import all_kinds

    with_a_file = {kind.permission for kind in all_kinds()} | {"upload_workload", "upload_model"}
    assert PERMISSIONS["upload_file"] == frozenset().union(*(PERMISSIONS[p] for p in with_a_file))
