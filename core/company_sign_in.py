"""Company sign-in (OpenID Connect): which role the identity provider's claims give, and for how long.

Pure functions of the claims and the settings; the user row is written by
``core.auth.record_company_sign_in`` and the Streamlit side (``st.login``, ``st.user``) lives in
``ui/auth.py``.

* ``parse_role_map`` reads ``FACTORY_OIDC_ROLE_MAP``: a JSON object from a claim value (a group
  name, say) to ``viewer``, ``finance``, ``admin`` or ``team_lead:BU``. A role it does not know
  is refused with the valid choices, so a typo fails the start, not somebody's sign-in.
* ``grant_from_claims`` picks the role of the user's claim values (``FACTORY_OIDC_ROLE_CLAIM``,
  ``groups`` by default): values match the map's keys whatever their letter case; when several
  match, the most powerful role wins (admin > finance > team_lead > viewer); two team-lead
  grants for different units give the unit first in alphabetical order. No match: ``None``
  (no access).
* ``login_time`` and ``session_expired``: a company session lasts ``FACTORY_SESSION_MAX_HOURS``
  from the provider's sign-in, whatever Streamlit's 30-day cookie says.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from core.config import ConfigError
from core.errors import CoreError, ValidationError

# most powerful first: with several matching claim values, the first of these wins
ROLE_POWER = ("admin", "finance", "team_lead", "viewer")
ROLE_CHOICES = "viewer, finance, admin or team_lead:BU (BU: a business unit code)"


class NoAccessError(CoreError):
    """The provider signed the user in, but none of their claim values is mapped to a role."""


@dataclass(frozen=True)
class RoleGrant:
    """What a claim value gives: a role, and the business unit of a team lead."""

    role: str
    business_unit: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLE_POWER:
            raise ValueError(f"unknown role {self.role!r}")
        if (self.role == "team_lead") != (self.business_unit is not None):
            raise ValueError("a team lead, and only a team lead, has a business unit")


def parse_grant(text: str, *, key: str = "") -> RoleGrant:
    """``viewer`` / ``finance`` / ``admin`` / ``team_lead:BU`` (role case-insensitive) as a grant."""
    where = f"FACTORY_OIDC_ROLE_MAP[{key!r}]" if key else "FACTORY_OIDC_ROLE_MAP"
    if not isinstance(text, str):
        raise ConfigError(f"{where}: expected a role as text ({ROLE_CHOICES}), got {text!r}.")
    role, colon, unit = text.strip().partition(":")
    role = role.strip().lower()
    unit = unit.strip()
    if role == "team_lead":
        if not unit:
            raise ConfigError(f"{where} = {text!r}: a team lead needs the business unit they lead, "
                              "as team_lead:BU (for example team_lead:RETAIL).")
        return RoleGrant("team_lead", unit)
    if role in ROLE_POWER and not colon:
        return RoleGrant(role)
    raise ConfigError(f"{where} = {text!r} is not a role: use {ROLE_CHOICES}.")


def parse_role_map(text: str) -> Mapping[str, RoleGrant]:
    """``FACTORY_OIDC_ROLE_MAP`` (a JSON object, claim value → role) as claim value (case-folded) → grant.

    ``ConfigError`` names the entry at fault: not JSON, not an object, an unknown role, a team
    lead without a unit, or two keys differing only in letter case that give different roles."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"FACTORY_OIDC_ROLE_MAP is not JSON ({error.msg} at character {error.pos}): "
                          'expected an object such as {"factory-finance": "finance"}.') from None
    if not isinstance(raw, dict):
        raise ConfigError("FACTORY_OIDC_ROLE_MAP must be a JSON object from claim value to role, "
                          f'such as {{"factory-finance": "finance"}}; got {type(raw).__name__}.')
    grants: dict[str, RoleGrant] = {}
    for key, value in raw.items():
        folded = key.strip().casefold()
        if not folded:
            raise ConfigError("FACTORY_OIDC_ROLE_MAP has an empty claim value as a key; remove it.")
        grant = parse_grant(value, key=key)
        if folded in grants and grants[folded] != grant:
            raise ConfigError(f"FACTORY_OIDC_ROLE_MAP maps {key!r} twice (keys match whatever their letter "
                              "case) to different roles; keep one.")
        grants[folded] = grant
    return MappingProxyType(grants)


def claim_values(claims: Mapping[str, object], claim: str) -> list[str]:
    """The values of ``claim`` as a list of text: a list of strings, or one string (several
    separated by commas or spaces); absent or of another type: no values."""
    value = claims.get(claim)
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, str)]
    return []


def grant_from_claims(claims: Mapping[str, object], claim: str, role_map: Mapping[str, RoleGrant]) -> RoleGrant | None:
    """The most powerful grant among the user's ``claim`` values, or ``None`` when none is mapped."""
    matched = {role_map[value.strip().casefold()] for value in claim_values(claims, claim)
               if value.strip().casefold() in role_map}
    if not matched:
        return None
    return min(matched, key=lambda grant: (ROLE_POWER.index(grant.role), grant.business_unit or ""))


def login_time(claims: Mapping[str, object]) -> dt.datetime | None:
    """When the provider signed the user in (UTC, naive): the ID token's ``auth_time``, else its
    ``iat``; ``None`` when it has neither (such a session cannot be checked, and is refused)."""
    for key in ("auth_time", "iat"):
        value = claims.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return dt.datetime.fromtimestamp(value, dt.UTC).replace(tzinfo=None)
    return None


def session_expired(login_at: dt.datetime | None, now: dt.datetime, max_hours: float) -> bool:
    """Whether a company session that began at ``login_at`` (UTC, naive) is over at ``now``."""
    if login_at is None:
        return True
    return now - login_at > dt.timedelta(hours=max_hours)


USER_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.@-]{1,63}$")  # core.entities.User.name


@dataclass(frozen=True)
class CompanyIdentity:
    """Who the provider says signed in: ``subject`` (``iss`` and ``sub``, stable for one person),
    the user ``name`` their row gets at the first sign-in (the e-mail in lower case, else ``sub``),
    the name to show, and when the provider signed them in."""

    subject: str
    name: str
    display_name: str
    login_at: dt.datetime | None


def company_identity(claims: Mapping[str, object]) -> CompanyIdentity:
    """The identity in the ID token's claims; ``ValidationError`` when it has no usable subject."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip():
        raise ValidationError("The company sign-in returned no subject (the ID token's sub claim); "
                              "ask an administrator to check the identity provider's configuration.")
    issuer = claims.get("iss") if isinstance(claims.get("iss"), str) else ""
    # an address the provider has not verified is anybody's claim: it never names the user
    email = claims.get("email") if claims.get("email_verified") is not False else None
    candidates = [email, claims.get("preferred_username"), sub]
    name = next((text.strip().lower() for text in candidates
                 if isinstance(text, str) and USER_NAME_PATTERN.match(text.strip().lower())), None)
    if name is None:
        raise ValidationError("The company sign-in gave no usable user name: the e-mail, preferred_username or "
                              "sub claim must be 2–64 letters, digits, '.', '_', '-' or '@'. Ask an administrator.")
    display = next((text.strip() for text in (claims.get("name"), claims.get("email"))
                    if isinstance(text, str) and text.strip()), name)
    return CompanyIdentity(subject=f"{issuer} {sub}".strip(), name=name, display_name=display[:200],
                           login_at=login_time(claims))
