"""Demo feature snapshots for the drift monitor: four predictive models, eight monthly windows.

The first production (or scaled) classification model of each of four business units gets
a story, in this order:

* ``gradual`` — a population shift that starts five months before the reporting month and
  grows each month (older, richer customers moving to the app): dataset drift by the end;
* ``new_category`` — a "partner" sales channel appears four months before the end and grows,
  with income and balance shifting: dataset drift, and chi-squared would say infinity;
* ``mild`` — one feature drifts a little from three months before the end: "possible drift";
* ``stable`` — the same population every month: no drift.

Values are drawn with numpy, one vectorised call per feature and window, from a generator
seeded by (seed, model, window), so the same seed always gives the same snapshots. Labels
follow a logistic rule whose coefficients move with the drift (concept drift); predictions
keep the reference window's rule, so accuracy falls where the population moved.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from core.drift.monitor import compute_all_windows
from core.drift.storage import append_window, declare_features

STORIES = ("gradual", "new_category", "mild", "stable")
WINDOWS = 8
ROWS_PER_WINDOW = 3_000
FEATURE_TYPES = {
    "age": "numeric", "income_k_usd": "numeric", "tenure_months": "numeric", "balance_k_usd": "numeric",
    "transactions_30d": "numeric", "channel": "categorical", "region": "categorical", "product": "categorical",
}
CHANNELS = np.array(["branch", "web", "app", "phone", "partner"])
REGIONS = np.array(["north", "south", "east", "west"])
PRODUCTS = np.array(["basic", "plus", "premium"])


def demo_models(cur, count: int = len(STORIES)) -> list[int]:
    """The first production/scaled classification model (not an edge copy) of ``count`` units."""
    rows = cur.execute(
        """
        SELECT m.id, i.business_unit FROM model m JOIN initiative i ON i.code = m.initiative
        WHERE m.task = 'classification' AND i.stage IN ('production', 'scaled') AND m.name NOT LIKE '%-edge'
        ORDER BY m.id
        """
    ).fetchall()
    chosen, units = [], set()
    for model_id, unit in rows:
        if unit not in units:
            chosen.append(model_id)
            units.add(unit)
    return chosen[:count]


def _ramp(window: int, start: int) -> float:
    """0 before ``start``, then rising linearly to 1 at the last window."""
    if window < start:
        return 0.0
    return (window - start + 1) / (WINDOWS - start)


def _window(rng: np.random.Generator, story: str, window: int) -> tuple[pa.Table, pa.Table]:
    n = ROWS_PER_WINDOW + int(rng.integers(0, 400))
    gradual = _ramp(window, 3) if story == "gradual" else 0.0
    new = _ramp(window, 4) if story == "new_category" else 0.0
    mild = 0.12 if story == "mild" and window >= 5 else 0.0
    age = np.clip(np.round(rng.normal(42 + 7 * gradual + 18 * mild, 12, n)), 18, 90)
    income = rng.lognormal(np.log(55) + 0.25 * gradual + 0.2 * new, 0.4, n)
    tenure = rng.gamma(2.0, 24 * (1 - 0.15 * gradual), n).round()
    balance = rng.lognormal(np.log(8) + 0.15 * gradual + 0.25 * new, 0.8, n)
    transactions = rng.poisson(12 * (1 + 0.15 * gradual + 0.2 * new), n).astype(np.float64)
    channel_p = np.array([0.25, 0.30, 0.30, 0.15, 0.0])
    channel_p = channel_p + gradual * np.array([-0.12, -0.05, 0.20, -0.03, 0.0])
    channel_p = channel_p * (1 - 0.3 * new) + np.array([0, 0, 0, 0, 0.3 * new])
    channel = CHANNELS[rng.choice(5, n, p=channel_p / channel_p.sum())]
    region = REGIONS[rng.choice(4, n, p=[0.3, 0.25, 0.25, 0.2])]
    product_p = np.array([0.5, 0.35, 0.15]) + new * np.array([-0.2, 0.05, 0.15])
    product = PRODUCTS[rng.choice(3, n, p=product_p / product_p.sum())]
    features = pa.table({
        "age": age, "income_k_usd": income.round(2), "tenure_months": tenure, "balance_k_usd": balance.round(2),
        "transactions_30d": transactions, "channel": channel, "region": region, "product": product,
    })
    # Reference rule (what the model learnt) vs the true rule, which moves with the drift.
    z_age, z_tx = (age - 42) / 12, (transactions - 12) / 3.5
    learnt = 0.9 * z_age - 0.8 * z_tx + 0.6 * (channel == "app")
    concept = gradual + new
    truth = (0.9 - 0.8 * concept) * z_age - (0.8 - 0.6 * concept) * z_tx + 0.6 * (channel == "app")
    label = (truth + rng.logistic(0, 0.45, n) > 0.3).astype(np.int64)
    prediction = (learnt > 0.3).astype(np.int64)
    return features, pa.table({"label": label, "prediction": prediction})


def month_starts(last_month: dt.date, count: int = WINDOWS) -> list[dt.date]:
    """``count`` first-of-month dates ending with ``last_month``'s month, oldest first."""
    months = []
    year, month = last_month.year, last_month.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def generate_snapshots(cur, *, seed: int) -> int:
    """Store the demo snapshots and their drift results; returns the windows stored.

    Runs inside the demo's ``system_write`` transaction, after models and money exist.
    """
    last = cur.execute("SELECT max(month) FROM financial_line WHERE scenario = 'actual'").fetchall()[0][0]
    months = month_starts(last or dt.date.today())
    stored = 0
    for index, model_id in enumerate(demo_models(cur)):
        story = STORIES[index]
        declare_features(cur, model_id, FEATURE_TYPES)
        for window, start in enumerate(months):
            rng = np.random.default_rng([seed, index, window])
            features, outcomes = _window(rng, story, window)
            append_window(cur, model_id, f"{start:%Y-%m}", start, features, outcomes)
            stored += 1
    compute_all_windows(cur, computed_by="system")
    return stored
