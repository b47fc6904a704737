"""Case 27 — unauthenticated access: a session with no signed-in user (a fresh browser, a
WebSocket session without an identity) that opens any page's address directly gets the
sign-in form and nothing else; the navigation offers only it; and no data is queried — the
only table such a session reads is ``store_meta`` (the demo-mode flag the form shows the demo
accounts by). A forged identity in the session (an actor the store does not know) is signed
out the same way.

Every statement the app runs goes through ``Store``'s cursors, so a recorder on them sees all
of it; a signed-in session is the positive control (the recorder sees the portfolio queried).
The real server (``streamlit run app.py``, a fresh process whose first request is a deep link)
is case 1's and the browser suite's ``test_a_link_opened_first_on_a_fresh_server_gets_the_whole_app``."""

from __future__ import annotations

import contextlib
import re

import pytest
from streamlit.util import calc_hash

from core.auth import Actor
from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import VIEWER
from ui import state
from ui.navigation import PAGES

ANONYMOUS_READS = {"store_meta"}


class _Recording:
    """A cursor that records the SQL it runs (and is otherwise the cursor)."""

    def __init__(self, cursor, seen: list[str]):
        self._cursor, self._seen = cursor, seen

    def execute(self, sql, *args, **kwargs):
        self._seen.append(str(sql))
        return self._cursor.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


@pytest.fixture
def statements(monkeypatch):
    seen: list[str] = []
    original = Store._raw_cursor

    @contextlib.contextmanager
    def recording(self, **options):
        with original(self, **options) as cur:
            yield _Recording(cur, seen)

    monkeypatch.setattr(Store, "_raw_cursor", recording)
    return seen


_READ_FROM = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


def _tables(statements: list[str]) -> set[str]:
    """The tables the statements name after FROM, JOIN, INTO or UPDATE."""
    return {name.lower() for sql in statements for name in _READ_FROM.findall(sql)}


def _shows_only_the_sign_in_form(at) -> None:
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Factory Floor"]
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.metric and not at.get("plotly_chart") and not at.sidebar.children
    assert not at.get("file_uploader") and not at.selectbox and not at.multiselect


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_every_page_address_shows_only_the_sign_in_form_and_queries_no_data(app_db, statements, spec):
    at = new_app(**{"initiative": "COA-01"} if spec.url_path == "initiative" else {})
    at.switch_page(spec.path)  # before the first run: the address a fresh browser opens
    at.run()
    assert at._finished_page_script_hash == calc_hash(spec.url_path), "the address was not the page's"
    _shows_only_the_sign_in_form(at)
    assert state.ACTOR not in at.session_state
    assert statements, "the recorder saw nothing (positive control)"
    assert _tables(statements) <= ANONYMOUS_READS


def test_the_navigation_lists_only_the_sign_in_page(app_db):
    """One entry per page address (a shared link keeps working after sign-in), each of them the
    sign-in form: no page file is registered, so none can be run by a session with no user."""
    at = new_app()
    at.run()
    pages = list(at._registered_pages.values())
    assert len(pages) == len(PAGES)
    assert {(page["page_name"], page["script_path"]) for page in pages} == {("Sign in", "")}
    assert not at.sidebar.children  # hidden navigation, no account panel


def test_a_forged_identity_in_the_session_is_signed_out(app_db, statements):
    at = new_app(Actor("mallory", "admin"))  # set in session state, but no such user in the store
    at.run()
    _shows_only_the_sign_in_form(at)
    assert state.ACTOR not in at.session_state
    assert _tables(statements) <= ANONYMOUS_READS | {"app_user"}  # the one lookup that finds no such user


def test_positive_control_a_signed_in_session_queries_the_portfolio(app_db, statements):
    at = new_app(VIEWER)
    at.run()
    assert not at.exception and at.metric
    assert {"initiative", "financial_line"} <= _tables(statements)
