"""Keeping an initiative current from the app: edits with the production gate, dated KPI
readings, and the guardrail incident log.

Every change is one ``Store.write``: the role is checked here (an administrator, or the team
lead of the initiative's business unit), the audit event lists each field as ``old → new``,
and the rows change in one transaction or not at all.

The production gate (the same rule the initiatives import applies, plus named owners): moving
an initiative from idea or pilot into production or scaled needs a KPI with a baseline and a
target and both owners named. An administrator may move it anyway with a written reason
(``override_reason``, at least ``MIN_OVERRIDE_REASON`` characters), kept in the audit event.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.entities import GUARDRAILS, RISK_TIERS, STAGES
from core.errors import NotFoundError, ValidationError
from core.portfolio.governance import UNASSIGNED

if TYPE_CHECKING:
    from core.auth import Actor
    from core.store import Store

LIVE_STAGES = ("production", "scaled")
#: the fields the Initiative page's edit form changes (``code`` is the key, never edited)
EDITABLE = ("stage", "kpi_current", "bu_owner", "platform_owner", "guardrails", "risk_tier", "description")
OWNER_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 2000
MIN_OVERRIDE_REASON = 15
SEVERITIES = ("low", "medium", "high", "critical")
INCIDENT_STATUSES = ("open", "closed")


@dataclass(frozen=True)
class InitiativeEdit:
    """What an edit changed: ``changes`` maps each changed field to ``(old, new)``."""

    code: str
    changes: dict[str, tuple[object, object]]
    override_reason: str | None = None

    def describe(self) -> str:
        """``stage: pilot → production; kpi_current: 2.2 → 1.9`` (or "nothing changed")."""
        if not self.changes:
            return "nothing changed"
        return "; ".join(f"{field}: {_text(old)} → {_text(new)}" for field, (old, new) in self.changes.items())


def _text(value) -> str:
    return "(none)" if value is None or value == "" else f"{value:g}" if isinstance(value, float) else str(value)


def _current(store: Store, code: str) -> dict:
    rows = store.frame(
        "SELECT code, business_unit, stage, kpi_name, kpi_baseline, kpi_target, kpi_current, bu_owner, "
        "platform_owner, guardrails, risk_tier, description FROM initiative WHERE code = ?", [code])
    if rows.empty:
        raise NotFoundError(f"No initiative {str(code)[:40]!r}; choose one from the Portfolio.")
    row = rows.iloc[0].to_dict()
    return {key: (None if isinstance(value, float) and math.isnan(value) else value) for key, value in row.items()}


def _clean(field: str, value):
    """``value`` checked for ``field``; ``ValidationError`` names the field, the value and the fix."""
    if field == "stage":
        if value not in STAGES:
            raise ValidationError(f"stage: {str(value)[:30]!r} is not one of {', '.join(STAGES)}.")
        return value
    if field == "risk_tier":
        if value not in RISK_TIERS:
            raise ValidationError(f"risk tier: {str(value)[:30]!r} is not one of {', '.join(RISK_TIERS)}.")
        return value
    if field == "guardrails":
        if value not in GUARDRAILS:
            raise ValidationError(f"guardrails: {str(value)[:30]!r} is not one of {', '.join(GUARDRAILS)}.")
        return value
    if field in ("bu_owner", "platform_owner"):
        text = str(value or "").strip()
        label = "business owner" if field == "bu_owner" else "platform owner"
        if not text:
            raise ValidationError(f"{label}: empty; name a person or team.")
        if len(text) > OWNER_MAX_LENGTH:
            raise ValidationError(f"{label}: {len(text)} characters; at most {OWNER_MAX_LENGTH}.")
        return text
    if field == "description":
        text = str(value or "").strip()
        if len(text) > DESCRIPTION_MAX_LENGTH:
            raise ValidationError(f"description: {len(text)} characters; at most {DESCRIPTION_MAX_LENGTH}.")
        return text
    if field == "kpi_current":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValidationError(f"KPI current value: {str(value)[:30]!r} is not a finite number.")
        return float(value)
    raise ValidationError(f"{field!r} cannot be edited here; editable: {', '.join(EDITABLE)}.")


def production_gate_gaps(record: dict) -> list[str]:
    """What ``record`` (an initiative's fields after the edit) lacks to be live: the KPI's
    name, baseline and target, and both owners named (not a placeholder such as "TBD": the
    Governance page's ``UNASSIGNED``)."""
    gaps = [label for field, label in (("kpi_name", "a KPI"), ("kpi_baseline", "a KPI baseline"),
                                       ("kpi_target", "a KPI target")) if record.get(field) in (None, "")]
    for field, label in (("bu_owner", "a named business owner"), ("platform_owner", "a named platform owner")):
        if str(record.get(field) or "").strip().lower() in UNASSIGNED:
            gaps.append(label)
    return gaps


def edit_initiative(store: Store, actor: Actor, code: str, changes: dict, *, override_reason: str | None = None,
                    expected: dict | None = None, today: dt.date | None = None) -> InitiativeEdit:
    """Apply ``changes`` (fields of ``EDITABLE``) to initiative ``code`` as ``actor``.

    A stage move is recorded in ``stage_history`` on ``today`` (the funnel's time in stage
    starts there); a new ``kpi_current`` adds a dated KPI reading. Unchanged fields are left
    alone; an edit that changes nothing writes nothing. ``expected`` holds the values the
    editor was shown: if another edit changed one of the fields being changed since, the edit
    is refused ("modified by someone else"), checked inside the transaction."""

    today = today or dt.date.today()
    before = _current(store, code)
    store.require(actor, "edit_initiative", action="initiative.edit", target=code, business_unit=before["business_unit"])
    cleaned = {field: _clean(field, value) for field, value in changes.items()}
    diff = {field: (before[field], new) for field, new in cleaned.items() if before[field] != new}
    reason = (override_reason or "").strip() or None
    moving_live = "stage" in diff and diff["stage"][1] in LIVE_STAGES and before["stage"] not in LIVE_STAGES
    if moving_live:
        gaps = production_gate_gaps({**before, **cleaned})
        if gaps and reason is None:
            raise ValidationError(
                f"{code} cannot move from {before['stage']} to {diff['stage'][1]}: it needs {', '.join(gaps)}. "
                "Fill them in (KPI fields by import), keep the current stage, or, as an administrator, give a "
                "written reason to override.")
        if gaps and actor.role != "admin":
            raise ValidationError(f"Only an administrator may override the production gate ({', '.join(gaps)} "
                                  "missing).")
        if gaps and len(reason) < MIN_OVERRIDE_REASON:
            raise ValidationError(f"The override reason is {len(reason)} characters; write at least "
                                  f"{MIN_OVERRIDE_REASON} saying why {code} goes live without {', '.join(gaps)}.")
        if not gaps:
            reason = None  # nothing was overridden
    else:
        reason = None
    edit = InitiativeEdit(code, diff, reason)
    if not diff:
        return edit
    detail = {"changes": {field: [old, new] for field, (old, new) in diff.items()}}
    if reason:
        detail["override_reason"] = reason
    with store.write(actor, "edit_initiative", action="initiative.edit", target=code,
                     business_unit=before["business_unit"], detail=detail) as cur:
        if expected is not None:
            _refuse_if_changed_since(cur, code, {field: expected[field] for field in diff if field in expected})
        fields = [field for field in diff]
        values = [diff[field][1] for field in fields]
        assignments = [f"{field} = ?" for field in fields]
        if "stage" in diff:
            assignments.append("stage_since = ?")
            values.append(today)
            cur.execute("INSERT OR REPLACE INTO stage_history (initiative, stage, entered) VALUES (?, ?, ?)",
                        [code, diff["stage"][1], today])
        cur.execute(f"UPDATE initiative SET {', '.join(assignments)} WHERE code = ?", [*values, code])
        if "kpi_current" in diff and diff["kpi_current"][1] is not None:
            cur.execute("INSERT OR REPLACE INTO kpi_reading (initiative, recorded_on, value, recorded_by)"
                        " VALUES (?, ?, ?, ?)", [code, today, diff["kpi_current"][1], actor.name])
    return edit


def _refuse_if_changed_since(cur, code: str, shown: dict) -> None:
    """Inside the edit's transaction: each field in ``shown`` must still hold the value the
    editor saw, or someone else saved in between and this edit would silently undo theirs."""
    if not shown:
        return
    now = cur.execute(f"SELECT {', '.join(shown)} FROM initiative WHERE code = ?", [code]).fetchone()
    moved = [f"{field} is now {_text(value)} (you saw {_text(shown[field])})"
             for field, value in zip(shown, now) if value != shown[field]]
    if moved:
        raise ValidationError(f"{code} was modified by someone else since you opened it: {'; '.join(moved)}. "
                              "Reload the page and edit again; nothing was saved.")


def kpi_readings(store: Store, code: str) -> pd.DataFrame:
    """``recorded_on, value, recorded_by`` of initiative ``code``, oldest first."""
    return store.frame("SELECT recorded_on, value, recorded_by FROM kpi_reading WHERE initiative = ?"
                       " ORDER BY recorded_on", [code])


def _incident_text(label: str, value, *, required: bool, limit: int = 2000) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError(f"{label}: empty; say it in a sentence.")
    if len(text) > limit:
        raise ValidationError(f"{label}: {len(text)} characters; at most {limit}.")
    return text


def log_incident(store: Store, actor: Actor, code: str, *, occurred_on: dt.date, severity: str,
                 what_happened: str, action_taken: str = "", today: dt.date | None = None) -> int:
    """Add a guardrail incident (open) to initiative ``code``; returns its id."""

    before = _current(store, code)
    store.require(actor, "log_incident", action="incident.log", target=code, business_unit=before["business_unit"])
    if severity not in SEVERITIES:
        raise ValidationError(f"severity: {str(severity)[:30]!r} is not one of {', '.join(SEVERITIES)}.")
    if not isinstance(occurred_on, dt.date) or occurred_on > (today or dt.date.today()):
        raise ValidationError(f"date: {occurred_on} is in the future; an incident is logged after it happens.")
    what = _incident_text("what happened", what_happened, required=True)
    done = _incident_text("what was done", action_taken, required=False)
    with store.write(actor, "log_incident", action="incident.log", target=code, business_unit=before["business_unit"],
                     detail={"severity": severity, "occurred_on": occurred_on.isoformat(), "what": what[:200]}) as cur:
        cur.execute("INSERT INTO guardrail_incident (initiative, occurred_on, severity, what_happened, action_taken,"
                    " reported_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    [code, occurred_on, severity, what, done, actor.name])
        return int(cur.fetchone()[0])


def close_incident(store: Store, actor: Actor, incident_id: int, *, action_taken: str,
                   today: dt.date | None = None) -> None:
    """Close an open incident with what was done about it."""
    rows = store.rows("SELECT g.initiative, i.business_unit, g.status FROM guardrail_incident g"
                      " JOIN initiative i ON i.code = g.initiative WHERE g.id = ?", [int(incident_id)])
    if not rows:
        raise NotFoundError(f"No incident {incident_id}.")
    code, unit, _ = rows[0]

    store.require(actor, "log_incident", action="incident.close", target=str(incident_id), business_unit=unit)
    done = _incident_text("what was done", action_taken, required=True)
    with store.write(actor, "log_incident", action="incident.close", target=code, business_unit=unit,
                     detail={"incident": int(incident_id), "action_taken": done[:200]}) as cur:
        # the state is checked inside the transaction: two people closing at once, one wins
        cur.execute("UPDATE guardrail_incident SET status = 'closed', action_taken = ?, closed_on = ?"
                    " WHERE id = ? AND status = 'open' RETURNING id", [done, today or dt.date.today(), int(incident_id)])
        if not cur.fetchall():
            raise ValidationError(f"Incident {incident_id} is already closed (by someone else?); nothing changed.")


def incidents(store: Store, code: str) -> pd.DataFrame:
    """Initiative ``code``'s incidents, open first, newest first."""
    return store.frame(
        "SELECT id, occurred_on, severity, what_happened, action_taken, status, reported_by, closed_on"
        " FROM guardrail_incident WHERE initiative = ? ORDER BY status = 'closed', occurred_on DESC, id DESC", [code])
