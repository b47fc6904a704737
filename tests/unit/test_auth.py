"""Roles and permissions: who may write what, checked in core on every write."""

from __future__ import annotations

import pytest

from core.auth import BUSINESS_UNIT_SCOPED, PERMISSIONS, Actor, add_user, authenticate, require
from core.entities import ROLES
from core.errors import AuthenticationError, PermissionDenied, ValidationError
from tests.conftest import ADMIN, FINANCE, LEAD_OPS, LEAD_RETAIL, VIEWER

# role -> permissions it holds (independent statement of DESIGN.md's role table)
EXPECTED = {
    "viewer": {"read", "sign_in"},
    "finance": {"read", "edit_financials", "edit_scenarios", "export", "import_billing", "edit_prices",
                "edit_hardware_profiles", "upload_file", "sign_in"},
    "team_lead": {"read", "import_usage", "import_snapshots", "upload_workload", "upload_model", "run_lab",
                  "adopt", "approve_model", "compute_drift", "edit_initiative", "log_incident", "upload_file",
                  "sign_in"},
    "admin": set(PERMISSIONS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
def test_role_permission_matrix(role, permission):
    actor = Actor("someone", role, "RETAIL" if role == "team_lead" else None)
    allowed = permission in EXPECTED[role]
    if allowed:
        require(actor, permission, business_unit="RETAIL")
    else:
        with pytest.raises(PermissionDenied):
            require(actor, permission, business_unit="RETAIL")


@pytest.mark.parametrize("permission", sorted(BUSINESS_UNIT_SCOPED))
def test_team_lead_is_refused_for_another_business_unit(permission):
    require(LEAD_RETAIL, permission, business_unit="RETAIL")
    with pytest.raises(PermissionDenied, match="only"):
        require(LEAD_RETAIL, permission, business_unit="OPS")
    with pytest.raises(PermissionDenied):
        require(LEAD_RETAIL, permission)
    require(ADMIN, permission, business_unit="OPS")


def test_nobody_signed_in_is_refused():
    with pytest.raises(PermissionDenied, match="Sign in"):
        require(None, "read")


def test_add_user_and_sign_in(demo_store):
    add_user(demo_store, ADMIN, "new.lead", "team_lead", "long-enough-1", business_unit="OPS")
    actor = authenticate(demo_store, "new.lead", "long-enough-1")
    assert (actor.role, actor.business_unit) == ("team_lead", "OPS")
    audit = demo_store.rows("SELECT actor, action, target FROM audit_event WHERE action = 'user.add'")
    assert audit == [("ada", "user.add", "new.lead")]
    stored = demo_store.scalar("SELECT password_hash FROM app_user WHERE name = 'new.lead'")
    assert stored.startswith("$argon2id$") and "long-enough-1" not in stored


@pytest.mark.parametrize("actor", [VIEWER, FINANCE, LEAD_OPS])
def test_only_admin_adds_users(demo_store, actor):
    with pytest.raises(PermissionDenied):
        add_user(demo_store, actor, "intruder", "admin", "long-enough-1")
    assert demo_store.scalar("SELECT count(*) FROM app_user WHERE name = 'intruder'") == 0


@pytest.mark.parametrize("kwargs, words", [
    ({"role": "boss"}, "Unknown role"),
    ({"role": "team_lead"}, "needs a business unit"),
    ({"role": "team_lead", "business_unit": "MARS"}, "Unknown business unit"),
    ({"role": "viewer", "password": "short"}, "too short"),
    ({"role": "viewer", "name": "Bad Name!"}, "not valid"),
    ({"role": "viewer", "name": "exec"}, "already exists"),
])
def test_add_user_bad_input(demo_store, kwargs, words):
    args = {"name": "someone", "password": "long-enough-1", **kwargs}
    with pytest.raises(ValidationError, match=words):
        add_user(demo_store, ADMIN, args.pop("name"), args.pop("role"), args.pop("password"), **args)


@pytest.mark.parametrize("name, password", [("exec", "wrong-password"), ("nobody", "demo-exec-2026"), ("exec", "")])
def test_wrong_password_or_unknown_user_gives_one_message(demo_store, name, password):
    with pytest.raises(AuthenticationError, match="Unknown user name or wrong password"):
        authenticate(demo_store, name, password)


def test_demo_accounts_sign_in(demo_store):
    assert authenticate(demo_store, "exec", "demo-exec-2026").role == "viewer"


def test_demo_accounts_exist_only_in_the_demo_store(empty_store):
    assert empty_store.scalar("SELECT count(*) FROM app_user") == 0
    assert empty_store.meta("demo_mode") == "false"
