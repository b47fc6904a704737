"""The Right-Size Lab's runs and hardware profiles in the store.

* ``record_run`` stores a finished ``LabReport`` (``to_dict()`` as JSON) with its config and
  the ONNX files of its frontier candidates; ``list_runs`` and ``load_run`` read them back.
* ``hardware_profiles`` maps the ``hardware_profile`` rows to the engine's ``HardwareProfile``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import pandas as pd

from core.errors import NotFoundError
from core.lab.workloads import get_workload
from core.rightsize.config import LabConfig
from core.rightsize.pricing import DEFAULT_PROFILES, HardwareProfile
from core.rightsize.report import LabReport

if TYPE_CHECKING:
    from core.auth import Actor
    from core.store import Store


def record_run(store: Store, actor: Actor, workload_id: int, config: LabConfig, report: LabReport, *,
               started_at: dt.datetime | None = None) -> int:
    """Store a finished lab run (permission ``run_lab`` for the workload's business unit).

    Keeps the report (``to_dict()``), the config, and the ONNX bytes of the frontier, the best
    and the recommended candidates. Returns the run id.
    """
    workload = get_workload(store, workload_id)
    store.require(actor, "run_lab", action="lab.run", target=workload.name, business_unit=workload.business_unit)
    keep = set(report.frontier) | {report.best, report.recommended}
    onnx = [(name, data) for name, data in report.onnx_bytes_by_name.items() if name in keep]
    report_json = json.dumps(report.to_dict(), allow_nan=False)
    with store.write(actor, "run_lab", action="lab.run", target=workload.name,
                     business_unit=workload.business_unit,
                     detail={"workload_id": workload.id, "recommended": report.recommended}) as cur:
        run_id = cur.execute(
            "INSERT INTO benchmark_run (workload_id, config, report, recommended, best, started_at, run_by, "
            "status) VALUES (?, ?, ?, ?, ?, ?, ?, 'finished') RETURNING id",
            [workload.id, json.dumps(config.to_dict()), report_json, report.recommended, report.best,
             started_at or dt.datetime.now(), actor.name]).fetchone()[0]
        for name, data in onnx:
            cur.execute("INSERT INTO benchmark_onnx (benchmark_run_id, candidate_name, onnx_bytes) VALUES (?, ?, ?)",
                        [run_id, name, data])
        # the workload remembers the target it was last run with (shown in the workload list)
        cur.execute("UPDATE workload SET target = ?, task = ? WHERE id = ?", [report.target, report.task, workload.id])
    return run_id


def list_runs(store: Store, workload_id: int | None = None) -> pd.DataFrame:
    """Stored runs (newest first), optionally of one workload; no report bodies."""
    where, params = ("WHERE r.workload_id = ?", [int(workload_id)]) if workload_id is not None else ("", [])
    return store.frame(
        "SELECT r.id, r.workload_id, w.name AS workload, w.business_unit, r.recommended, r.best, "
        "r.finished_at, r.run_by FROM benchmark_run r JOIN workload w ON w.id = r.workload_id "
        f"{where} ORDER BY r.finished_at DESC, r.id DESC", params)


def load_run(store: Store, run_id: int) -> tuple[LabReport, int]:
    """The stored report of run ``run_id`` (ONNX bytes of kept candidates attached) and its workload id."""
    row = store.one("SELECT report, workload_id FROM benchmark_run WHERE id = ?", [int(run_id)])
    if row is None:
        raise NotFoundError(f"There is no lab run #{run_id}. Pick one from the list.")
    onnx = dict(store.rows("SELECT candidate_name, onnx_bytes FROM benchmark_onnx WHERE benchmark_run_id = ?",
                           [int(run_id)]))
    return LabReport.from_dict(json.loads(row[0]), {k: bytes(v) for k, v in onnx.items()}), row[1]


def hardware_profiles(store: Store) -> tuple[HardwareProfile, ...]:
    """The store's ``hardware_profile`` rows as engine profiles (name order); the engine's
    ``DEFAULT_PROFILES`` while the table is empty (a store made by ``factory init``), so the
    page and the CLI price a first lab run on the same profiles."""
    rows = store.rows("SELECT name, location, price_per_hour_usd::DOUBLE, cores, watts, target_utilisation, "
                      "accelerator, overhead_per_request_usd::DOUBLE, overhead_per_month_usd::DOUBLE "
                      "FROM hardware_profile ORDER BY name")
    return tuple(HardwareProfile(name=r[0], location=r[1], price_per_hour_usd=r[2], cores=int(r[3]),
                                 watts=float(r[4]), target_utilisation=float(r[5]), accelerator=r[6],
                                 overhead_per_request_usd=r[7], overhead_per_month_usd=r[8])
                 for r in rows) or DEFAULT_PROFILES

