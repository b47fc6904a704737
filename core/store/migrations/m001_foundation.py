"""Foundation schema: business units, initiatives, money, usage facts, models, users, audit.

Money is DECIMAL (never NaN or infinity). ``usage_event`` is the big fact table (tens of
millions of rows, appended in file order by imports); ``usage_monthly`` is its rollup,
maintained at write time by ``core.portfolio.usage`` so pages never scan the facts.
"""

STATEMENTS = (
    """CREATE TABLE store_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)""",
    """INSERT INTO store_meta VALUES ('revision', '0'), ('demo_mode', 'false')""",
    """CREATE TABLE business_unit (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL
    )""",
    """CREATE TABLE initiative (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        business_unit VARCHAR NOT NULL REFERENCES business_unit(code),
        stage VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        bu_owner VARCHAR NOT NULL,
        platform_owner VARCHAR NOT NULL,
        kpi_name VARCHAR,
        kpi_unit VARCHAR,
        kpi_baseline DOUBLE,
        kpi_target DOUBLE,
        kpi_current DOUBLE,
        risk_tier VARCHAR NOT NULL,
        deployment VARCHAR NOT NULL,
        guardrails VARCHAR NOT NULL,
        start_date DATE NOT NULL,
        stage_since DATE NOT NULL,
        description VARCHAR NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE stage_history (
        initiative VARCHAR NOT NULL,
        stage VARCHAR NOT NULL,
        entered DATE NOT NULL,
        PRIMARY KEY (initiative, stage)
    )""",
    """CREATE SEQUENCE financial_line_id_seq""",
    """CREATE TABLE financial_line (
        id BIGINT PRIMARY KEY DEFAULT nextval('financial_line_id_seq'),
        initiative VARCHAR NOT NULL,
        month DATE NOT NULL,
        category VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        scenario VARCHAR NOT NULL,
        amount DECIMAL(18, 2) NOT NULL,
        currency VARCHAR NOT NULL DEFAULT 'USD',
        import_sha256 VARCHAR
    )""",
    """CREATE TABLE hardware_profile (
        name VARCHAR PRIMARY KEY,
        location VARCHAR NOT NULL,
        price_per_hour_usd DECIMAL(12, 4) NOT NULL,
        cores INTEGER NOT NULL,
        accelerator VARCHAR,
        watts DOUBLE NOT NULL,
        target_utilisation DOUBLE NOT NULL DEFAULT 0.6,
        description VARCHAR NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE usage_event (
        ts TIMESTAMP NOT NULL,
        initiative VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        model VARCHAR NOT NULL,
        operation VARCHAR NOT NULL,
        requests INTEGER NOT NULL,
        input_tokens BIGINT NOT NULL,
        output_tokens BIGINT NOT NULL,
        cached_input_tokens BIGINT NOT NULL DEFAULT 0,
        latency_ms DOUBLE,
        cost_usd DECIMAL(18, 8) NOT NULL,
        location VARCHAR NOT NULL,
        hardware VARCHAR NOT NULL,
        import_sha256 VARCHAR
    )""",
    """CREATE TABLE usage_monthly (
        month DATE NOT NULL,
        initiative VARCHAR NOT NULL,
        model VARCHAR NOT NULL,
        location VARCHAR NOT NULL,
        hardware VARCHAR NOT NULL,
        events BIGINT NOT NULL,
        requests BIGINT NOT NULL,
        input_tokens BIGINT NOT NULL,
        output_tokens BIGINT NOT NULL,
        cost_usd DECIMAL(18, 6) NOT NULL,
        latency_ms_sum DOUBLE NOT NULL,
        latency_count BIGINT NOT NULL,
        PRIMARY KEY (month, initiative, model, location, hardware)
    )""",
    """CREATE SEQUENCE model_id_seq""",
    """CREATE TABLE model (
        id BIGINT PRIMARY KEY DEFAULT nextval('model_id_seq'),
        name VARCHAR NOT NULL,
        initiative VARCHAR NOT NULL,
        task VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        description VARCHAR NOT NULL DEFAULT '',
        UNIQUE (initiative, name)
    )""",
    """CREATE SEQUENCE model_version_id_seq""",
    """CREATE TABLE model_version (
        id BIGINT PRIMARY KEY DEFAULT nextval('model_version_id_seq'),
        model_id BIGINT NOT NULL,
        version VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        onnx_sha256 VARCHAR,
        size_bytes BIGINT,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        created_by VARCHAR NOT NULL,
        UNIQUE (model_id, version)
    )""",
    """CREATE TABLE app_user (
        name VARCHAR PRIMARY KEY,
        role VARCHAR NOT NULL,
        business_unit VARCHAR,
        password_hash VARCHAR NOT NULL,
        display_name VARCHAR NOT NULL DEFAULT '',
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    """CREATE SEQUENCE audit_event_id_seq""",
    """CREATE TABLE audit_event (
        id BIGINT PRIMARY KEY DEFAULT nextval('audit_event_id_seq'),
        ts TIMESTAMP NOT NULL DEFAULT current_timestamp,
        actor VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        action VARCHAR NOT NULL,
        target VARCHAR NOT NULL,
        detail JSON NOT NULL
    )""",
    """CREATE TABLE import_ledger (
        sha256 VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        rows_added BIGINT NOT NULL,
        actor VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
)
