"""Imports that never finished, so the Imports page can say so and the file can be imported again.

``import_failure``: one row per import whose process died (SIGKILL, power loss, a crash) while
its transaction was open. Nothing of such an import is in the store — its transaction never
committed — and its file is not in ``import_ledger``, so importing it again works. Found by
``Store.open`` from the note the pipeline leaves beside a staged file while it imports.
"""

STATEMENTS = (
    "CREATE SEQUENCE import_failure_id_seq START 1",
    """CREATE TABLE import_failure (
        id BIGINT PRIMARY KEY DEFAULT nextval('import_failure_id_seq'),
        kind VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        actor VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        started_at TIMESTAMP,
        detected_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        reason VARCHAR NOT NULL
    )""",
)
