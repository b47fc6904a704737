"""People: admins disable and enable users, change roles and reset passwords, in core (permission
checked, audited) and through `factory users`; the last enabled admin cannot be locked out."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.auth import (Actor, active_actor, add_user, authenticate, is_active_user, list_users, reset_password,
                       set_user_disabled, set_user_role)
from core.errors import AuthenticationError, NotFoundError, PermissionDenied, ValidationError
from tests.conftest import ADMIN, FINANCE

PASSWORD = "long-enough-1"


@pytest.fixture
def people(tiny_store):
    add_user(tiny_store, ADMIN, "ada", "admin", PASSWORD)
    add_user(tiny_store, ADMIN, "vic", "viewer", PASSWORD)
    return tiny_store


def test_a_disabled_user_cannot_sign_in_and_can_be_enabled_again(people):
    set_user_disabled(people, ADMIN, "vic", True)
    assert not is_active_user(people, "vic")
    with pytest.raises(AuthenticationError, match="disabled; ask an administrator"):
        authenticate(people, "vic", PASSWORD)
    with pytest.raises(AuthenticationError, match="Unknown user name or wrong password"):
        authenticate(people, "vic", "wrong-password")   # a wrong password still says nothing more
    set_user_disabled(people, ADMIN, "vic", False)
    assert authenticate(people, "vic", PASSWORD).role == "viewer"
    actions = [r[0] for r in people.rows("SELECT action FROM audit_event WHERE target = 'vic' ORDER BY id")]
    assert actions == ["user.add", "user.disable", "sign_in.failed", "sign_in.failed", "user.enable", "sign_in"]
    assert {u["name"]: u["disabled"] for u in list_users(people)} == {"ada": False, "vic": False}


def test_roles_change_and_a_team_lead_needs_a_known_unit(people):
    with pytest.raises(ValidationError, match="needs a business unit"):
        set_user_role(people, ADMIN, "vic", "team_lead")
    with pytest.raises(ValidationError, match="Unknown business unit 'NOPE'; known units: OPS, RETAIL"):
        set_user_role(people, ADMIN, "vic", "team_lead", "NOPE")
    set_user_role(people, ADMIN, "vic", "team_lead", "OPS")
    actor = authenticate(people, "vic", PASSWORD)
    assert (actor.role, actor.business_unit) == ("team_lead", "OPS")
    set_user_role(people, ADMIN, "vic", "finance", "OPS")     # the unit only binds team leads
    assert people.one("SELECT role, business_unit FROM app_user WHERE name = 'vic'") == ("finance", None)


def test_reset_password(people):
    reset_password(people, ADMIN, "vic", "another-long-one")
    with pytest.raises(AuthenticationError):
        authenticate(people, "vic", PASSWORD)
    assert authenticate(people, "vic", "another-long-one").name == "vic"
    with pytest.raises(ValidationError, match="too short"):
        reset_password(people, ADMIN, "vic", "short")


def test_the_last_enabled_admin_cannot_be_disabled_or_demoted(people):
    with pytest.raises(ValidationError, match="last enabled administrator"):
        set_user_disabled(people, ADMIN, "ada", True)
    with pytest.raises(ValidationError, match="last enabled administrator"):
        set_user_role(people, ADMIN, "ada", "viewer")
    set_user_role(people, ADMIN, "vic", "admin")
    set_user_disabled(people, ADMIN, "ada", True)
    assert not is_active_user(people, "ada")


def test_only_admins_manage_people_and_unknown_users_are_named(people):
    revision = people.revision
    for change in (lambda: set_user_disabled(people, FINANCE, "vic", True),
                   lambda: set_user_role(people, FINANCE, "vic", "admin"),
                   lambda: reset_password(people, FINANCE, "vic", "another-long-one")):
        with pytest.raises(PermissionDenied):
            change()
    assert people.revision == revision
    with pytest.raises(NotFoundError, match="No user named 'zed'"):
        set_user_disabled(people, ADMIN, "zed", True)


def test_a_session_sees_the_user_as_stored_now_and_nothing_once_disabled_or_gone(people):
    assert active_actor(people, "vic") == Actor("vic", "viewer", None, "vic")
    set_user_role(people, ADMIN, "vic", "team_lead", "OPS")
    assert active_actor(people, "vic") == Actor("vic", "team_lead", "OPS", "vic")
    set_user_disabled(people, ADMIN, "vic", True)
    assert active_actor(people, "vic") is None
    assert active_actor(people, "nobody") is None


def test_the_cli_manages_people(tmp_path):
    db = str(tmp_path / "org.duckdb")

    def factory(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "core.cli", *args, "--db", db], input=stdin,
                              capture_output=True, text=True, timeout=120)

    assert subprocess.run([sys.executable, "-m", "core.cli", "init", "--db", db, "--admin", "ada"],
                          input=f"{PASSWORD}\n{PASSWORD}\n", capture_output=True, text=True).returncode == 0
    assert factory("users", "add", "vic", "--role", "viewer", stdin=f"{PASSWORD}\n").returncode == 0
    assert factory("users", "disable", "vic").stdout.strip() == "vic is disabled."
    refused = factory("users", "disable", "ada")
    assert refused.returncode == 2 and "last enabled administrator" in refused.stderr
    assert factory("users", "enable", "vic").returncode == 0
    assert factory("users", "set-role", "vic", "--role", "finance").stdout.strip() == "vic is now finance."
    assert factory("users", "reset-password", "vic", stdin="brand-new-password\n").returncode == 0
