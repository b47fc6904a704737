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


def _on_off(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("on", "off"):
        raise ValueError("expected on or off")
    return value == "on"


def _positive_hours(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise ValueError("must be > 0")
    return value


def _claim_name(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_:./-]{1,100}", text.strip()):
        raise ValueError("expected the name of one claim of the ID token, such as groups or roles")
    return text.strip()


def _role_map(text: str):
    from core.company_sign_in import parse_role_map  # ConfigError of its own, naming the entry

    return parse_role_map(text)


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
    Setting("FACTORY_LOCAL_SIGN_IN", "on",
            "Whether the sign-in page offers local accounts (user name and password in the store); off leaves "
            "only company sign-in (an [auth] section in .streamlit/secrets.toml).", "on or off", _on_off),
    Setting("FACTORY_OIDC_ROLE_CLAIM", "groups",
            "The ID token claim whose values (a list, or text separated by spaces or commas) give a company "
            "user's role through FACTORY_OIDC_ROLE_MAP.", "a claim name", _claim_name),
    Setting("FACTORY_OIDC_ROLE_MAP", "{}",
            "JSON object from a value of the role claim to viewer, finance, admin or team_lead:BU. With several "
            "matching values the most powerful wins (admin > finance > team_lead > viewer); with none the user "
            "has no access.", 'a JSON object such as {"factory-finance": "finance"}', _role_map),
    Setting("FACTORY_SESSION_MAX_HOURS", "12",
            "How long a company session lasts from the provider's sign-in (the ID token's auth_time or iat), "
            "whatever Streamlit's 30-day cookie says; then the user signs in again.", "a number of hours > 0",
            _positive_hours),
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
