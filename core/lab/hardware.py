"""The hardware profiles as finance and administrators keep them: where a model could run and
what that machine costs, edited as a whole table like the price book.

A profile prices the lab's candidates (``core.rightsize.pricing.HardwareProfile``: price per
hour, cores, utilisation, serving overheads) and names the serving place of usage rows
(``usage_event.hardware``). Saving checks every cell and the engine's own rules, refuses to
remove a profile that usage rows run on (their unit costs would lose their place), and writes
in one audited transaction. Lab runs already stored keep the prices they were measured with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import ValidationError
from core.rightsize.pricing import DEFAULT_PROFILES, LOCATIONS, HardwareProfile
from core.store.table_edits import EditableColumn, TableChanges, plan_edit, refuse_if_changed

if TYPE_CHECKING:
    from core.auth import Actor
    from core.store import Store

KEY = ("name",)
COLUMNS = (
    EditableColumn("name", "text", required=True, max_length=60),
    EditableColumn("location", "choice", required=True, choices=LOCATIONS),
    EditableColumn("price_per_hour_usd", "decimal", required=True, scale=4, maximum=10_000),
    EditableColumn("cores", "int", required=True, minimum=1, maximum=4096),
    EditableColumn("accelerator", "text", max_length=60),
    EditableColumn("watts", "float", required=True, maximum=1_000_000),
    EditableColumn("target_utilisation", "float", required=True, minimum=0.01, maximum=1),
    EditableColumn("overhead_per_request_usd", "decimal", required=True, scale=9, maximum=100),
    EditableColumn("overhead_per_month_usd", "decimal", required=True, scale=2, maximum=10_000_000),
    EditableColumn("description", "text", max_length=300),
)
WHAT = "The hardware profiles"
_NAMES = [column.name for column in COLUMNS]


def profile_key(row: dict) -> str:
    return str(row["name"])


def list_profiles(store: Store) -> list[dict]:
    """Every profile of the store (the editable columns), by name; empty for a new store."""
    with store.cursor() as cur:
        return _current(cur)


def standard_profiles() -> list[dict]:
    """The engine's standard profiles as editable rows: what a store without its own starts from."""
    return [{name: getattr(profile, name, None) if name != "description" else "" for name in _NAMES}
            for profile in DEFAULT_PROFILES]


def _current(cur) -> list[dict]:
    rows = cur.execute(f"SELECT {', '.join(_NAMES)} FROM hardware_profile ORDER BY name").fetchall()
    return [{name: ("" if name == "description" and value is None else value) for name, value in zip(_NAMES, row)}
            for row in rows]


def _check_engine_rules(rows: list[dict]) -> None:
    """The engine's own checks (``HardwareProfile.__post_init__``), all at once."""
    problems = []
    for row in rows:
        try:
            HardwareProfile(name=row["name"], location=row["location"], price_per_hour_usd=float(row["price_per_hour_usd"]),
                            cores=row["cores"], watts=row["watts"], target_utilisation=row["target_utilisation"],
                            accelerator=row["accelerator"], overhead_per_request_usd=float(row["overhead_per_request_usd"]),
                            overhead_per_month_usd=float(row["overhead_per_month_usd"]))
        except ValidationError as error:
            problems.append(str(error).rstrip("."))
    if problems:
        raise ValidationError(f"{WHAT} were not saved: {'; '.join(problems)}. Fix the cells and save again; "
                              "nothing was changed.")


def save_profiles(store: Store, actor: Actor, rows: list[dict], *, shown: list[dict]) -> TableChanges:
    """Make the store's profiles exactly ``rows`` (a row left out is removed); ``shown`` is the
    table the editor was opened on (refused if the store changed since). Finance and
    administrators (``edit_hardware_profiles``); one audited transaction. Returns the changes."""
    new, shown_clean, changes = plan_edit(COLUMNS, rows, shown, KEY, WHAT, profile_key)
    _check_engine_rules(new)
    if not changes:
        return changes
    with store.write(actor, "edit_hardware_profiles", action="hardware_profiles.edit", target="hardware_profile",
                     detail=changes.audit_detail(profile_key)) as cur:
        refuse_if_changed(_current(cur), shown_clean, KEY, WHAT, profile_key)
        _refuse_removing_used(cur, changes.removed)
        for row in changes.removed:
            cur.execute("DELETE FROM hardware_profile WHERE name = ?", [row["name"]])
        for row in new:
            values = [row[name] if name != "description" else (row[name] or "") for name in _NAMES]
            if row["name"] in changes.changed:
                assignments = ", ".join(f"{name} = ?" for name in _NAMES[1:])
                cur.execute(f"UPDATE hardware_profile SET {assignments} WHERE name = ?", [*values[1:], row["name"]])
            elif any(row["name"] == added["name"] for added in changes.added):
                cur.execute(f"INSERT INTO hardware_profile ({', '.join(_NAMES)}) VALUES ({', '.join('?' * len(_NAMES))})",
                            values)
    return changes


def _refuse_removing_used(cur, removed: list[dict]) -> None:
    if not removed:
        return
    names = [row["name"] for row in removed]
    # usage_monthly: the rollup (thousands of rows), never the usage facts
    used = cur.execute("SELECT hardware, sum(events) FROM usage_monthly WHERE hardware IN"
                       f" ({', '.join('?' * len(names))}) GROUP BY hardware ORDER BY hardware", names).fetchall()
    if used:
        listed = "; ".join(f"{name}: {int(events):,} usage events run on it" for name, events in used)
        raise ValidationError(f"{WHAT} were not saved: a profile that usage runs on cannot be removed ({listed}). "
                              "Keep it and change its price instead; nothing was changed.")
