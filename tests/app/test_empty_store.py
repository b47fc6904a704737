"""Every page on an empty store (``factory init``), for every role: no exception, no "$0"
tile pretending to be data, a sentence saying what is missing and a link that fills it; the
admin's getting-started checklist ticks itself from what the store holds."""

from __future__ import annotations

import pytest

from core.entities import ROLES
from core.ingest import import_upload
from core.store import Store
from tests.app.conftest import add_test_users, new_app
from tests.conftest import ACTORS, ADMIN
from ui.navigation import pages_for
from ui.store import reset_store

# page -> what its empty state says (pages that work on an empty store are absent)
EMPTY_STATE = {
    "pages/portfolio.py": "No initiatives yet",
    "pages/initiative.py": "No initiatives yet",
    "pages/governance.py": "No active initiatives yet",
    "pages/spend.py": "No financial lines yet",
    "pages/roi_review.py": "No financial lines yet",
    "pages/unit_costs.py": "No usage and no cloud billing yet",
    "pages/rightsize_lab.py": "No right-size recommendation adopted yet",
    "pages/model_registry.py": "No models yet",
    "pages/drift.py": "No feature snapshots yet",
    "pages/price_book.py": "No prices yet",
}
INITIATIVES_CSV = (b"code,name,business_unit,stage,kind,bu_owner,platform_owner,risk_tier,deployment,guardrails,"
                   b"start_date\nFIRST-01,First initiative,OPS,pilot,predictive,Ana,Bo,low,cloud,human approval,"
                   b"2026-01-01\n")


@pytest.fixture
def empty_app_db(tmp_path, monkeypatch):
    path = tmp_path / "org.duckdb"
    Store.open(path).close()
    add_test_users(path)  # users, but no business unit and no data yet
    monkeypatch.setenv("FACTORY_DB", str(path))
    reset_store()
    yield path
    reset_store()


def _page_links(at) -> list[tuple[str, str]]:
    """(label, page) of every st.page_link drawn."""
    return [(e.proto.label, e.proto.page) for e in at.get("page_link")]


def _open(role: str, path: str, **query):
    at = new_app(ACTORS[role], **query)
    at.run()
    at.switch_page(path).run()
    return at


@pytest.mark.parametrize("role", ROLES)
def test_every_page_says_what_is_missing_on_an_empty_store(empty_app_db, role):
    for spec in pages_for(role):
        at = _open(role, spec.path)
        assert not at.exception, f"{spec.path} as {role}: {at.exception}"
        infos = " ".join(e.value for e in at.info)
        if spec.path in EMPTY_STATE:
            assert EMPTY_STATE[spec.path] in infos, f"{spec.path} as {role}: {infos!r}"
        for metric in at.metric:  # a zero tile on an empty store reads as data
            assert metric.value not in ("$0", "0", "—"), f"{spec.path} as {role}: {metric.label} = {metric.value}"
        assert "nan" not in " ".join(str(m.value) for m in at.markdown).lower().split()


def test_the_empty_state_links_to_the_import_that_fills_it_or_says_whom_to_ask(empty_app_db):
    admin = _open("admin", "pages/spend.py")
    assert any(label == "Import financial lines" and "imports" in page for label, page in _page_links(admin))
    lab = _open("admin", "pages/rightsize_lab.py")  # a workload needs a business unit to belong to
    assert "No business units yet" in " ".join(e.value for e in lab.info) and not lab.get("file_uploader")
    viewer = _open("viewer", "pages/spend.py")
    assert not any(label.startswith("Import") for label, _ in _page_links(viewer))
    assert "ask an administrator" in " ".join(c.value for c in viewer.caption)


def test_an_import_link_opens_the_imports_page_on_its_kind(empty_app_db):
    at = _open("admin", "pages/imports.py", kind="financials")
    assert not at.exception
    assert at.radio[0].value == "financials"
    bad = _open("admin", "pages/imports.py", kind="nonsense")
    assert bad.radio[0].value == "initiatives" and "not one of" in bad.warning[0].value


def test_the_admin_checklist_ticks_each_step_from_the_store(empty_app_db):
    at = _open("admin", "pages/portfolio.py")
    [checklist] = [e for e in at.expander if e.label.startswith("Getting started")]
    assert checklist.label == "Getting started: 0 of 6 steps done"
    assert not any(e.label.startswith("Getting started") for e in _open("viewer", "pages/portfolio.py").expander)

    reset_store()  # the app's store closes: one process, one connection to the file
    store = Store.open(empty_app_db)
    try:
        result = import_upload(store, ADMIN, "initiatives", "first.csv", INITIATIVES_CSV, dry_run=False)
        assert result.status == "imported", result.problems
    finally:
        store.close()
    at = _open("admin", "pages/portfolio.py")
    [checklist] = [e for e in at.expander if e.label.startswith("Getting started")]
    assert checklist.label == "Getting started: 1 of 6 steps done"
    assert "1 initiative in 1 business unit" in " ".join(m.value for m in checklist.markdown)
    assert not at.info or "No initiatives yet" not in " ".join(e.value for e in at.info)
    assert any(m.label == "In production" for m in at.metric)  # the portfolio itself now shows
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Spend to date"] == tiles["Realised value"] == "—"  # no financial lines: not "$0"
    infos = " ".join(e.value for e in at.info)
    assert "No financial lines yet" in infos and "No initiative in view has a verdict yet" in infos
