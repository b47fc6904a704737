"""The store: one embedded DuckDB file and everything about keeping it.

* ``store`` — ``Store`` (open, lock down, migrate; reads on a cursor each; the audited
  ``write`` contract) and ``StoreLimits``;
* ``audit`` — reading the audit log;
* ``intake`` — every file that comes in (uploads, CLI paths): stage, sniff, guard, read;
* ``sql`` — quoting of identifiers and constants from core (never user input);
* ``migrations`` — the numbered schema changes.
"""

from core.store.store import Store, StoreLimits

__all__ = ["Store", "StoreLimits"]
