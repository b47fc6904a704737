"""Case 28 — an executive (viewer) calls the service functions that write, directly, as a
forged widget or a re-enabled button would: every one raises ``PermissionDenied`` in core,
writes nothing, and leaves one ``access.refused`` audit event naming who tried what.

(The pages hide these forms from viewers too — tests/app — but this is the layer that holds.)"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.errors import PermissionDenied
from tests.conftest import VIEWER


def _first(store, sql):
    return store.scalar(sql)


def _attempts():
    from core.auth import add_user, reset_password, set_user_disabled, set_user_role
    from core.finance.board_pack import build_board_pack
    from core.finance.price_book import list_prices, reprice_from, save_prices
    from core.finance.roi import RoiScope
    from core.finance.scenarios import ScenarioConfig, save_scenario
    from core.ingest import import_upload
    from core.lab.hardware import list_profiles, save_profiles
    from core.lab.workloads import save_workload
    from core.models.catalogue import set_version_status
    from core.portfolio.business_units import update_business_unit
    from core.portfolio.editing import edit_initiative, log_incident

    code = "(SELECT min(code) FROM initiative)"
    return {
        "import.usage": lambda s: import_upload(s, VIEWER, "usage", "u.csv", b"x\n1\n", dry_run=False),
        "import.prices": lambda s: import_upload(s, VIEWER, "prices", "p.csv", b"x\n1\n", dry_run=True),
        "workload.upload": lambda s: save_workload(s, VIEWER, "w", b"a,b\n1,2\n", file_name="w.csv",
                                                   business_unit="RETAIL"),
        "initiative.edit": lambda s: edit_initiative(s, VIEWER, _first(s, f"SELECT {code}"), {"stage": "retired"}),
        "incident.log": lambda s: log_incident(s, VIEWER, _first(s, f"SELECT {code}"), occurred_on=dt.date(2026, 1, 1),
                                               severity="low", what_happened="x"),
        "business_unit.update": lambda s: update_business_unit(s, VIEWER, "RETAIL", name="Mine", head=None),
        "model.status": lambda s: set_version_status(s, VIEWER, _first(s, "SELECT min(id) FROM model_version"),
                                                     "retired"),
        "scenario.save": lambda s: save_scenario(s, VIEWER, "mine", RoiScope(), ScenarioConfig()),
        "prices.edit": lambda s: save_prices(s, VIEWER, [], shown=list_prices(s)),
        "prices.reprice": lambda s: reprice_from(s, VIEWER, dt.date(2026, 1, 1)),
        "hardware_profiles.edit": lambda s: save_profiles(s, VIEWER, [], shown=list_profiles(s)),
        "export.board_pack": lambda s: build_board_pack(s, VIEWER, RoiScope()),
        "user.add": lambda s: add_user(s, VIEWER, "mallory", "admin", "long-enough-password-1"),
        "user.set_role": lambda s: set_user_role(s, VIEWER, "evelyn", "admin"),
        "user.disable": lambda s: set_user_disabled(s, VIEWER, "ada", True),
        "user.reset_password": lambda s: reset_password(s, VIEWER, "ada", "long-enough-password-1"),
    }


TABLES = ("initiative", "business_unit", "usage_event", "financial_line", "model_version", "finance_scenario",
          "model_price", "hardware_profile", "workload", "app_user", "import_ledger", "guardrail_incident")


def _snapshot(store):
    return {table: store.scalar(f"SELECT count(*) FROM {table}") for table in TABLES} | {
        "revision": store.revision,
        "stages": store.rows("SELECT code, stage FROM initiative ORDER BY code"),
        "roles": store.rows("SELECT name, role, disabled FROM app_user ORDER BY name"),
        "versions": store.rows("SELECT id, status FROM model_version ORDER BY id"),
    }


@pytest.mark.parametrize("action", sorted(_attempts()))
def test_a_viewer_calling_a_writer_is_refused_in_core_and_audited(demo_store, action):
    before = _snapshot(demo_store)
    events = demo_store.scalar("SELECT max(id) FROM audit_event")
    with pytest.raises(PermissionDenied):
        _attempts()[action](demo_store)
    assert _snapshot(demo_store) == before
    new = demo_store.rows("SELECT actor, role, action, detail FROM audit_event WHERE id > ?", [events])
    assert len(new) == 1, new
    actor, role, logged, detail = new[0]
    assert (actor, role, logged) == ("evelyn", "viewer", "access.refused")
    detail = json.loads(detail)
    assert detail["attempted"] == action and detail["reason"]
