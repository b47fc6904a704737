"""Imports: FOCUS billing charges (read by the ROI Review and Unit Costs pages).

``focus_charge`` keeps one row per line of an imported FOCUS export: the 21 mandatory FOCUS
columns (costs as DECIMAL(38, 12), so totals are exact to the last digit), ``Tags`` as JSON
with trimmed keys, every other column (conditional ``ResourceId``, ``RegionName`` …, custom
``x_…``) in ``extra`` as JSON, and the allocation: ``initiative`` (NULL = unallocated, never
dropped) and the ``allocation_rule`` that decided it. ``import_sha256`` links to
``import_ledger``; ``source_row`` is the row in that file (header = 1).
"""

STATEMENTS = (
    """CREATE SEQUENCE focus_charge_id_seq""",
    """CREATE TABLE focus_charge (
        id BIGINT PRIMARY KEY DEFAULT nextval('focus_charge_id_seq'),
        import_sha256 VARCHAR NOT NULL,
        source_row INTEGER NOT NULL,
        billed_cost DECIMAL(38,12) NOT NULL,
        effective_cost DECIMAL(38,12) NOT NULL,
        list_cost DECIMAL(38,12) NOT NULL,
        contracted_cost DECIMAL(38,12) NOT NULL,
        billing_account_id VARCHAR NOT NULL,
        billing_account_name VARCHAR,
        billing_currency VARCHAR NOT NULL,
        billing_period_start TIMESTAMP NOT NULL,
        billing_period_end TIMESTAMP NOT NULL,
        charge_category VARCHAR NOT NULL,
        charge_class VARCHAR,
        charge_description VARCHAR,
        charge_period_start TIMESTAMP NOT NULL,
        charge_period_end TIMESTAMP NOT NULL,
        invoice_issuer_name VARCHAR NOT NULL,
        pricing_quantity DECIMAL(38,12),
        pricing_unit VARCHAR,
        provider_name VARCHAR NOT NULL,
        publisher_name VARCHAR NOT NULL,
        service_category VARCHAR NOT NULL,
        service_name VARCHAR NOT NULL,
        tags JSON,
        extra JSON,
        initiative VARCHAR,
        allocation_rule VARCHAR NOT NULL
    )""",
)
