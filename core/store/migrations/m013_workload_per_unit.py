"""A workload's file is unique within its business unit, not across the store.

Before, the same bytes uploaded by a second unit's team lead matched the first unit's stored
workload by sha256 and handed it back: one unit's object given to another (security case 8).
Now a unit re-uploading its own bytes gets its own workload again (idempotent), and another
unit's upload of the same bytes is stored as that unit's own workload.

The table is rebuilt (DuckDB cannot drop a UNIQUE constraint in place); ids are kept, so lab
runs still point at their workload.
"""

STATEMENTS = (
    """CREATE TABLE workload_v13 (
        id BIGINT PRIMARY KEY DEFAULT nextval('workload_id_seq'),
        name VARCHAR NOT NULL,
        business_unit VARCHAR NOT NULL,
        initiative VARCHAR,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        rows BIGINT NOT NULL,
        columns INTEGER NOT NULL,
        target VARCHAR,
        task VARCHAR,
        uploaded_by VARCHAR NOT NULL,
        uploaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        UNIQUE (business_unit, sha256)
    )""",
    """INSERT INTO workload_v13 SELECT id, name, business_unit, initiative, file_name, sha256, rows, columns, target,
           task, uploaded_by, uploaded_at FROM workload ORDER BY id""",
    "DROP TABLE workload",
    "ALTER TABLE workload_v13 RENAME TO workload",
)
