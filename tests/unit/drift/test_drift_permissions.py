"""Only admins and the model's own unit's team lead may recompute; refusals write nothing."""

from __future__ import annotations

import pytest

from core.auth import Actor
from core.drift.monitor import compute_and_store_drift
from core.errors import PermissionDenied
from tests.conftest import ADMIN, FINANCE, LEAD_OPS, LEAD_RETAIL, VIEWER

COUNTS = ("SELECT (SELECT count(*) FROM drift_result),"
          " (SELECT count(*) FROM audit_event WHERE action <> 'access.refused')")


@pytest.mark.parametrize("actor", [VIEWER, FINANCE, LEAD_OPS, Actor("nobody", "team_lead", None)],
                         ids=["viewer", "finance", "other-unit-lead", "lead-without-unit"])
def test_refused_roles_write_nothing(drift_store, actor):
    before = drift_store.one(COUNTS)
    revision = drift_store.revision
    with pytest.raises(PermissionDenied):
        compute_and_store_drift(drift_store, actor, 1, "2026-01", "2026-02")  # model 1 belongs to RETAIL
    assert drift_store.one(COUNTS) == before
    assert drift_store.revision == revision
    assert drift_store.one("SELECT actor, action FROM audit_event ORDER BY id DESC LIMIT 1") == \
        (actor.name, "access.refused")  # the refusal itself is in the audit log


@pytest.mark.parametrize("actor", [ADMIN, LEAD_RETAIL], ids=["admin", "own-unit-lead"])
def test_admin_and_own_unit_lead_may_recompute(drift_store, actor):
    compute_and_store_drift(drift_store, actor, 1, "2026-01", "2026-02")
    assert drift_store.one(
        "SELECT actor, target FROM audit_event WHERE action = 'drift.compute'") == (actor.name, "model 1")
    assert drift_store.scalar("SELECT DISTINCT computed_by FROM drift_result") == actor.name
