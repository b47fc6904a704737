"""Right-Size Lab: adopted recommendations (read by the ROI Review's scenarios).

``adoption`` records one adopted right-size recommendation: the initiative, the model
version registered for it, and the projected annual savings
= (current cost per inference − new cost per inference) × last-12-months inference volume.
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
)
