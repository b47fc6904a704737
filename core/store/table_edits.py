"""Editing a small keyed table as a whole (the price book, the hardware profiles): check every
row a user typed, compare with what the store holds, and say what changed.

A page shows the table in an editor and hands back every row; ``clean_rows`` checks them
against the table's ``EditableColumn`` list (all problems at once, each naming the row, its
key, the column, what was expected and how to fix it), and ``diff_rows`` turns old and new
rows into ``TableChanges`` (added, changed field by field, removed) for the write and its
audit event. The owner module (``core.finance.price_book``, ``core.lab.hardware``) applies the
changes in one ``Store.write``, after checking that the table still holds what the editor was
shown (``refuse_if_changed``), so two people editing at once never undo each other silently.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.errors import ValidationError

#: at most this many problems are listed in one message (the rest are counted)
MAX_LISTED_PROBLEMS = 8


@dataclass(frozen=True)
class EditableColumn:
    """One column of an editable table: its kind, whether it is required, and its limits.

    ``kind`` is ``text``, ``choice`` (one of ``choices``), ``date`` (ISO ``YYYY-MM-DD``),
    ``decimal`` (money: at most ``scale`` decimal places), ``int`` or ``float``. ``minimum``
    and ``maximum`` bound numbers (inclusive); ``label`` is the name a message uses."""

    name: str
    kind: str
    required: bool = False
    max_length: int = 120
    minimum: float | None = 0
    maximum: float | None = None
    scale: int | None = None
    choices: tuple[str, ...] = ()

    def clean(self, value):
        """``value`` as the store holds it (``None`` for an empty cell); ``ValueError`` with
        what was expected."""
        if value is None or (isinstance(value, float) and math.isnan(value)) or \
                (isinstance(value, str) and not value.strip()):
            if self.required:
                raise ValueError("is required")
            return None
        if self.kind in ("text", "choice"):
            text = str(value).strip()
            if len(text) > self.max_length:
                raise ValueError(f"expected at most {self.max_length} characters, got {len(text)}")
            if self.kind == "choice" and text not in self.choices:
                raise ValueError(f"expected one of {', '.join(self.choices)}, got {text[:30]!r}")
            return text
        if self.kind == "date":
            return _date(value)
        number = _number(value, self.kind)
        if self.minimum is not None and number < self.minimum:
            raise ValueError(f"expected a number ≥ {self.minimum:g}, got {number}")
        if self.maximum is not None and number > self.maximum:
            raise ValueError(f"expected a number ≤ {self.maximum:g}, got {number}")
        if self.kind == "decimal" and self.scale is not None and -number.as_tuple().exponent > self.scale:
            raise ValueError(f"expected at most {self.scale} decimal places, got {number}")
        return number


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp from the editor
        return value.to_pydatetime().date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {str(value)[:30]!r}") from None


def _number(value, kind: str):
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"expected a number, got {str(value)[:30]!r}") from None
    if not number.is_finite():
        raise ValueError(f"expected a finite number, got {str(value)[:30]!r}")
    if kind == "int":
        if number != number.to_integral_value():
            raise ValueError(f"expected a whole number, got {number}")
        return int(number)
    if kind == "float":
        return float(number)
    return number.normalize() if number != 0 else Decimal(0)


@dataclass(frozen=True)
class TableChanges:
    """What an edit does to a keyed table. ``changed`` maps each changed row's key text to
    ``{column: (old, new)}``; ``added`` and ``removed`` hold whole rows."""

    added: list[dict] = field(default_factory=list)
    changed: dict[str, dict[str, tuple]] = field(default_factory=dict)
    removed: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def describe(self, key_text) -> list[str]:
        """One line per change: "added gpt-5 from 2026-12-01", "gpt-4o from 2026-11-01:
        input_usd_per_1m 2.5 → 2.25", "removed edge-arm"."""
        lines = [f"added {key_text(row)}" for row in self.added]
        lines += [f"{key}: " + "; ".join(f"{column} {_shown(old)} → {_shown(new)}" for column, (old, new) in fields.items())
                  for key, fields in self.changed.items()]
        lines += [f"removed {key_text(row)}" for row in self.removed]
        return lines

    def audit_detail(self, key_text) -> dict:
        return {"added": [key_text(row) for row in self.added],
                "changed": {key: {column: [str(old), str(new)] for column, (old, new) in fields.items()}
                            for key, fields in self.changed.items()},
                "removed": [key_text(row) for row in self.removed]}


def _shown(value) -> str:
    return "(none)" if value is None else str(value)


def clean_rows(columns: tuple[EditableColumn, ...], rows: list[dict], key: tuple[str, ...], what: str,
               key_text) -> list[dict]:
    """Every row of ``rows`` checked and converted (``EditableColumn.clean``); a row whose
    every cell is empty is dropped (the editor's blank new row). Raises one
    ``ValidationError`` listing every problem ("Price book, row 3 (gpt-4o from 2026-12-01),
    input_usd_per_1m: expected a number ≥ 0, got -1.") and duplicate keys; nothing is saved."""
    problems, cleaned, seen = [], [], {}
    for number, row in enumerate(rows, start=1):
        if all(_blank(row.get(column.name)) for column in columns):
            continue
        out, bad = {}, False
        for column in columns:
            try:
                out[column.name] = column.clean(row.get(column.name))
            except ValueError as error:
                problems.append(f"row {number}{_label(row, key)}, {column.name}: {error}")
                bad = True
        if bad:
            continue
        identity = tuple(out[name] for name in key)
        if identity in seen:
            problems.append(f"row {number} ({key_text(out)}) repeats row {seen[identity]}: each may appear once")
            continue
        seen[identity] = number
        cleaned.append(out)
    if problems:
        listed = "; ".join(problems[:MAX_LISTED_PROBLEMS])
        more = f"; and {len(problems) - MAX_LISTED_PROBLEMS} more" if len(problems) > MAX_LISTED_PROBLEMS else ""
        raise ValidationError(f"{what} was not saved: {listed}{more}. Fix the cells and save again; nothing was changed.")
    return cleaned


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        (isinstance(value, str) and not value.strip())


def _label(row: dict, key: tuple[str, ...]) -> str:
    parts = [str(row.get(name)).strip()[:40] for name in key if not _blank(row.get(name))]
    return f" ({' '.join(parts)})" if parts else ""


def diff_rows(old: list[dict], new: list[dict], key: tuple[str, ...], key_text) -> TableChanges:
    """``TableChanges`` from ``old`` to ``new`` (clean rows with the same columns), by ``key``."""
    before = {tuple(row[name] for name in key): row for row in old}
    after = {tuple(row[name] for name in key): row for row in new}
    changed = {}
    for identity, row in after.items():
        if identity in before:
            fields = {column: (before[identity][column], value) for column, value in row.items()
                      if before[identity].get(column) != value}
            if fields:
                changed[key_text(row)] = fields
    return TableChanges(added=[row for identity, row in after.items() if identity not in before],
                        changed=changed,
                        removed=[row for identity, row in before.items() if identity not in after])


def plan_edit(columns: tuple[EditableColumn, ...], rows: list[dict], shown: list[dict], key: tuple[str, ...],
              what: str, key_text) -> tuple[list[dict], list[dict], TableChanges]:
    """(the new rows, the rows the editor was shown, the changes from one to the other), all
    cleaned: what an owner module's save checks before it opens its write."""
    new = clean_rows(columns, rows, key, what, key_text)
    shown_clean = clean_rows(columns, shown, key, what, key_text)
    return new, shown_clean, diff_rows(shown_clean, new, key, key_text)


def refuse_if_changed(current: list[dict], shown: list[dict], key: tuple[str, ...], what: str, key_text) -> None:
    """Inside the write's transaction: the table must still hold what the editor was shown, or
    someone else saved in between and this edit would silently undo theirs."""
    moved = diff_rows(shown, current, key, key_text)
    if moved:
        lines = "; ".join(moved.describe(key_text)[:MAX_LISTED_PROBLEMS])
        raise ValidationError(f"{what} was changed by someone else since you opened it ({lines}). "
                              "Reload the page and edit again; nothing was saved.")
