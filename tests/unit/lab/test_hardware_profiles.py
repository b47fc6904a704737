"""Hardware profiles edited as a table: every cell and the engine's rules checked, a profile
that usage runs on never removed, two editors never undoing each other, finance and admins only."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from core.errors import PermissionDenied, ValidationError
from core.lab import hardware
from core.lab.runs import hardware_profiles
from tests.conftest import ADMIN, FINANCE, LEAD_RETAIL, VIEWER


def _unused(store) -> str:
    used = {r[0] for r in store.rows("SELECT DISTINCT hardware FROM usage_monthly")}
    return next(row["name"] for row in hardware.list_profiles(store) if row["name"] not in used)


def test_a_price_change_reaches_the_lab_and_is_audited(demo_store):
    shown = hardware.list_profiles(demo_store)
    rows = [{**row, "price_per_hour_usd": "0.2"} if row["name"] == "cloud-cpu-4" else row for row in shown]
    changes = hardware.save_profiles(demo_store, FINANCE, rows, shown=shown)
    assert changes.changed == {"cloud-cpu-4": {"price_per_hour_usd": (Decimal("0.17"), Decimal("0.2"))}}
    assert {p.name: p.price_per_hour_usd for p in hardware_profiles(demo_store)}["cloud-cpu-4"] == 0.2
    action, detail = demo_store.one("SELECT action, detail FROM audit_event ORDER BY id DESC LIMIT 1")
    assert action == "hardware_profiles.edit"
    assert json.loads(detail)["changed"] == {"cloud-cpu-4": {"price_per_hour_usd": ["0.17", "0.2"]}}


def test_add_and_remove_an_unused_profile(demo_store):
    shown = hardware.list_profiles(demo_store)
    unused = _unused(demo_store)
    new = {"name": "cloud-cpu-2", "location": "cloud", "price_per_hour_usd": "0.085", "cores": "2",
           "accelerator": "", "watts": "35", "target_utilisation": "0.6", "overhead_per_request_usd": "0",
           "overhead_per_month_usd": "25", "description": "2 vCPU"}
    rows = [row for row in shown if row["name"] != unused] + [new]
    changes = hardware.save_profiles(demo_store, ADMIN, rows, shown=shown)
    assert [r["name"] for r in changes.added] == ["cloud-cpu-2"] and [r["name"] for r in changes.removed] == [unused]
    names = [row["name"] for row in hardware.list_profiles(demo_store)]
    assert "cloud-cpu-2" in names and unused not in names


def test_a_profile_usage_runs_on_cannot_be_removed(demo_store):
    shown = hardware.list_profiles(demo_store)
    used = demo_store.scalar("SELECT hardware FROM usage_monthly WHERE hardware IN (SELECT name FROM hardware_profile)"
                             " LIMIT 1")
    with pytest.raises(ValidationError, match=f"cannot be removed \\({used}: [0-9,]+ usage events run on it\\)"):
        hardware.save_profiles(demo_store, FINANCE, [r for r in shown if r["name"] != used], shown=shown)
    assert hardware.list_profiles(demo_store) == shown


def test_bad_cells_and_engine_rules_are_named(demo_store):
    shown = hardware.list_profiles(demo_store)
    bad = [{**shown[0], "location": "moon", "cores": "2.5"}, *shown[1:]]
    with pytest.raises(ValidationError) as error:
        hardware.save_profiles(demo_store, FINANCE, bad, shown=shown)
    assert "location: expected one of cloud, edge, got 'moon'" in str(error.value)
    assert "cores: expected a whole number, got 2.5" in str(error.value)
    idle = [{**shown[0], "target_utilisation": "0"}, *shown[1:]]
    with pytest.raises(ValidationError, match="target_utilisation: expected a number ≥ 0.01"):
        hardware.save_profiles(demo_store, FINANCE, idle, shown=shown)
    assert hardware.list_profiles(demo_store) == shown


def test_a_new_store_starts_from_the_standard_profiles(empty_store):
    assert hardware.list_profiles(empty_store) == []
    hardware.save_profiles(empty_store, ADMIN, hardware.standard_profiles(), shown=[])
    assert [p.name for p in hardware_profiles(empty_store)] == sorted(r["name"] for r in hardware.standard_profiles())


def test_a_save_over_someone_elses_change_is_refused(demo_store):
    stale = hardware.list_profiles(demo_store)
    hardware.save_profiles(demo_store, ADMIN, [{**stale[0], "watts": 99.0}, *stale[1:]], shown=stale)
    with pytest.raises(ValidationError, match="changed by someone else"):
        hardware.save_profiles(demo_store, FINANCE, [{**stale[1], "cores": 8}, stale[0], *stale[2:]], shown=stale)


@pytest.mark.parametrize("actor", [VIEWER, LEAD_RETAIL])
def test_only_finance_and_admins_edit_profiles(demo_store, actor):
    shown = hardware.list_profiles(demo_store)
    with pytest.raises(PermissionDenied):
        hardware.save_profiles(demo_store, actor, [{**shown[0], "watts": 1.0}, *shown[1:]], shown=shown)
