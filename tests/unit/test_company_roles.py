"""Company sign-in: the role a claim gives, the map's checks, the session's age, the user row."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.auth import Actor, add_user, authenticate, record_company_sign_in, record_sign_out, set_user_disabled
from core.company_sign_in import (RoleGrant, claim_values, company_identity, grant_from_claims, login_time,
                                  parse_role_map, session_expired)
from core.config import ConfigError, setting
from core.company_sign_in import NoAccessError
from core.errors import AuthenticationError
from tests.conftest import ADMIN

MAP = parse_role_map(json.dumps({
    "Factory-Viewers": "viewer", "factory-finance": "finance", "factory-admins": "ADMIN",
    "retail-leads": "team_lead:RETAIL", "ops-leads": "team_lead:OPS",
}))


@pytest.mark.parametrize("groups, expected", [
    (["factory-finance"], RoleGrant("finance")),
    (["factory-viewers"], RoleGrant("viewer")),                      # keys match whatever the case
    (["FACTORY-FINANCE"], RoleGrant("finance")),
    (["factory-viewers", "factory-finance"], RoleGrant("finance")),  # the most powerful wins
    (["retail-leads", "factory-viewers"], RoleGrant("team_lead", "RETAIL")),
    (["factory-finance", "retail-leads"], RoleGrant("finance")),     # finance > team_lead
    (["retail-leads", "factory-admins", "factory-finance"], RoleGrant("admin")),
    (["retail-leads", "ops-leads"], RoleGrant("team_lead", "OPS")),  # same role: first unit alphabetically
    (["ops-leads", "retail-leads"], RoleGrant("team_lead", "OPS")),
    (["someone-else"], None),
    ([], None),
    ("factory-viewers factory-finance", RoleGrant("finance")),       # one string, separated by spaces
    ("factory-viewers,factory-admins", RoleGrant("admin")),
    (None, None),
    (42, None),
    (["factory-finance", 7, None], RoleGrant("finance")),            # values that are not text are ignored
])
def test_grant_from_claims(groups, expected):
    assert grant_from_claims({"groups": groups}, "groups", MAP) == expected


def test_another_claim_name():
    assert grant_from_claims({"roles": ["factory-admins"], "groups": ["factory-viewers"]}, "roles", MAP) \
        == RoleGrant("admin")
    assert grant_from_claims({"groups": ["factory-admins"]}, "roles", MAP) is None


@pytest.mark.parametrize("text, words", [
    ('{"g": "boss"}', ["FACTORY_OIDC_ROLE_MAP['g']", "'boss'", "viewer, finance, admin or team_lead:BU"]),
    ('{"g": "team_lead"}', ["team_lead:BU", "business unit"]),
    ('{"g": "team_lead:"}', ["team_lead:BU"]),
    ('{"g": "finance:RETAIL"}', ["is not a role"]),
    ('{"g": 3}', ["expected a role as text"]),
    ('["finance"]', ["JSON object"]),
    ("{not json", ["is not JSON"]),
    ('{"G": "viewer", "g": "admin"}', ["twice"]),
    ('{" ": "viewer"}', ["empty claim value"]),
])
def test_a_map_that_cannot_be_used_is_refused(text, words):
    with pytest.raises(ConfigError) as refusal:
        parse_role_map(text)
    for word in words:
        assert word in str(refusal.value)


def test_the_setting_is_checked_with_the_maps_message(monkeypatch):
    monkeypatch.setenv("FACTORY_OIDC_ROLE_MAP", '{"factory-finance": "accountant"}')
    with pytest.raises(ConfigError, match="'accountant' is not a role"):
        setting("FACTORY_OIDC_ROLE_MAP")
    monkeypatch.setenv("FACTORY_OIDC_ROLE_MAP", '{"a": "finance", "b": "team_lead:retail"}')
    assert dict(setting("FACTORY_OIDC_ROLE_MAP")) == {"a": RoleGrant("finance"), "b": RoleGrant("team_lead", "retail")}
    assert setting("FACTORY_OIDC_ROLE_CLAIM") == "groups"
    assert setting("FACTORY_SESSION_MAX_HOURS") == 12
    monkeypatch.setenv("FACTORY_LOCAL_SIGN_IN", "off")
    assert setting("FACTORY_LOCAL_SIGN_IN") is False
    monkeypatch.setenv("FACTORY_LOCAL_SIGN_IN", "maybe")
    with pytest.raises(ConfigError, match="FACTORY_LOCAL_SIGN_IN"):
        setting("FACTORY_LOCAL_SIGN_IN")
    monkeypatch.setenv("FACTORY_SESSION_MAX_HOURS", "0")
    with pytest.raises(ConfigError, match="FACTORY_SESSION_MAX_HOURS"):
        setting("FACTORY_SESSION_MAX_HOURS")


def test_claim_values():
    assert claim_values({"groups": ["a", "b"]}, "groups") == ["a", "b"]
    assert claim_values({"groups": " a, b  c"}, "groups") == ["a", "b", "c"]
    assert claim_values({}, "groups") == []


T0 = dt.datetime(2026, 12, 4, 8, 0, 0)


def test_login_time_and_session_age():
    iat = int(T0.replace(tzinfo=dt.UTC).timestamp())
    assert login_time({"iat": iat}) == T0
    assert login_time({"iat": iat, "auth_time": iat - 3600}) == T0 - dt.timedelta(hours=1)  # auth_time first
    assert login_time({}) is None
    assert login_time({"iat": "yesterday"}) is None
    assert not session_expired(T0, T0 + dt.timedelta(hours=12), 12)
    assert session_expired(T0, T0 + dt.timedelta(hours=12, seconds=1), 12)
    assert session_expired(T0, T0 + dt.timedelta(minutes=31), 0.5)
    assert session_expired(None, T0, 12)  # a session whose start is unknown cannot be kept


def _claims(sub="u-1", groups=("factory-finance",), iat=T0, **extra):
    return {"iss": "https://idp.example", "sub": sub, "email": f"{sub}@example.com", "name": "Una User",
            "groups": list(groups), "iat": int(iat.replace(tzinfo=dt.UTC).timestamp()), **extra}


def test_identity():
    identity = company_identity(_claims(sub="Alice", email="Alice@Example.com"))
    assert (identity.name, identity.subject, identity.display_name, identity.login_at) == \
        ("alice@example.com", "https://idp.example Alice", "Una User", T0)
    assert company_identity({"sub": "bob"}).name == "bob"


def _events(store, action):
    return store.rows("SELECT actor, role, action, target, detail FROM audit_event WHERE action = ? OR "
                      "(action = 'access.refused' AND detail LIKE ?) ORDER BY id", [action, f'%{action}%'])


def test_first_sign_in_creates_a_company_user_and_later_ones_update_it(tiny_store):
    store = tiny_store
    actor = record_company_sign_in(store, _claims(), claim="groups", role_map=MAP)
    assert actor == Actor("u-1@example.com", "finance", None, "Una User")
    assert store.one("SELECT role, source, password_hash, subject FROM app_user WHERE name = ?", [actor.name]) == \
        ("finance", "company", None, "https://idp.example u-1")
    # the same sign-in seen again (a reload): nothing written, nothing audited
    revision = store.revision
    assert record_company_sign_in(store, _claims(), claim="groups", role_map=MAP) == actor
    assert store.revision == revision
    # a later sign-in with other groups: the role and unit follow the claim
    later = record_company_sign_in(store, _claims(groups=["retail-leads"], iat=T0 + dt.timedelta(days=1)),
                                   claim="groups", role_map=MAP)
    assert (later.role, later.business_unit) == ("team_lead", "RETAIL")
    events = _events(store, "user.sso_sign_in")
    assert [(e[0], e[1], e[2]) for e in events] == [("u-1@example.com", "finance", "user.sso_sign_in"),
                                                     ("u-1@example.com", "team_lead", "user.sso_sign_in")]
    # local sign-in refuses a company-managed user
    with pytest.raises(AuthenticationError, match="Unknown user name or wrong password"):
        authenticate(store, "u-1@example.com", "")


def test_no_matching_value_is_refused_and_audited(tiny_store):
    with pytest.raises(NoAccessError, match="ask an administrator|Ask an administrator"):
        record_company_sign_in(tiny_store, _claims(groups=["cafeteria"]), claim="groups", role_map=MAP)
    assert tiny_store.scalar("SELECT count(*) FROM app_user WHERE source = 'company'") == 0
    refused = tiny_store.rows("SELECT actor, role, detail FROM audit_event WHERE action = 'access.refused'")
    assert len(refused) == 1 and refused[0][:2] == ("u-1@example.com", "none")
    assert "user.sso_sign_in" in refused[0][2]


def test_a_disabled_company_user_stays_out_and_a_local_name_is_not_taken(tiny_store):
    store = tiny_store
    actor = record_company_sign_in(store, _claims(), claim="groups", role_map=MAP)
    add_user(store, ADMIN, "ada", "admin", "correct-horse-battery")
    set_user_disabled(store, Actor("ada", "admin"), actor.name, True)
    with pytest.raises(AuthenticationError, match="disabled"):
        record_company_sign_in(store, _claims(iat=T0 + dt.timedelta(hours=1)), claim="groups", role_map=MAP)
    add_user(store, ADMIN, "local@example.com", "viewer", "correct-horse-battery")
    with pytest.raises(AuthenticationError, match="already named"):
        record_company_sign_in(store, _claims(sub="local"), claim="groups", role_map=MAP)


def test_a_map_naming_an_unknown_unit_is_a_config_error(tiny_store):
    with pytest.raises(ConfigError, match="no business unit 'NOWHERE'"):
        record_company_sign_in(tiny_store, _claims(groups=["x"]), claim="groups",
                               role_map=parse_role_map('{"x": "team_lead:NOWHERE"}'))


def test_a_sign_out_is_audited_with_its_reason(tiny_store):
    actor = record_company_sign_in(tiny_store, _claims(), claim="groups", role_map=MAP)
    revision = tiny_store.revision
    record_sign_out(tiny_store, actor, reason="session expired")
    assert tiny_store.revision == revision  # nothing a query reads has changed
    assert tiny_store.rows("SELECT actor, action, detail FROM audit_event WHERE action = 'user.sign_out'") == \
        [(actor.name, "user.sign_out", '{"reason": "session expired"}')]
