"""Right-Size Lab: workloads, benchmark runs, registered model versions, adoptions.

``adoption`` records one adopted right-size recommendation: the initiative, the model
version registered for it, and the projected annual savings
= (current cost per inference − new cost per inference) × last-12-months inference volume.
(The ROI Review reads it: its columns stay as they are.)

``workload`` describes an uploaded benchmark data set. Its rows live in DuckDB in a table of
their own, ``workload_rows_<id>`` (created by ``core.lab.workloads.save_workload`` straight
from ``read_csv``/``read_parquet`` of the upload, inside the same transaction as the
``workload`` row — so an upload lands whole or not at all and never passes through pandas rows).

``benchmark_run`` keeps each lab run: its ``LabConfig`` and its ``LabReport.to_dict()`` as JSON.
Runs are written once, finished, so no status update ever touches them; ``benchmark_onnx``
keeps the ONNX files of a run's frontier candidates (the only ones worth adopting).

``model_version`` gains the ONNX file itself and what the registry shows about it. No foreign
keys here: DuckDB cannot update an indexed column of a row a foreign key references, and the
registry updates ``model_version.status``.
"""

STATEMENTS = (
    """CREATE SEQUENCE adoption_id_seq""",
    """CREATE TABLE adoption (
        id BIGINT PRIMARY KEY DEFAULT nextval('adoption_id_seq'),
        initiative VARCHAR NOT NULL,
        model_version_id BIGINT,
        benchmark_run_id BIGINT,
        candidate_name VARCHAR NOT NULL,
        current_cost_per_1k_usd DECIMAL(18, 6) NOT NULL,
        new_cost_per_1k_usd DECIMAL(18, 6) NOT NULL,
        volume_12m BIGINT NOT NULL,
        annual_savings_usd DECIMAL(18, 2) NOT NULL,
        adopted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        adopted_by VARCHAR NOT NULL
    )""",
    """CREATE SEQUENCE workload_id_seq""",
    """CREATE TABLE workload (
        id BIGINT PRIMARY KEY DEFAULT nextval('workload_id_seq'),
        name VARCHAR NOT NULL,
        business_unit VARCHAR NOT NULL,
        initiative VARCHAR,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL UNIQUE,
        rows BIGINT NOT NULL,
        columns INTEGER NOT NULL,
        target VARCHAR,
        task VARCHAR,
        uploaded_by VARCHAR NOT NULL,
        uploaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    """CREATE SEQUENCE benchmark_run_id_seq""",
    """CREATE TABLE benchmark_run (
        id BIGINT PRIMARY KEY DEFAULT nextval('benchmark_run_id_seq'),
        workload_id BIGINT NOT NULL,
        config JSON NOT NULL,
        report JSON NOT NULL,
        recommended VARCHAR,
        best VARCHAR,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        run_by VARCHAR NOT NULL,
        status VARCHAR NOT NULL
    )""",
    # ONNX files of a run's frontier candidates, so a stored run can still be adopted later
    """CREATE TABLE benchmark_onnx (
        benchmark_run_id BIGINT NOT NULL,
        candidate_name VARCHAR NOT NULL,
        onnx_bytes BLOB NOT NULL,
        PRIMARY KEY (benchmark_run_id, candidate_name)
    )""",
    """ALTER TABLE model_version ADD COLUMN onnx_bytes BLOB""",
    """ALTER TABLE model_version ADD COLUMN opset INTEGER""",
    """ALTER TABLE model_version ADD COLUMN inputs_json JSON""",
    """ALTER TABLE model_version ADD COLUMN outputs_json JSON""",
    """ALTER TABLE model_version ADD COLUMN node_count INTEGER""",
    """ALTER TABLE model_version ADD COLUMN workload_id BIGINT""",
    """ALTER TABLE model_version ADD COLUMN benchmark_run_id BIGINT""",
    """ALTER TABLE model_version ADD COLUMN quality DOUBLE""",
    """ALTER TABLE model_version ADD COLUMN cost_per_1m_usd DOUBLE""",
)
