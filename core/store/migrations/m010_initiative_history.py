"""Initiatives that stay current: dated KPI readings and a guardrail incident log.

``kpi_reading`` keeps every KPI value an initiative reported (the edit form and imports append
one when ``kpi_current`` changes), so the Initiative page charts progress over time against
baseline and target; ``initiative.kpi_current`` stays the latest reading. A store migrated
from before this version starts each history with today's value, marked as recorded by the
migration. ``guardrail_incident`` is the incident log of (mostly agentic) initiatives: what
happened, how severe, what was done, and whether it is still open.

No ``REFERENCES initiative``: DuckDB refuses an UPDATE of a row that another table references
(its foreign-key limitation), which would freeze every initiative with a reading. The code
writing these rows (``core.portfolio.editing``, the initiatives import) names only existing
initiatives, read in the same transaction.
"""

STATEMENTS = (
    """CREATE TABLE kpi_reading (
        initiative VARCHAR NOT NULL,
        recorded_on DATE NOT NULL,
        value DOUBLE NOT NULL,
        recorded_by VARCHAR NOT NULL,
        PRIMARY KEY (initiative, recorded_on)
    )""",
    """INSERT INTO kpi_reading SELECT code, current_date, kpi_current, 'migration m010'
       FROM initiative WHERE kpi_current IS NOT NULL""",
    """CREATE SEQUENCE guardrail_incident_id_seq""",
    """CREATE TABLE guardrail_incident (
        id BIGINT PRIMARY KEY DEFAULT nextval('guardrail_incident_id_seq'),
        initiative VARCHAR NOT NULL,
        occurred_on DATE NOT NULL,
        severity VARCHAR NOT NULL,
        what_happened VARCHAR NOT NULL,
        action_taken VARCHAR NOT NULL DEFAULT '',
        status VARCHAR NOT NULL DEFAULT 'open',
        reported_by VARCHAR NOT NULL,
        reported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        closed_on DATE
    )""",
)
