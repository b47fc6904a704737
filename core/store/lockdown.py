"""The store's lock-down: the DuckDB settings every connection of Factory Floor gets (the
store's own and the intake's scratch ones), and the limits they apply (``StoreLimits``).

Files only inside the staging folder, no extensions, no network, memory, thread, spill and
read-time limits, time zone UTC, then the configuration locked so that no later statement can
undo any of it (DuckDB's "Securing DuckDB" settings, in the order that works: stack-notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

SAFE_CONNECT_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


@dataclass(frozen=True)
class StoreLimits:
    """Resource limits applied to the DuckDB connection."""

    memory_limit: str = "4GB"
    threads: int = 2
    read_timeout_s: float = 60.0  # a read running longer is interrupted (QueryTimeout)
    temp_limit: str = "10GB"  # what queries may spill to the staging folder (DuckDB's default: 90 % of the disk)

    @classmethod
    def from_settings(cls) -> "StoreLimits":
        """``FACTORY_STORE_MEMORY_LIMIT``, ``FACTORY_STORE_THREADS``, ``FACTORY_STORE_TEMP_LIMIT`` and
        ``FACTORY_QUERY_TIMEOUT_S`` (``core.config``)."""
        from core.config import setting

        return cls(memory_limit=setting("FACTORY_STORE_MEMORY_LIMIT"), threads=setting("FACTORY_STORE_THREADS"),
                   temp_limit=setting("FACTORY_STORE_TEMP_LIMIT"), read_timeout_s=setting("FACTORY_QUERY_TIMEOUT_S"))


def lock_down(connection: duckdb.DuckDBPyConnection, staging_dir: Path, limits: StoreLimits) -> None:
    """Apply DuckDB's security settings in the order that works (see stack-notes): files only
    inside ``staging_dir``, no extensions, no network, limits, then the configuration locked.
    The store's connection and the intake's scratch connections both get exactly this."""
    statements: list[tuple[str, list]] = [
        ("SET allowed_directories = ?", [[str(staging_dir)]]),
        ("SET temp_directory = ?", [str(staging_dir / "tmp")]),
        ("SET memory_limit = ?", [limits.memory_limit]),
        ("SET threads = ?", [limits.threads]),
        ("SET max_temp_directory_size = ?", [limits.temp_limit]),
        # DuckDB's default is the machine's zone: month and day boundaries of anything read as a
        # TIMESTAMPTZ would move with the server's TZ. Every timestamp is UTC, stated once here.
        ("SET GLOBAL TimeZone = 'UTC'", []),
        ("SET allow_community_extensions = false", []),
        ("SET enable_external_access = false", []),
        ("SET lock_configuration = true", []),
    ]
    for sql, params in statements:
        connection.execute(sql, params)
