"""Every setting of Factory Floor, in one table: name, default, meaning.

Each setting is read from the environment variable of its name when set (a blank value counts
as unset), else it takes its default. ``setting(name)`` parses and checks the value and says
which variable to fix when it cannot be used; nothing else in the code reads the environment
for a setting of its own. The README's "Configuration" section lists every row of this table
(a test fails when one is missing there).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import CoreError

MB = 1024 * 1024


class ConfigError(CoreError):
    """A setting's value cannot be used; the message names the variable and what it expects."""


def _megabytes(text: str) -> int:
    value = float(text)
    if not value > 0:
        raise ValueError("must be > 0")
    return int(value * MB)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be ≥ 1")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError("must be > 0")
    return value


def _memory(text: str) -> str:
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", text, re.IGNORECASE):
        raise ValueError("expected a size such as 4GB or 512MB")
    return text.strip()


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable ``name``, ``default`` (as text; None = unset),
    what it means, what it expects, and how its text becomes a value."""

    name: str
    default: str | None
    meaning: str
    expects: str
    parse: Callable[[str], Any]


SETTINGS: tuple[Setting, ...] = (
    Setting("FACTORY_DB", "data/factory.duckdb",
            "The DuckDB file the app, the CLI and the benchmarks open (relative to the working folder). "
            "One process owns it at a time.", "a file path", Path),
    Setting("FACTORY_MAX_UPLOAD_MB", None,
            "Size limit of an imported file, for every import kind; unset, each kind has its own "
            "(initiatives 20 MB, financial lines 50 MB, usage, FOCUS billing and snapshots 150 MB).",
            "a number of MB > 0", _megabytes),
    Setting("FACTORY_MAX_WORKLOAD_MB", "200",
            "Size limit of a Right-Size Lab workload (uploaded on the Lab page or given to `factory rightsize`) "
            "and of a file given to `factory drift`.", "a number of MB > 0", _megabytes),
    Setting("FACTORY_MAX_MODEL_MB", "200",
            "Size limit of an uploaded ONNX model (Lab page, Model Registry, `factory rightsize --model`).",
            "a number of MB > 0", _megabytes),
    Setting("FACTORY_MAX_SESSION_UPLOAD_MB", "400",
            "Uploaded files one browser session may hold on the server at once (the file uploaders of all its "
            "pages); a file beyond it is refused until one is removed or imported.", "a number of MB > 0", _megabytes),
    Setting("FACTORY_STORE_MEMORY_LIMIT", "4GB",
            "DuckDB's memory limit for the store's connection (beyond it, queries spill to the staging folder).",
            "a size such as 4GB or 512MB", _memory),
    Setting("FACTORY_STORE_TEMP_LIMIT", "10GB",
            "How much a query may spill to the staging folder's tmp/ beyond the memory limit (DuckDB's own default "
            "is 90 % of the free disk); beyond it the query fails with a message instead of filling the disk.",
            "a size such as 10GB or 512MB", _memory),
    Setting("FACTORY_QUERY_TIMEOUT_S", "60",
            "A read of the store (a page's query, an export) running longer is stopped with a message; "
            "imports and other writes are not limited.", "a number of seconds > 0", _seconds),
    Setting("FACTORY_STORE_THREADS", "2",
            "DuckDB worker threads for the store's connection.", "a whole number ≥ 1", _positive_int),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Any:
    """The value of setting ``name``: the environment's when set, else the default (None when
    the default is unset). ``ConfigError`` names the variable when its value cannot be used."""
    spec = _BY_NAME[name]
    raw = os.environ.get(name)
    text = raw if raw is not None and raw.strip() else spec.default
    if text is None:
        return None
    try:
        return spec.parse(text)
    except ValueError as error:
        raise ConfigError(f"Setting {name}={text!r}: expected {spec.expects} ({error}). "
                          f"Fix or unset the environment variable {name}.") from None


def db_path() -> Path:
    """The store's file: ``FACTORY_DB``."""
    return setting("FACTORY_DB")
