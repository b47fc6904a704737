"""Usage facts reference their import by a number, and say nothing they were not told.

* ``import_ledger.id``: a BIGINT from ``import_ledger_id_seq`` (existing rows numbered in
  import order); ``sha256`` stays the key that makes re-imports no-ops. ``size_bytes`` (NULL
  for earlier rows): a file whose size no earlier import had cannot be a duplicate, so its
  hash may finish while it is being imported (``core.ingest.pipeline``).
* ``usage_event.import_id`` (that id) replaces ``import_sha256``. Writing a 64-character
  string into every row of the biggest table cost about half a second per 10M rows (DuckDB
  compresses each column as it writes; a constant number costs a tenth of that).
* ``usage_event.provider`` and ``operation`` may be NULL: "the source did not say". An
  import no longer invents ``self-hosted``/``predict`` for a file without those columns
  (nothing reads them to compute money, and each invented constant string cost as much to
  write as a real column).

Both tables are rebuilt (DuckDB cannot drop NOT NULL from or re-key a column in place).
"""

STATEMENTS = (
    "CREATE SEQUENCE import_ledger_id_seq",
    """CREATE TABLE import_ledger_v6 (
        id BIGINT NOT NULL UNIQUE DEFAULT nextval('import_ledger_id_seq'),
        sha256 VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        rows_added BIGINT NOT NULL,
        actor VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL DEFAULT current_timestamp,
        size_bytes BIGINT
    )""",
    """INSERT INTO import_ledger_v6 (sha256, kind, file_name, rows_added, actor, ts)
       SELECT sha256, kind, file_name, rows_added, actor, ts FROM import_ledger ORDER BY ts, sha256""",
    "DROP TABLE import_ledger",
    "ALTER TABLE import_ledger_v6 RENAME TO import_ledger",
    """CREATE TABLE usage_event_v6 (
        ts TIMESTAMP NOT NULL,
        initiative VARCHAR NOT NULL,
        provider VARCHAR,
        model VARCHAR NOT NULL,
        operation VARCHAR,
        requests INTEGER NOT NULL,
        input_tokens BIGINT NOT NULL,
        output_tokens BIGINT NOT NULL,
        cached_input_tokens BIGINT NOT NULL DEFAULT 0,
        latency_ms DOUBLE,
        cost_usd DECIMAL(18, 8) NOT NULL,
        location VARCHAR NOT NULL,
        hardware VARCHAR NOT NULL,
        import_id BIGINT
    )""",
    """INSERT INTO usage_event_v6
       SELECT e.ts, e.initiative, e.provider, e.model, e.operation, e.requests, e.input_tokens,
              e.output_tokens, e.cached_input_tokens, e.latency_ms, e.cost_usd, e.location, e.hardware, l.id
       FROM usage_event e LEFT JOIN import_ledger l ON l.sha256 = e.import_sha256""",
    "DROP TABLE usage_event",
    "ALTER TABLE usage_event_v6 RENAME TO usage_event",
)
