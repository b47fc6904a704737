"""Users, roles, permissions and sign-in.

Roles (DESIGN.md): ``viewer`` (executive) reads everything; ``finance`` also edits financial
lines and scenarios and exports; ``team_lead`` (bound to one business unit) uploads
workloads, models and usage for that unit, runs the lab and adopts results; ``admin`` may
do everything, including managing users.

Every core function that writes calls ``require`` (through ``Store.write``), so a page that
forgets to hide a button still cannot write. Passwords are stored as salted Argon2id hashes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.company_sign_in import NoAccessError, RoleGrant, claim_values, company_identity, grant_from_claims
from core.config import ConfigError
from core.entities import ROLES, User
from core.errors import AuthenticationError, NotFoundError, PermissionDenied, ValidationError

if TYPE_CHECKING:
    from core.store import Store

# permission -> roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "edit_financials": frozenset({"finance", "admin"}),
    "edit_scenarios": frozenset({"finance", "admin"}),
    "export": frozenset({"finance", "admin"}),
    "import_initiatives": frozenset({"admin"}),
    "import_billing": frozenset({"finance", "admin"}),
    "import_usage": frozenset({"team_lead", "admin"}),
    "import_snapshots": frozenset({"team_lead", "admin"}),
    "upload_workload": frozenset({"team_lead", "admin"}),
    "upload_model": frozenset({"team_lead", "admin"}),
    "run_lab": frozenset({"team_lead", "admin"}),
    "adopt": frozenset({"team_lead", "admin"}),
    "approve_model": frozenset({"team_lead", "admin"}),
    "compute_drift": frozenset({"team_lead", "admin"}),
    "manage_users": frozenset({"admin"}),
    "edit_initiative": frozenset({"team_lead", "admin"}),
    "log_incident": frozenset({"team_lead", "admin"}),
    "edit_business_units": frozenset({"admin"}),
    "edit_prices": frozenset({"finance", "admin"}),
    "edit_hardware_profiles": frozenset({"finance", "admin"}),
    # sending a file to the server at all (ui.server.UploadGuard): every role that holds a
    # permission which comes with a file — an import kind's, a workload's or a model's
    "upload_file": frozenset({"finance", "team_lead", "admin"}),
    # a user's own sign-in record: the company-managed user row written from the identity
    # provider's claims at a company sign-in, and the audit events of signing in and out
    "sign_in": frozenset(ROLES),
}

# Permissions a team lead holds only for their own business unit.
BUSINESS_UNIT_SCOPED = frozenset(
    {"import_usage", "import_snapshots", "upload_workload", "upload_model", "run_lab", "adopt",
     "approve_model", "compute_drift", "edit_initiative", "log_incident"}
)

ROLE_LABELS = {
    "viewer": "Executive (viewer)",
    "finance": "Finance",
    "team_lead": "Team lead",
    "admin": "Administrator",
}

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12

# Sign-in throttling (``authenticate``): failures are audited (``sign_in.failed``) and counted per
# user name and per client over a window, since that name's last success. After FREE_FAILURES a
# growing delay (1 s, 2 s, 4 s, … doubling per failure) must pass before the next try; at
# LOCK_FAILURES the name is locked until the window has passed since its last failure. A client
# (one address trying many names: password spraying) gets twice the allowance.
SIGN_IN_WINDOW = dt.timedelta(minutes=15)
FREE_FAILURES = 3
LOCK_FAILURES = 10
CLIENT_FACTOR = 2


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the local administrator of the CLI."""

    name: str
    role: str
    business_unit: str | None = None
    display_name: str = ""

    @classmethod
    def local_admin(cls) -> "Actor":
        """The CLI acts as this administrator when no ``--as`` user is given."""
        return cls(name="local-admin (cli)", role="admin", display_name="Local administrator")

    def can(self, permission: str, business_unit: str | None = None) -> bool:
        try:
            require(self, permission, business_unit=business_unit)
        except PermissionDenied:
            return False
        return True


def require(actor: Actor | None, permission: str, business_unit: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` holds ``permission``.

    For business-unit scoped permissions a team lead must belong to ``business_unit``;
    a scoped permission asked without a business unit is refused to team leads.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")  # a programming error
    if actor is None:
        raise PermissionDenied(f"Sign in to {_describe(permission)}.")
    if actor.role not in PERMISSIONS[permission]:
        allowed = ", ".join(ROLE_LABELS[r] for r in ROLES if r in PERMISSIONS[permission])
        raise PermissionDenied(
            f"{actor.name} ({ROLE_LABELS.get(actor.role, actor.role)}) may not {_describe(permission)}; "
            f"this needs the role: {allowed}."
        )
    if actor.role == "team_lead" and permission in BUSINESS_UNIT_SCOPED:
        if business_unit is None or business_unit != actor.business_unit:
            raise PermissionDenied(
                f"{actor.name} leads business unit {actor.business_unit or '(none)'} and may only "
                f"{_describe(permission)} for it, not for {business_unit or 'an unspecified unit'}."
            )


def _describe(permission: str) -> str:
    return permission.replace("_", " ")


# -- users -------------------------------------------------------------------------------
def hash_password(password: str) -> str:
    """A salted Argon2id hash of ``password``: at least ``MIN_PASSWORD_LENGTH`` characters and
    not one of the 30,000 most common passwords (zxcvbn's list, compared without letter case)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Password too short: use at least {MIN_PASSWORD_LENGTH} characters.")
    if password.lower() in _common_passwords():
        raise ValidationError("Password is one of the most common passwords (it would be guessed first): "
                              "choose another, e.g. three unrelated words.")
    return _hasher.hash(password)


def add_user(store: Store, actor: Actor, name: str, role: str, password: str, *,
             business_unit: str | None = None, display_name: str = "") -> User:
    """Create a user. Team leads must name the business unit they lead."""
    if role not in ROLES:
        raise ValidationError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    if role == "team_lead" and not business_unit:
        raise ValidationError(
            "A team lead needs a business unit (--business-unit on the command line): "
            "the unit whose data they may upload."
        )
    try:
        user = User.model_validate(
            {"name": name, "role": role, "business_unit": business_unit, "display_name": display_name}
        )
    except Exception as error:
        raise ValidationError(
            f"User name {name!r} is not valid: use 2–64 lower-case letters, digits, '.', '_', '-' or '@'."
        ) from error
    if business_unit is not None and store.scalar(
        "SELECT count(*) FROM business_unit WHERE code = ?", [business_unit]
    ) == 0:
        known = ", ".join(r[0] for r in store.rows("SELECT code FROM business_unit ORDER BY code"))
        raise ValidationError(f"Unknown business unit {business_unit!r}; known units: {known or '(none yet)'}.")
    if store.scalar("SELECT count(*) FROM app_user WHERE name = ?", [name]):
        raise ValidationError(f"A user named {name!r} already exists; choose another name.")
    password_hash = hash_password(password)
    with store.write(actor, "manage_users", action="user.add", target=name, detail={"role": role}) as cur:
        cur.execute(
            "INSERT INTO app_user (name, role, business_unit, password_hash, display_name) VALUES (?, ?, ?, ?, ?)",
            [user.name, user.role, user.business_unit, password_hash, user.display_name],
        )
    return user


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def authenticate(store: Store, name: str, password: str, *, client: str = "",
                 now: dt.datetime | None = None) -> Actor:
    """Return the actor for a correct user name and password, else ``AuthenticationError``.

    The message never says which of the two was wrong. Throttled (see ``SIGN_IN_WINDOW``): a name
    or ``client`` (the browser's address) with too many recent failures must wait, or is locked,
    before the password is even checked; failures, throttled tries and sign-ins are audited.
    A company-managed user (created by a company sign-in) has no password here and is refused
    like an unknown name. ``now`` (UTC, naive) is for tests.
    """
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    name = (name or "").strip().lower()[:64]
    wait_s = sign_in_wait(store, name, client, now)
    if wait_s > 0:
        store.record_unsigned(action="sign_in.throttled", target=name, ts=now,
                              detail={"client": client, "wait_s": round(wait_s)})
        raise AuthenticationError(_wait_message(wait_s, now))
    row = store.one(
        "SELECT name, role, business_unit, password_hash, display_name, disabled FROM app_user"
        " WHERE name = ? AND coalesce(source, 'local') = 'local' AND password_hash IS NOT NULL",
        [name],
    )
    if row is None:  # unknown, or company-managed (no password here: it signs in with the company account)
        _hasher.hash("timing-equaliser")  # same cost as a real check: no user enumeration
        _failed(store, name, client, now, "unknown user")
        raise AuthenticationError("Unknown user name or wrong password.")
    try:
        _hasher.verify(row[3], password)
    except (VerificationError, InvalidHashError):
        _failed(store, name, client, now, "wrong password")
        raise AuthenticationError("Unknown user name or wrong password.") from None
    if row[5]:  # said only after the right password: it tells nobody else that the name exists
        _failed(store, name, client, now, "disabled")
        raise AuthenticationError("This account is disabled; ask an administrator to enable it.")
    store.record_unsigned(action="sign_in", target=name, ts=now, detail={"client": client})
    return Actor(name=row[0], role=row[1], business_unit=row[2], display_name=row[4] or row[0])


def _failed(store: Store, name: str, client: str, now: dt.datetime, reason: str) -> None:
    store.record_unsigned(action="sign_in.failed", target=name, ts=now, detail={"client": client, "reason": reason})


def sign_in_wait(store: Store, name: str, client: str, now: dt.datetime) -> float:
    """Seconds before ``name`` (from ``client``) may try to sign in again; 0 = now.

    Failures count within ``SIGN_IN_WINDOW`` and, for a name, since its last successful sign-in."""
    since = now - SIGN_IN_WINDOW
    last_success = store.scalar("SELECT max(ts) FROM audit_event WHERE action = 'sign_in' AND target = ?", [name])
    by_name = store.one(
        "SELECT count(*), max(ts) FROM audit_event WHERE action = 'sign_in.failed' AND target = ? AND ts > ?",
        [name, max(since, last_success) if last_success else since])
    waits = [_wait_after(by_name[0], by_name[1], now, 1)]
    if client:
        by_client = store.one(
            "SELECT count(*), max(ts) FROM audit_event WHERE action = 'sign_in.failed' AND ts > ?"
            " AND json_extract_string(detail, '$.client') = ?", [since, client])
        waits.append(_wait_after(by_client[0], by_client[1], now, CLIENT_FACTOR))
    return max(waits)


def _wait_after(failures: int, last: dt.datetime | None, now: dt.datetime, factor: int) -> float:
    if not failures or last is None:
        return 0.0
    if failures >= LOCK_FAILURES * factor:
        return max(0.0, (last + SIGN_IN_WINDOW - now).total_seconds())
    if failures >= FREE_FAILURES * factor:
        delay = 2.0 ** (failures - FREE_FAILURES * factor)
        return max(0.0, (last + dt.timedelta(seconds=delay) - now).total_seconds())
    return 0.0


def _wait_message(wait_s: float, now: dt.datetime) -> str:
    if wait_s > 90:  # only a lock is this long (the growing delay tops out at 64 s)
        until = (now + dt.timedelta(seconds=wait_s)).strftime("%H:%M")
        return (f"Too many failed sign-ins: this account is locked until {until} UTC. Try again then, "
                "or ask an administrator to reset the password.")
    return f"Too many failed sign-ins: wait {max(1, round(wait_s))} s before trying again."


def get_actor(store: Store, name: str) -> Actor:
    """The actor of user ``name`` (no password check: the CLI's ``--as``); ``NotFoundError`` if none."""
    row = store.one("SELECT name, role, business_unit, display_name FROM app_user WHERE name = ?", [name])
    if row is None:
        raise NotFoundError(f"No user named {name!r}; list users with `factory users list`.")
    return Actor(name=row[0], role=row[1], business_unit=row[2], display_name=row[3] or row[0])


def active_actor(store: Store, name: str) -> Actor | None:
    """The actor of user ``name`` as the store holds it now, or ``None`` if the user is disabled or gone.

    A signed-in session calls it on every run: a disabled user's session ends at its next
    interaction, and a changed role or business unit takes effect at it (one lookup by key)."""
    row = store.one("SELECT name, role, business_unit, display_name FROM app_user WHERE name = ? AND NOT disabled",
                    [name])
    if row is None:
        return None
    return Actor(name=row[0], role=row[1], business_unit=row[2], display_name=row[3] or row[0])


def list_users(store: Store) -> list[dict]:
    """Every user as a dict of name, role, business_unit, display_name, disabled, created_at (by name)."""
    keys = ("name", "role", "business_unit", "display_name", "disabled", "created_at")
    rows = store.rows(f"SELECT {', '.join(keys)} FROM app_user ORDER BY name")
    return [dict(zip(keys, row)) for row in rows]


def is_active_user(store: Store, name: str) -> bool:
    """Whether ``name`` exists and is not disabled."""
    return bool(store.scalar("SELECT count(*) FROM app_user WHERE name = ? AND NOT disabled", [name]))


def _existing_user(store: Store, name: str) -> tuple[str, str | None, bool]:
    """(role, business_unit, disabled) of user ``name``; ``NotFoundError`` naming how to list users."""
    row = store.one("SELECT role, business_unit, disabled FROM app_user WHERE name = ?", [name])
    if row is None:
        raise NotFoundError(f"No user named {name!r}; list users with `factory users list`.")
    return row[0], row[1], bool(row[2])


def _check_an_admin_remains(store: Store, name: str) -> None:
    """Refuse to disable or demote the last enabled admin: nobody could manage users after it."""
    others = store.scalar("SELECT count(*) FROM app_user WHERE role = 'admin' AND NOT disabled AND name <> ?", [name])
    if not others:
        raise ValidationError(f"{name} is the last enabled administrator; make another user an admin first.")


def set_user_disabled(store: Store, actor: Actor, name: str, disabled: bool) -> None:
    """Disable (``disabled=True``) or enable a user; a disabled user cannot sign in, and a session
    of theirs ends at its next interaction (``active_actor``). Permission ``manage_users``."""
    store.require(actor, "manage_users", action="user.disable" if disabled else "user.enable", target=name)
    role, _, was_disabled = _existing_user(store, name)
    if disabled and role == "admin":
        _check_an_admin_remains(store, name)
    if was_disabled == disabled:
        return
    with store.write(actor, "manage_users", action="user.disable" if disabled else "user.enable", target=name) as cur:
        cur.execute("UPDATE app_user SET disabled = ? WHERE name = ?", [disabled, name])


def set_user_role(store: Store, actor: Actor, name: str, role: str, business_unit: str | None = None) -> None:
    """Give a user another role (a team lead needs the business unit they lead). ``manage_users``."""
    store.require(actor, "manage_users", action="user.set_role", target=name)
    old_role, old_unit, _ = _existing_user(store, name)
    if role not in ROLES:
        raise ValidationError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    if role == "team_lead" and not business_unit:
        raise ValidationError("A team lead needs a business unit (--business-unit): the unit whose data they may upload.")
    if role != "team_lead":
        business_unit = None
    if business_unit is not None and not store.scalar("SELECT count(*) FROM business_unit WHERE code = ?",
                                                      [business_unit]):
        known = ", ".join(r[0] for r in store.rows("SELECT code FROM business_unit ORDER BY code"))
        raise ValidationError(f"Unknown business unit {business_unit!r}; known units: {known or '(none yet)'}.")
    if old_role == "admin" and role != "admin":
        _check_an_admin_remains(store, name)
    with store.write(actor, "manage_users", action="user.set_role", target=name,
                     detail={"from": [old_role, old_unit], "to": [role, business_unit]}) as cur:
        cur.execute("UPDATE app_user SET role = ?, business_unit = ? WHERE name = ?", [role, business_unit, name])


def reset_password(store: Store, actor: Actor, name: str, password: str) -> None:
    """Set a new password for ``name`` (at least ``MIN_PASSWORD_LENGTH`` characters). ``manage_users``."""
    store.require(actor, "manage_users", action="user.reset_password", target=name)
    _existing_user(store, name)
    password_hash = hash_password(password)
    with store.write(actor, "manage_users", action="user.reset_password", target=name) as cur:
        cur.execute("UPDATE app_user SET password_hash = ? WHERE name = ?", [password_hash, name])


# -- company sign-in (OpenID Connect) ------------------------------------------------------
def record_company_sign_in(store: Store, claims: Mapping[str, object], *, claim: str,
                           role_map: Mapping[str, RoleGrant]) -> Actor:
    """The actor of a company sign-in: the user row of the provider's subject, created at the
    first sign-in (``source = 'company'``, no password) and updated from the claim at a later
    one, with a ``user.sso_sign_in`` audit event each time the provider signed the user in
    again or the claim changed their role (a reload of the page with the same sign-in writes
    nothing).

    Refused: ``NoAccessError`` when no claim value is mapped to a role (audited as
    ``access.refused``), ``AuthenticationError`` for a disabled user or a name a local account
    holds, ``ConfigError`` when the map names a business unit the store does not have."""
    identity = company_identity(claims)
    grant = grant_from_claims(claims, claim, role_map)
    if grant is None:
        values = claim_values(claims, claim)
        try:
            store.require(Actor(identity.name, "none", display_name=identity.display_name), "sign_in",
                          action="user.sso_sign_in", target=identity.name)
        except PermissionDenied:  # always: "none" holds no permission; the refusal is audited
            pass
        raise NoAccessError(
            f"You signed in as {identity.display_name}, but none of your {claim} "
            f"({', '.join(values[:10]) or 'none given'}) gives access to Factory Floor. Ask an administrator "
            f"to map one of them to a role (FACTORY_OIDC_ROLE_MAP).")
    unit = grant.business_unit
    if unit is not None:
        unit = store.scalar("SELECT code FROM business_unit WHERE lower(code) = lower(?)", [unit])
        if unit is None:
            known = ", ".join(r[0] for r in store.rows("SELECT code FROM business_unit ORDER BY code"))
            raise ConfigError(f"FACTORY_OIDC_ROLE_MAP gives team_lead:{grant.business_unit}, but there is no "
                              f"business unit {grant.business_unit!r}; known units: {known or '(none yet)'}. "
                              "Ask an administrator to fix the map.")
    row = store.one("SELECT name, role, business_unit, display_name, disabled, last_sign_in_at FROM app_user"
                    " WHERE subject = ? AND source = 'company'", [identity.subject])
    name = identity.name if row is None else row[0]
    actor = Actor(name=name, role=grant.role, business_unit=unit, display_name=identity.display_name)
    if row is None:
        if store.scalar("SELECT count(*) FROM app_user WHERE name = ?", [name]):
            raise AuthenticationError(f"Another account is already named {name!r} in Factory Floor, so your company "
                                      "account cannot take the name; ask an administrator.")
        with store.write(actor, "sign_in", action="user.sso_sign_in", target=name,
                         detail={"created": True, "role": grant.role, "business_unit": unit,
                                 "subject": identity.subject}) as cur:
            cur.execute("INSERT INTO app_user (name, role, business_unit, password_hash, display_name, source,"
                        " subject, last_sign_in_at) VALUES (?, ?, ?, NULL, ?, 'company', ?, ?)",
                        [name, grant.role, unit, identity.display_name, identity.subject, identity.login_at])
        return actor
    if row[4]:
        raise AuthenticationError("This account is disabled; ask an administrator to enable it.")
    if (row[1], row[2], row[3], row[5]) == (grant.role, unit, identity.display_name, identity.login_at):
        return actor  # the same sign-in seen again (a reload, a new tab): nothing to record
    with store.write(actor, "sign_in", action="user.sso_sign_in", target=name,
                     detail={"from": [row[1], row[2]], "to": [grant.role, unit]}) as cur:
        cur.execute("UPDATE app_user SET role = ?, business_unit = ?, display_name = ?, last_sign_in_at = ?"
                    " WHERE name = ?", [grant.role, unit, identity.display_name, identity.login_at, name])
    return actor


def record_sign_out(store: Store, actor: Actor, *, reason: str = "signed out") -> None:
    """Audit a sign-out (``user.sign_out``): the user's own, or the session ending (``reason``)."""
    store.record(actor, "sign_in", action="user.sign_out", target=actor.name, detail={"reason": reason})
