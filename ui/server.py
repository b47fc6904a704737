"""The server around the dashboard: what ``app.py``'s ``st.App`` adds to Streamlit's own.

* ``lifespan`` opens the store once, when the server starts (``ui.store.get_store``: the one
  process-wide store every session and route shares), and closes it when the server stops.
* ``UploadGuard`` stands in front of Streamlit's file-upload route,
  ``PUT /_stcore/upload_file/{session_id}/{file_id}``, which otherwise takes a file from any
  session that opened a websocket, signed in or not, and keeps it in the server's memory until
  the session ends. The guard lets a file through only when

  1. the session is signed in (its ``state.ACTOR``) as a user the store still has enabled,
  2. that user's role may send files (permission ``upload_file``: the roles holding an import
     kind's, a workload's or a model's permission — a test keeps the two in step),
  3. the request says its size (``Content-Length``; Streamlit's browser client always does), and
  4. what the session already holds plus this file stays within ``FACTORY_MAX_SESSION_UPLOAD_MB``,

  and answers 401, 403, 411 or 413 with a one-line reason otherwise, before a byte of the body
  is read. A signed-in user refused for their role leaves an ``access.refused`` audit event;
  anonymous requests do not (anyone could fill the log with them). Streamlit itself then caps
  each file at ``server.maxUploadSize`` while it streams, and core checks each kind's own
  limit again on the bytes.
"""

from __future__ import annotations

import logging
import re
from contextlib import asynccontextmanager

from core.config import setting
from core.errors import PermissionDenied

_log = logging.getLogger(__name__)

# /_stcore/upload_file/<session id>/<file id>, under any base URL path
_UPLOAD_PATH = re.compile(r"(?:^|/)_stcore/upload_file/([^/]+)/[^/]+/?$")


@asynccontextmanager
async def lifespan(app):
    """Open the store when the server starts (building the demo on a first start), so the first
    visitor does not wait for it and every route shares it; close it when the server stops."""
    from ui.store import get_store, reset_store

    store = get_store()
    _log.info("Factory Floor store open: %s", store.path)
    try:
        yield {"store": store}
    finally:
        reset_store()


def _session(session_id: str):
    """The live Streamlit session of ``session_id``, or None (unknown, closed)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return None
    info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
    return None if info is None else info.session


def session_actor(session_id: str):
    """The signed-in actor of a live session, as the store holds the user now; None when the
    session is unknown, not signed in, or its user was disabled or removed."""
    from core.auth import active_actor
    from ui import state
    from ui.store import get_store

    session = _session(session_id)
    if session is None:
        return None
    signed_in = session.session_state.filtered_state.get(state.ACTOR)
    return None if signed_in is None else active_actor(get_store(), signed_in.name)


def held_upload_bytes(session_id: str) -> int:
    """Bytes of uploaded files Streamlit holds for the session now (its in-memory manager)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    storage = getattr(Runtime.instance().uploaded_file_mgr, "file_storage", {})
    return sum(len(record.data) for record in dict(storage.get(session_id, {})).values())


class UploadGuard:
    """ASGI middleware: refuses uploads from sessions that may not upload (see the module).

    ``actor_of`` and ``held_bytes`` look a session up (the live runtime's, by default; tests
    give their own)."""

    def __init__(self, app, *, actor_of=session_actor, held_bytes=held_upload_bytes):
        self.app = app
        self.actor_of = actor_of
        self.held_bytes = held_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "PUT":
            match = _UPLOAD_PATH.search(scope["path"])
            if match:
                refusal = self.refusal(match.group(1), dict(scope["headers"]).get(b"content-length"))
                if refusal is not None:
                    status, reason = refusal
                    await _answer(send, status, reason)
                    return
        await self.app(scope, receive, send)

    def refusal(self, session_id: str, content_length: bytes | None) -> tuple[int, str] | None:
        """(HTTP status, reason) when the upload must be refused, else None."""
        from ui.store import get_store

        actor = self.actor_of(session_id)
        if actor is None:
            return 401, "Sign in before uploading a file; nothing was received."
        try:
            get_store().require(actor, "upload_file", action="upload_file", target="upload")
        except PermissionDenied:  # audited by Store.require
            return 403, (f"Your role ({actor.role}) cannot upload files; ask an administrator for the role "
                         "that imports this data. Nothing was received.")
        if content_length is None or not content_length.isdigit():
            return 411, "The upload must state its size (Content-Length); nothing was received."
        quota = setting("FACTORY_MAX_SESSION_UPLOAD_MB")
        held = self.held_bytes(session_id)
        if held + int(content_length) > quota:
            return 413, (f"This session already holds {held / 2**20:,.1f} MB of uploaded files and may hold "
                         f"{quota / 2**20:,.0f} MB at most: remove a file from the uploader (or import it) "
                         "before adding another. Nothing was received.")
        return None


async def _answer(send, status: int, reason: str) -> None:
    body = reason.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
