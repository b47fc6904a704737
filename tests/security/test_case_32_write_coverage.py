"""Case 32 — authorization coverage: every page and every write path has an explicit role
requirement, and a new unguarded writer fails a test (the MLflow pattern).

Three layers, each tested here:
* statically, every ``store.write`` names a known permission, no module opens a transaction of
  its own, and the checks made before work starts go through ``store.require`` (audited);
* at run time, a read cursor is a READ ONLY transaction: a write through ``store.cursor()``,
  ``store.rows("DELETE …")`` or any other read helper fails and changes nothing, so a write
  that skips ``store.write`` cannot land without a permission check, an audit event and a
  revision bump;
* every page file is in the registry with its roles, and the pages every role may open are a
  stated list.
"""

from __future__ import annotations

import ast
from pathlib import Path

import duckdb
import pytest

from core.auth import PERMISSIONS
from ui.navigation import ALL_ROLES, PAGES

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"
SYSTEM_WRITERS = {"store/store.py", "store/migrations/__init__.py", "demo/__init__.py"}

# Pages every signed-in role may open: read-only views (their forms write only through core
# functions that check the role themselves). A new page is for every role only once it is here.
PAGES_FOR_EVERY_ROLE = {"portfolio", "initiative", "governance", "spend", "roi_review", "unit_costs",
                        "rightsize_lab", "model_registry", "drift"}


def _receiver_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _calls(tree: ast.AST, method: str):
    """Calls of ``<something named *store>.<method>(...)``."""
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method
                and _receiver_name(node.func.value).endswith("store")):
            yield node


def _bare_require_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "require":
            yield node


def test_every_core_write_goes_through_a_permission_checked_transaction():
    """Writes happen only inside ``store.write(actor, permission, ...)`` (which checks and audits)
    or the system-only paths listed here; a new module that writes any other way fails."""
    offenders = []
    for path in CORE.rglob("*.py"):
        relative = path.relative_to(CORE).as_posix()
        source = path.read_text()
        tree = ast.parse(source)
        for call in [*_calls(tree, "write"), *_calls(tree, "require"), *_calls(tree, "record")]:
            permission = call.args[1] if len(call.args) >= 2 else None
            if permission is None:
                offenders.append(f"{relative}:{call.lineno} store.{call.func.attr} without actor and permission")
            elif isinstance(permission, ast.Constant) and permission.value not in PERMISSIONS:
                offenders.append(f"{relative}:{call.lineno} unknown permission {permission.value!r}")
            if not any(keyword.arg == "action" for keyword in call.keywords):
                offenders.append(f"{relative}:{call.lineno} store.{call.func.attr} without an audited action")
        uses_private = "_transaction(" in source or "system_write(" in source or ".begin(" in source.lower()
        if uses_private and relative not in SYSTEM_WRITERS:
            offenders.append(f"{relative} opens a transaction without a permission check")
        if "BEGIN TRANSACTION" in source and relative not in SYSTEM_WRITERS:
            offenders.append(f"{relative} starts a raw transaction")
        if "record_unsigned(" in source and relative not in {"auth.py", "store/store.py"}:
            offenders.append(f"{relative} audits as someone not signed in: only sign-in may (core/auth.py)")
        if relative not in {"auth.py", "store/store.py"}:  # the definition, Actor.can and Store.require
            offenders += [f"{relative}:{call.lineno} require() unaudited: use store.require(..., action=...)"
                          for call in _bare_require_calls(tree)]
    assert offenders == []


@pytest.mark.parametrize("write", [
    lambda store: store.rows("DELETE FROM initiative"),
    lambda store: store.scalar("UPDATE initiative SET stage = 'retired' RETURNING 1"),
    lambda store: store.one("INSERT INTO business_unit (code, name) VALUES ('X', 'X') RETURNING 1"),
    lambda store: store.frame("DELETE FROM audit_event RETURNING *"),
    lambda store: store.arrow("DELETE FROM usage_event RETURNING 1"),
    lambda store: _through_cursor(store, "DROP TABLE financial_line"),
    lambda store: _through_cursor(store, "ALTER TABLE initiative ADD COLUMN sneaky INTEGER"),
    lambda store: _through_cursor(store, "CREATE TABLE sneaky AS SELECT 1"),
    lambda store: _through_cursor(store, "UPDATE store_meta SET value = '0' WHERE key = 'revision'"),
])
def test_a_write_that_skips_store_write_fails_and_changes_nothing(demo_store, write):
    tables = ("initiative", "business_unit", "audit_event", "usage_event", "financial_line")
    before = [demo_store.scalar(f"SELECT count(*) FROM {table}") for table in tables]
    revision = demo_store.revision
    with pytest.raises(duckdb.Error, match="read-only"):
        write(demo_store)
    assert [demo_store.scalar(f"SELECT count(*) FROM {table}") for table in tables] == before
    assert demo_store.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'sneaky'") == 0
    assert demo_store.scalar("SELECT count(*) FROM duckdb_columns() WHERE column_name = 'sneaky'") == 0
    assert demo_store.revision == revision == int(demo_store.meta("revision"))


def _through_cursor(store, sql: str):
    with store.cursor() as cur:
        cur.execute(sql)


def test_a_read_cursor_still_stages_into_temporary_tables(demo_store):
    """Positive control: dry runs stage uploads in temporary tables on a read cursor."""
    with demo_store.cursor() as cur:
        cur.execute("CREATE TEMP TABLE scratch AS SELECT code FROM initiative")
        cur.execute("INSERT INTO scratch VALUES ('extra')")
        assert cur.execute("SELECT count(*) FROM scratch").fetchone()[0] == \
            demo_store.scalar("SELECT count(*) FROM initiative") + 1


def test_every_page_file_is_registered_with_its_roles():
    files = {path.relative_to(ROOT).as_posix() for path in (ROOT / "pages").glob("*.py")}
    assert files == {page.path for page in PAGES}, "a page file outside ui.navigation.PAGES"
    for page in PAGES:
        assert page.roles and set(page.roles) <= set(ALL_ROLES), page.path
    assert {page.url_path for page in PAGES if set(page.roles) == set(ALL_ROLES)} == PAGES_FOR_EVERY_ROLE
