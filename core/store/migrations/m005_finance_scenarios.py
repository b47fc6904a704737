"""Finance: saved what-if scenarios of the ROI Review (written with ``edit_scenarios``).

A saved scenario is a named set of knobs (``core.finance.scenarios.ScenarioConfig``) and the scope it
was made for; loading it only sets the page's sliders — nothing else changes.
"""

STATEMENTS = (
    """CREATE SEQUENCE finance_scenario_id_seq""",
    """CREATE TABLE finance_scenario (
        id BIGINT PRIMARY KEY DEFAULT nextval('finance_scenario_id_seq'),
        name VARCHAR NOT NULL UNIQUE,
        scope VARCHAR NOT NULL,
        vendor_price_change DOUBLE NOT NULL,
        volume_growth_monthly DOUBLE NOT NULL,
        benefits_scale_with_volume BOOLEAN NOT NULL,
        adopt_rightsize BOOLEAN NOT NULL,
        forward_months INTEGER NOT NULL,
        created_by VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
)
