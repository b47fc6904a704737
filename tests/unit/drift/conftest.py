"""A hand-made store for the drift monitor: two initiatives, three models, small windows.

Model 1 (initiative A, RETAIL) and model 2 (also A) drift: ``x`` shifts by 3σ and a level
"c" appears in ``colour``; model 3 (initiative B, OPS) never changes. Windows have 200
rows, so the automatic methods are KS (numeric) and chi-squared (categorical), and the new
level gives χ² = +infinity. Benefit booked by A in Feb 2026 (the as-of month): 1,000 + 234.5.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from core.drift.storage import append_window, declare_features

TYPES = {"x": "numeric", "colour": "categorical"}
ROWS = 200


def window_table(seed: int, shifted: bool) -> pa.Table:
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0 if shifted else 0.0, 1.0, ROWS)
    x[:3] = np.nan  # missing values travel through the store
    colour = rng.choice(["a", "b", "c"] if shifted else ["a", "b"], ROWS)
    return pa.table({"x": x, "colour": colour})


OUTCOMES = pa.table({"label": ["1", "0", "1", "1"] * (ROWS // 4), "prediction": ["1", "0", "0", "1"] * (ROWS // 4)})


@pytest.fixture
def drift_store(empty_store):
    store = empty_store
    with store.system_write(action="test.fixture") as cur:
        cur.executemany("INSERT INTO business_unit (code, name) VALUES (?, ?)", [["RETAIL", "Retail"], ["OPS", "Operations"]])
        for code, bu in (("A", "RETAIL"), ("B", "OPS")):
            cur.execute(
                "INSERT INTO initiative (code, name, business_unit, stage, kind, bu_owner, platform_owner, risk_tier,"
                " deployment, guardrails, start_date, stage_since) VALUES (?, ?, ?, 'production', 'predictive',"
                " 'Owner', 'Platform', 'low', 'cloud', 'none', DATE '2025-01-01', DATE '2025-06-01')",
                [code, f"Initiative {code}", bu])
        cur.executemany(
            "INSERT INTO financial_line (initiative, month, category, kind, scenario, amount) VALUES (?, ?, ?, ?, ?, ?)",
            [["A", dt.date(2026, 2, 1), "value", "benefit", "actual", 1000],
             ["A", dt.date(2026, 2, 1), "value", "benefit", "actual", 234.5],
             ["A", dt.date(2026, 1, 1), "value", "benefit", "actual", 9999],
             ["A", dt.date(2026, 2, 1), "value", "benefit", "plan", 5555],
             ["B", dt.date(2026, 2, 1), "value", "benefit", "actual", 777]])
        cur.executemany("INSERT INTO model (id, name, initiative, task, provider) VALUES (?, ?, ?, 'classification', 'in-house')",
                        [[1, "a-main", "A"], [2, "a-backup", "A"], [3, "b-main", "B"]])
        for model_id in (1, 2, 3):
            declare_features(cur, model_id, TYPES)
            for n, month in enumerate((1, 2)):
                shifted = model_id in (1, 2) and month == 2
                append_window(cur, model_id, f"2026-0{month}", dt.date(2026, month, 1),
                              window_table(10 * model_id + n, shifted), OUTCOMES)
    return store
