"""A right-size run in the demo store, so the Right-Size Lab, the Model Registry, the
Initiative page and the ROI scenarios show an adopted recommendation on a fresh machine.

It goes through the same core functions a team lead's clicks do (register and promote the
model in production, save the workload, run the lab, record the run, adopt, approve) as the
demo's administrator, so the audit log shows every step. The workload is a synthetic,
deterministic retail churn table; the initiative's model in production today is an oversized
300-tree random forest trained on it, which the lab measures in the same run: the adopted
saving is measured against it (``core.models.adoption``), not against the usage logs.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.models.adoption import adopt_recommendation
from core.auth import Actor
from core.models.catalogue import production_onnx, register_model_version, set_version_status
from core.rightsize.config import LabConfig
from core.rightsize.convert import convert_pipeline
from core.rightsize.lab import run_lab
from core.rightsize.ladder import build_pipeline, training_matrix
from core.rightsize.workload import prepare_workload, split_workload
from core.lab.runs import hardware_profiles, record_run
from core.lab.workloads import save_workload

if TYPE_CHECKING:
    from core.store import Store

DEMO_BUILDER = Actor("demo-builder", "admin", display_name="Demo builder")
WORKLOAD_ROWS = 5_000
SEGMENTS = ("mass", "affluent", "young", "senior")
REGIONS = ("north", "south", "east", "west", "capital")


def churn_workload(seed: int, rows: int = WORKLOAD_ROWS) -> pd.DataFrame:
    """Customers with a `churned` label drawn from a logistic model of their behaviour."""
    rng = np.random.default_rng(seed + 101)
    frame = pd.DataFrame({
        "tenure_months": rng.integers(1, 240, rows),
        "monthly_fee_usd": rng.gamma(2.0, 9.0, rows).round(2),
        "products_held": rng.integers(1, 7, rows),
        "calls_last_90d": rng.poisson(1.2, rows),
        "complaints_last_year": rng.poisson(0.3, rows),
        "digital_logins_30d": rng.poisson(9.0, rows),
        "overdraft_days": rng.poisson(2.0, rows),
        "segment": rng.choice(SEGMENTS, rows),
        "region": rng.choice(REGIONS, rows),
    })
    # Non-linear on purpose (thresholds and interactions), so the large tree ensembles earn
    # the best quality and the lab has a real trade-off to recommend on.
    logit = (-1.0 + 2.2 * (frame["tenure_months"] < 12)
             + 1.6 * ((frame["complaints_last_year"] >= 1) & (frame["calls_last_90d"] >= 2))
             + 1.1 * ((frame["monthly_fee_usd"] > 25) & (frame["segment"] == "young"))
             - 0.45 * frame["products_held"] - 1.2 * (frame["digital_logins_30d"] > 12)
             + 0.9 * (frame["overdraft_days"] > 4) * (frame["region"] == "capital"))
    frame["churned"] = (rng.random(rows) < 1 / (1 + np.exp(-2.5 * logit))).astype(int)
    return frame


def _busiest_live_predictive_initiative(store: Store, business_unit: str) -> str | None:
    """The live predictive initiative of the unit with the most requests (None if it has none)."""
    return store.scalar(
        """
        SELECT i.code FROM initiative i JOIN usage_monthly u ON u.initiative = i.code
        WHERE i.business_unit = ? AND i.kind = 'predictive' AND i.stage IN ('production', 'scaled')
        GROUP BY i.code ORDER BY sum(u.requests) DESC, i.code LIMIT 1
        """,
        [business_unit],
    )


def register_todays_model(store: Store, frame: pd.DataFrame, initiative: str, *, seed: int) -> int:
    """Train the model the initiative runs today (300 deep trees: what a team ships before anyone
    right-sizes it), convert it to ONNX, register it and promote it to production; its version id."""
    from sklearn.ensemble import RandomForestClassifier

    config = LabConfig(seed=seed)
    workload = prepare_workload(frame, "churned", config, "Retail churn")
    split = split_workload(workload, config)
    forest = RandomForestClassifier(n_estimators=300, max_depth=14, min_samples_leaf=2, n_jobs=2, random_state=seed)
    pipeline = build_pipeline(workload, forest, scale=False)
    pipeline.fit(training_matrix(workload, split.X_train), split.y_train)
    converted = convert_pipeline(pipeline, training_matrix(workload, split.X_test)[:1], workload.input_layout)
    version_id = register_model_version(store, DEMO_BUILDER, initiative, "churn-forest", converted.model_bytes,
                                        task="classification", version="1")
    for status in ("approved", "production"):
        set_version_status(store, DEMO_BUILDER, version_id, status)
    return version_id


def seed_demo_lab(store: Store, *, seed: int) -> int | None:
    """Register today's model, run the lab on the churn workload (measuring it too), adopt the
    recommendation; return the run id."""
    frame = churn_workload(seed)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    initiative = _busiest_live_predictive_initiative(store, "RETAIL")
    if initiative is not None:
        register_todays_model(store, frame, initiative, seed=seed)
    production = production_onnx(store, initiative) if initiative is not None else None
    workload = save_workload(store, DEMO_BUILDER, "Retail churn benchmark", buffer.getvalue().encode(),
                             file_name="retail-churn.csv", business_unit="RETAIL", initiative=initiative)
    config = LabConfig(seed=seed)
    report = run_lab(frame, "churned", config, profiles=hardware_profiles(store), workload_name=workload.name,
                     today=(production.label, production.model_bytes) if production else None)
    run_id = record_run(store, DEMO_BUILDER, workload.id, config, report)
    if initiative is not None and report.recommended is not None:
        adoption = adopt_recommendation(store, DEMO_BUILDER, run_id, report.recommended, initiative)
        set_version_status(store, DEMO_BUILDER, adoption.model_version_id, "approved")
    return run_id
