"""Security case class "Markdown and HTML in user text": a name such as
``:red[**Approved by the board**] ![px](http://…)`` once rendered as a red bold title and made
every viewer's browser fetch the image. User-supplied strings reach the page only escaped
(``ui.filters.literal``): shown as the characters typed, never as markup."""

from __future__ import annotations

import re

import pytest

from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ADMIN, VIEWER
from ui.filters import literal
from ui.store import reset_store

HOSTILE = ":red[**Approved by the board**] ![px](http://attacker.example/p.png) <img src=x>"
# markup that would be live in Streamlit Markdown: a colour directive, an image, an HTML tag
LIVE_MARKUP = re.compile(r"(?<!\\):red\[|(?<!\\)!(?<!\\)\[px(?<!\\)\]\(|<img")


def _texts(at) -> list[str]:
    elements = [*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.info, *at.success,
                *at.warning, *at.error]
    return [str(e.value) for e in elements] + [str(m.label) for m in at.metric]


@pytest.fixture
def hostile_db(app_db):
    reset_store()
    store = Store.open(app_db)
    try:
        with store.system_write(action="test.hostile") as cur:
            cur.execute("UPDATE initiative SET name = ?, bu_owner = ?, kpi_name = ? WHERE code = 'COA-01'",
                        [HOSTILE, HOSTILE, HOSTILE])
    finally:
        store.close()
    yield app_db
    reset_store()


@pytest.mark.parametrize("actor", [VIEWER, ADMIN])
def test_a_hostile_initiative_name_renders_as_plain_text(hostile_db, actor):
    at = new_app(actor, initiative="COA-01")
    at.run()
    at.switch_page("pages/initiative.py").run()
    assert not at.exception
    shown = [text for text in _texts(at) if "Approved by the board" in text]
    assert len(shown) >= 3  # the title, the owner line, the KPI tile and chart heading
    for text in shown:
        assert not LIVE_MARKUP.search(text), text


def test_literal_escapes_every_markup_character():
    escaped = literal(HOSTILE)
    assert not LIVE_MARKUP.search(escaped)
    assert "<" not in escaped and ">" not in escaped
