"""The price book moves from code into the store: ``model_price``, one row per model and the
date its price took effect. A usage row without ``cost_usd`` is priced with the row valid at
its own timestamp (``core.ingest.price_book``).

A store that already holds usage was priced with the seven list prices of the code's table
(version 2026-11-v1, applied to every date); those rows are kept here, valid from 2000-01-01,
so the store goes on pricing as it did. A new, empty store starts with no prices.
"""

STATEMENTS = (
    """CREATE TABLE model_price (
        model VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        valid_from DATE NOT NULL,
        input_usd_per_1m DECIMAL(18, 6) NOT NULL CHECK (input_usd_per_1m >= 0),
        output_usd_per_1m DECIMAL(18, 6) NOT NULL CHECK (output_usd_per_1m >= 0),
        cached_input_usd_per_1m DECIMAL(18, 6) CHECK (cached_input_usd_per_1m >= 0),
        usd_per_request DECIMAL(18, 8) CHECK (usd_per_request >= 0),
        source VARCHAR NOT NULL DEFAULT '',
        PRIMARY KEY (model, valid_from)
    )""",
    """INSERT INTO model_price (model, provider, valid_from, input_usd_per_1m, output_usd_per_1m, source)
       SELECT * FROM (VALUES
           ('claude-haiku', 'anthropic', DATE '2000-01-01', 0.80, 4.00, 'list price 2026-11-v1'),
           ('claude-sonnet', 'anthropic', DATE '2000-01-01', 3.00, 15.00, 'list price 2026-11-v1'),
           ('gemini-1.5-flash', 'gcp.gemini', DATE '2000-01-01', 0.075, 0.30, 'list price 2026-11-v1'),
           ('gpt-4.1', 'openai', DATE '2000-01-01', 2.00, 8.00, 'list price 2026-11-v1'),
           ('gpt-4.1-mini', 'openai', DATE '2000-01-01', 0.40, 1.60, 'list price 2026-11-v1'),
           ('gpt-4o', 'openai', DATE '2000-01-01', 2.50, 10.00, 'list price 2026-11-v1'),
           ('gpt-4o-mini', 'openai', DATE '2000-01-01', 0.15, 0.60, 'list price 2026-11-v1')
       ) WHERE EXISTS (SELECT 1 FROM usage_event)""",
)
