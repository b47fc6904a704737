"""Business units: a code (from the initiatives file), a name and a head, the last two edited by admins.

The initiatives import creates a unit the first time a row names it (its name from
``business_unit_name``, else the code) and never renames it afterwards, so a name or head an
admin sets here stays until an admin changes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.auth import Actor
from core.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from core.store import Store

NAME_MAX_LENGTH = 120
HEAD_MAX_LENGTH = 120


def list_business_units(store: Store) -> list[dict]:
    """Every business unit as a dict of code, name, head (``None`` when nobody is named), by code."""
    keys = ("code", "name", "head")
    return [dict(zip(keys, row)) for row in store.rows("SELECT code, name, head FROM business_unit ORDER BY code")]


def update_business_unit(store: Store, actor: Actor, code: str, *, name: str, head: str | None) -> bool:
    """Set the name and head of business unit ``code``; returns whether anything changed.

    ``name``: 1–120 characters; ``head``: at most 120 characters, blank for nobody. Surrounding
    spaces are dropped. Permission ``edit_business_units``; the audit event holds the old and
    the new values. An unchanged unit writes nothing.
    """
    store.require(actor, "edit_business_units", action="business_unit.update", target=code)
    row = store.one("SELECT name, head FROM business_unit WHERE code = ?", [code])
    if row is None:
        known = ", ".join(r[0] for r in store.rows("SELECT code FROM business_unit ORDER BY code"))
        raise NotFoundError(f"No business unit with code {code!r}; known units: {known or '(none yet)'}.")
    name = (name or "").strip()
    head = (head or "").strip() or None
    if not name:
        raise ValidationError(f"Business unit {code}: the name is empty; give it a name of 1–{NAME_MAX_LENGTH} "
                              f"characters.")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"Business unit {code}: the name has {len(name)} characters; shorten it to at most "
                              f"{NAME_MAX_LENGTH}.")
    if head is not None and len(head) > HEAD_MAX_LENGTH:
        raise ValidationError(f"Business unit {code}: the head has {len(head)} characters; shorten it to at most "
                              f"{HEAD_MAX_LENGTH}.")
    old = {"name": row[0], "head": row[1]}
    new = {"name": name, "head": head}
    if old == new:
        return False
    with store.write(actor, "edit_business_units", action="business_unit.update", target=code,
                     detail={"from": old, "to": new}) as cur:
        cur.execute("UPDATE business_unit SET name = ?, head = ? WHERE code = ?", [name, head, code])
    return True
