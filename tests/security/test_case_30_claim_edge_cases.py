"""Case 30 — claim edge cases of the company sign-in, through ``record_company_sign_in`` on a
real store: a missing or empty groups claim, a claim of another type, Entra's groups overage
(``_claim_names`` instead of ``groups``), values in other letter cases, an unknown role in the
map, an unverified e-mail, a session past its maximum age while the cookie is still valid, and
a role the provider revoked. Default deny: no mapped value → no access, audited, no user row.
(The role map's own rules are unit-tested in tests/unit/test_company_roles.py; the browser
round trip through a real provider is tests/browser/test_company_sign_in.py.)"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.auth import record_company_sign_in
from core.company_sign_in import NoAccessError, company_identity, login_time, parse_role_map, session_expired
from core.config import ConfigError

MAP = parse_role_map(json.dumps({"factory-finance": "finance", "retail-leads": "team_lead:RETAIL"}))
T0 = dt.datetime(2026, 12, 4, 8, 0, 0)


def _claims(groups=("factory-finance",), **extra):
    claims = {"iss": "https://idp.example", "sub": "u-7", "email": "una@example.com", "email_verified": True,
              "name": "Una User", "iat": int(T0.replace(tzinfo=dt.UTC).timestamp()), **extra}
    if groups is not None:
        claims["groups"] = groups
    return claims


def _sign_in(store, claims):
    return record_company_sign_in(store, claims, claim="groups", role_map=MAP)


@pytest.mark.parametrize("claims", [
    _claims(groups=None),                                             # no groups claim at all
    _claims(groups=[]),                                               # an empty one
    _claims(groups=""),
    _claims(groups=42),                                               # of another type
    _claims(groups=None, _claim_names={"groups": "src1"},             # Entra ID's groups overage
            _claim_sources={"src1": {"endpoint": "https://graph.example/getMemberObjects"}}),
    _claims(groups=["factory-admins", "Finance"]),                     # values the map does not have
])
def test_no_mapped_value_means_no_access_audited_and_no_user_row(empty_store, claims):
    users = empty_store.scalar("SELECT count(*) FROM app_user")
    with pytest.raises(NoAccessError, match="gives access to Factory Floor. Ask an administrator"):
        _sign_in(empty_store, claims)
    assert empty_store.scalar("SELECT count(*) FROM app_user") == users
    assert empty_store.one("SELECT action, target FROM audit_event ORDER BY id DESC LIMIT 1") == \
        ("access.refused", "una@example.com")


def test_values_match_whatever_their_letter_case(empty_store):
    assert _sign_in(empty_store, _claims(groups=["FACTORY-Finance"])).role == "finance"


def test_an_unknown_role_in_the_map_stops_with_the_entry_named():
    with pytest.raises(ConfigError, match="superuser"):
        parse_role_map(json.dumps({"factory-admins": "superuser"}))


def test_an_unverified_email_never_names_the_user():
    assert company_identity(_claims(email_verified=False)).name == "u-7"
    assert company_identity(_claims(email_verified=False, preferred_username="una.user")).name == "una.user"
    assert company_identity(_claims()).name == "una@example.com"


def test_a_session_past_its_maximum_age_is_over_whatever_the_cookie_says():
    signed_in = login_time(_claims())
    assert signed_in == T0
    assert not session_expired(signed_in, T0 + dt.timedelta(hours=11, minutes=59), 12)
    assert session_expired(signed_in, T0 + dt.timedelta(hours=12, minutes=1), 12)
    assert session_expired(login_time(_claims(iat="yesterday")), T0, 12)  # no usable time: refused


def test_a_role_the_provider_changed_or_revoked_takes_effect_at_the_next_sign_in(tiny_store):
    assert _sign_in(tiny_store, _claims(groups=["factory-finance"])).role == "finance"
    demoted = _sign_in(tiny_store, _claims(groups=["retail-leads"]))
    assert (demoted.role, demoted.business_unit) == ("team_lead", "RETAIL")
    assert tiny_store.one("SELECT role, business_unit FROM app_user WHERE name = 'una@example.com'") == \
        ("team_lead", "RETAIL")
    with pytest.raises(NoAccessError):  # revoked: no mapped group any more
        _sign_in(tiny_store, _claims(groups=["someone-else"]))
