"""The store: one embedded DuckDB file, one connection per process, a cursor per operation.

* ``Store.open(path)`` opens (creating if needed) the file, locks DuckDB down, and applies
  the numbered migrations of ``core.store.migrations``.
* Reads: ``store.rows(sql, params)``, ``store.frame(sql, params)`` (page-sized pandas results
  only), ``store.arrow(sql, params)`` — each on a fresh cursor that is closed afterwards; and
  ``with store.cursor() as cur:`` for several reads of one snapshot. Every read cursor is in a
  READ ONLY transaction, so a write that skips ``store.write`` fails instead of landing without
  a permission check, an audit event or a revision bump (temporary tables are allowed: dry
  runs stage into them, and they vanish with the transaction).
* Writes: ``with store.write(actor, permission, action=..., target=...) as cur:`` checks the
  actor's permission, serialises writers with one lock, runs everything in one transaction
  (all or nothing), records an audit event in that same transaction and bumps the
  revision counter that cached queries key on.
* Read-only actions that must be audited (exports, downloads): ``store.record(actor,
  permission, action=...)`` checks the permission and records the event without bumping
  the revision.
* Refusals: ``store.require(actor, permission, action=...)`` — the check a function makes
  before doing its work — records an ``access.refused`` audit event when it refuses, as
  ``write`` and ``record`` do, so the audit log shows who tried what.

Lock-down (DuckDB's "Securing DuckDB" settings, ``core.store.lockdown``): no extension
autoinstall/autoload, no file access outside the staging folder beside the database, memory,
thread, spill and read-time limits, time zone UTC, and the configuration locked so a later
statement cannot undo any of it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from core.errors import StoreError
from core.store.lockdown import SAFE_CONNECT_CONFIG, StoreLimits, lock_down  # noqa: F401 (re-exported)

_log = logging.getLogger(__name__)

class QueryTimeout(StoreError):
    """A read ran past ``FACTORY_QUERY_TIMEOUT_S`` and was interrupted (nothing was changed)."""


# Database files this process has open (path -> its Store, dropped when the Store is): DuckDB
# refuses a second connection to one of them with a raw error, so Store.open says it in words first.
_OPEN_PATHS: "weakref.WeakValueDictionary[Path, Store]" = weakref.WeakValueDictionary()
_OPEN_PATHS_LOCK = threading.Lock()

_CLOSED = ("The database is closed (the app is reopening its store); reload the page and try again — "
           "nothing was changed.")


class Store:
    """One DuckDB database file shared by every session of this process.

    Every cursor is one operation's and is tracked while it lives: a read past its deadline is
    interrupted by a watchdog thread (``QueryTimeout``), and ``close`` interrupts what is in
    flight and waits for it, so a cache clear or a reopen while other sessions read never meets a
    busy connection; those operations fail cleanly and can be retried."""

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection, staging_dir: Path,
                 read_timeout_s: float = 60.0):
        self.path = path
        self.staging_dir = staging_dir
        self._connection = connection
        self._write_lock = threading.RLock()
        self._read_timeout_s = read_timeout_s
        self._cursors: dict[duckdb.DuckDBPyConnection, float | None] = {}  # cursor -> read deadline
        self._timed_out: set[int] = set()  # id() of cursors the watchdog interrupted
        self._cursors_lock = threading.Lock()
        self._closed = threading.Event()
        self._watchdog = threading.Thread(target=_watch_reads, args=(weakref.ref(self),),
                                          name=f"store-watchdog-{path.name}", daemon=True)
        self._watchdog.start()
        self._revision = self._read_revision()

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, *, limits: StoreLimits | None = None) -> "Store":
        """Open or create the database at ``path``, lock it down and migrate it.

        The staging folder ``<db folder>/staging`` is the only place DuckDB may read or
        write files (uploads are copied there before ``read_csv``/``read_parquet``). ``limits``
        default to the settings (``StoreLimits.from_settings``).
        """
        from core.store.migrations import apply_migrations

        path = Path(path).resolve()
        with _OPEN_PATHS_LOCK:
            holder = _OPEN_PATHS.get(path)
            if holder is not None and not holder.closed:
                raise StoreError(f"The database {path} is already open in this process: use the store that "
                                 "opened it (the app's ui.store.get_store), or close that one first.")
            store = cls._open(path, limits or StoreLimits.from_settings())
            _OPEN_PATHS[path] = store
            return store

    @classmethod
    def _open(cls, path: Path, limits: StoreLimits) -> "Store":
        from core.store.migrations import apply_migrations

        path.parent.mkdir(parents=True, exist_ok=True)
        staging_dir = path.parent / "staging"
        (staging_dir / "tmp").mkdir(parents=True, exist_ok=True)
        try:
            connection = duckdb.connect(str(path), config=SAFE_CONNECT_CONFIG)
        except duckdb.IOException as error:
            raise StoreError(
                f"Cannot open the database {path}: {error}. Another Factory Floor process "
                "may hold it; stop that process or point FACTORY_DB at another file."
            ) from error
        lock_down(connection, staging_dir, limits)
        apply_migrations(connection)
        store = cls(path, connection, staging_dir, limits.read_timeout_s)
        store._recover_interrupted_imports()
        return store

    def _recover_interrupted_imports(self) -> None:
        """What a process that died left in staging: the files are removed, and each import
        that was running (a note beside its file) and did not commit becomes an
        ``import_failure`` row, audited as ``import.interrupted`` by the system. Runs once this
        process holds the database's lock: nobody else can be importing into this folder."""
        from core.store.intake import sweep_staging

        for interrupted in sweep_staging(self.staging_dir):
            record = interrupted.record
            if self.scalar("SELECT count(*) FROM import_ledger WHERE sha256 = ?", [interrupted.sha256]):
                continue  # it committed just before the process died: the ledger has it
            file_name = str(record.get("file_name") or "(unknown file)")
            with self.system_write(action="import.interrupted", detail={**record, "sha256": interrupted.sha256}) as cur:
                cur.execute(
                    "INSERT INTO import_failure (kind, file_name, actor, sha256, started_at, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [str(record.get("kind") or "?"), file_name, str(record.get("actor") or "?"), interrupted.sha256,
                     record.get("started_at"),
                     "the server stopped while this file was being imported; nothing of it was kept. "
                     "Import the file again."])

    def close(self, *, wait_s: float = 10.0) -> None:
        """Close the connection: new operations are refused at once, the ones in flight are
        interrupted (their callers get a clear ``StoreError``) and waited for, up to ``wait_s``."""
        if self._closed.is_set():
            return
        self._closed.set()
        with self._cursors_lock:
            for cur in self._cursors:
                cur.interrupt()
        deadline = time.monotonic() + wait_s
        while self._cursors and time.monotonic() < deadline:
            time.sleep(0.01)
        self._connection.close()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    # -- reads ---------------------------------------------------------------------------
    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor in a READ ONLY transaction (one snapshot for the block), closed on
        exit. DuckDB refuses any write to the database through it; writes go through ``write``.
        A read running past ``FACTORY_QUERY_TIMEOUT_S`` is interrupted: ``QueryTimeout``."""
        with self._raw_cursor(read_deadline=time.monotonic() + self._read_timeout_s) as cur:
            cur.execute("BEGIN TRANSACTION READ ONLY")
            try:
                yield cur
            except (duckdb.IOException, duckdb.OutOfMemoryException) as error:
                raise self._resource_error(error, "read") from None
            except duckdb.InterruptException:
                if id(cur) in self._timed_out:
                    raise QueryTimeout(
                        f"The query ran longer than {self._read_timeout_s:g} s and was stopped (nothing was changed): "
                        "narrow the filters — a shorter period, one business unit — or ask an administrator to "
                        "raise FACTORY_QUERY_TIMEOUT_S.") from None
                if self.closed:
                    raise StoreError(_CLOSED) from None
                raise
            finally:
                try:
                    cur.execute("ROLLBACK")
                except duckdb.Error:  # interrupted or closing: nothing to undo
                    pass

    @contextmanager
    def _raw_cursor(self, *, read_deadline: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.closed:
            raise StoreError(_CLOSED)
        with self._cursors_lock:
            cur = self._connection.cursor()
            self._cursors[cur] = read_deadline
        try:
            yield cur
        except duckdb.InterruptException:
            if self.closed:
                raise StoreError(_CLOSED) from None
            raise
        finally:
            with self._cursors_lock:
                del self._cursors[cur]
                self._timed_out.discard(id(cur))
            cur.close()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (after a bulk build)."""
        with self._write_lock, self._raw_cursor() as cur:
            try:
                cur.execute("CHECKPOINT")
            except (duckdb.IOException, duckdb.OutOfMemoryException) as error:
                raise self._resource_error(error, "write") from None

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).fetchall()

    def one(self, sql: str, params: Sequence[Any] | None = None) -> tuple | None:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def frame(self, sql: str, params: Sequence[Any] | None = None):
        """A pandas DataFrame of an aggregated, page-sized result."""
        with self.cursor() as cur:
            return cur.execute(sql, params or []).df()

    def arrow(self, sql: str, params: Sequence[Any] | None = None):
        """A pyarrow Table (columnar, zero-copy into numpy for statistics)."""
        with self.cursor() as cur:
            return cur.execute(sql, params or []).to_arrow_table()

    # -- writes --------------------------------------------------------------------------
    @property
    def revision(self) -> int:
        """Bumped by every committed write; cached queries include it in their key."""
        return self._revision

    @contextmanager
    def write(
        self,
        actor,
        permission: str,
        *,
        action: str,
        target: str = "",
        business_unit: str | None = None,
        detail: dict | None = None,
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """One audited, permission-checked, all-or-nothing write.

        ``actor`` must hold ``permission`` (for ``business_unit`` when the permission is
        scoped to one). The block's statements, the audit event and the revision bump
        commit together or not at all.
        """
        self.require(actor, permission, action=action, target=target, business_unit=business_unit)
        with self._transaction() as cur:
            yield cur
            _insert_audit_event(cur, actor, action, target, detail)

    def require(self, actor, permission: str, *, action: str, target: str = "",
                business_unit: str | None = None) -> None:
        """``core.auth.require``, and when it refuses, an ``access.refused`` audit event (its
        own small transaction, no revision bump) naming the permission and the action tried,
        before the ``PermissionDenied`` goes on to the caller."""
        from core.auth import require
        from core.errors import PermissionDenied

        try:
            require(actor, permission, business_unit=business_unit)
        except PermissionDenied as refusal:
            self.record_refusal(actor, permission=permission, action=action, target=target,
                                business_unit=business_unit, reason=str(refusal))
            raise

    def record_refusal(self, actor, *, permission: str, action: str, target: str = "",
                       business_unit: str | None = None, reason: str) -> None:
        """Audit a refusal (``access.refused``: who, the permission or page, what was tried, why)
        in its own small transaction, without a revision bump."""
        with self._transaction(bump_revision=False) as cur:
            _insert_audit_event(cur, actor, "access.refused", target,
                                {"permission": permission, "attempted": action,
                                 "business_unit": business_unit, "reason": reason})

    def record(
        self,
        actor,
        permission: str,
        *,
        action: str,
        target: str = "",
        business_unit: str | None = None,
        detail: dict | None = None,
    ) -> None:
        """Audit a read-only action (an export, a download) that ``actor`` must be allowed to do.

        Checks ``permission`` like ``write`` and records the audit event, but leaves the
        revision alone: nothing a cached query reads has changed, so no session's cache is
        emptied. Call it once the action has succeeded (the file exists), so the log never
        claims an export that failed.
        """
        self.require(actor, permission, action=action, target=target, business_unit=business_unit)
        with self._transaction(bump_revision=False) as cur:
            _insert_audit_event(cur, actor, action, target, detail)

    def record_unsigned(self, *, action: str, target: str, ts, detail: dict | None = None) -> None:
        """Audit an event of someone not (yet) signed in — a sign-in, a failed or throttled one —
        at ``ts`` (UTC): the sign-in throttle counts these. No permission applies and nothing a
        cached query reads changes (no revision bump). Only ``core.auth`` calls it (case 32's test)."""
        with self._transaction(bump_revision=False) as cur:
            cur.execute("INSERT INTO audit_event (ts, actor, role, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
                        [ts, "(not signed in)", "none", action, target, json.dumps(detail or {}, default=str)])

    @contextmanager
    def system_write(self, *, action: str, detail: dict | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write made by the system itself (building the demo store), audited as 'system'."""
        with self._transaction() as cur:
            yield cur
            cur.execute(
                "INSERT INTO audit_event (actor, role, action, target, detail) VALUES ('system', 'system', ?, '', ?)",
                [action, json.dumps(detail or {}, default=str)],
            )

    @contextmanager
    def _transaction(self, *, bump_revision: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._write_lock, self._raw_cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                new_revision = self._revision
                if bump_revision:
                    cur.execute(
                        "UPDATE store_meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                        "WHERE key = 'revision' RETURNING CAST(value AS BIGINT)"
                    )
                    new_revision = cur.fetchone()[0]
                cur.execute("COMMIT")
            except (duckdb.IOException, duckdb.OutOfMemoryException) as error:
                _rollback_quietly(cur)
                raise self._resource_error(error, "write") from None
            except BaseException:
                _rollback_quietly(cur)
                raise
            self._revision = new_revision

    def _resource_error(self, error: Exception, doing: str) -> StoreError:
        """The disk or memory ran out under a read or a write: a message in the user's terms (the
        raw one to the log). DuckDB rolls the transaction back; what was committed before stays."""
        _log.error("store %s failed on %s: %s", doing, self.path, error)
        if isinstance(error, duckdb.OutOfMemoryException):
            return StoreError(
                "The store ran out of the memory and temporary disk it may use (FACTORY_STORE_MEMORY_LIMIT, "
                "FACTORY_STORE_TEMP_LIMIT) while it was working; nothing was changed. Narrow the request (a shorter "
                "period, a smaller file) or ask an administrator to raise the limits.")
        return StoreError(
            f"The store could not {doing} its files in {self.path.parent}: the disk is full or a file size limit "
            "was reached. Nothing of this change was kept and everything saved before is intact; free disk space "
            "(or ask an administrator to), then try again.")

    # -- metadata ------------------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM store_meta WHERE key = ?", [key])
        return default if value is None else value

    def _read_revision(self) -> int:
        return int(self.scalar("SELECT value FROM store_meta WHERE key = 'revision'"))


def _watch_reads(store_ref: "weakref.ref[Store]") -> None:
    """A store's watchdog: interrupts reads past their deadline (DuckDB's ``interrupt`` is made
    to be called from another thread), four times a second, until the store closes or is gone.
    Holds the store weakly, so a store dropped without ``close`` is still collected."""
    while True:
        store = store_ref()
        if store is None or store.closed:
            return
        now = time.monotonic()
        with store._cursors_lock:
            for cur, deadline in store._cursors.items():
                if deadline is not None and now > deadline and id(cur) not in store._timed_out:
                    store._timed_out.add(id(cur))
                    cur.interrupt()
        closed = store._closed
        del store
        if closed.wait(0.25):
            return


def restart_read(cur) -> None:
    """Roll back a read cursor's transaction (aborted by a failed statement) and begin a new
    READ ONLY one on the same cursor: for a reader that tries one way and, failing, another."""
    _rollback_quietly(cur)
    cur.execute("BEGIN TRANSACTION READ ONLY")


def _rollback_quietly(cur) -> None:
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:  # the failed statement already ended the transaction
        pass


def _insert_audit_event(cur, actor, action: str, target: str, detail: dict | None) -> None:
    cur.execute(
        "INSERT INTO audit_event (actor, role, action, target, detail) VALUES (?, ?, ?, ?, ?)",
        [getattr(actor, "name", "(not signed in)"), getattr(actor, "role", "none"), action, target,
         json.dumps(detail or {}, default=str)],
    )
