"""The model registry: models, their versions (ONNX files), metadata and the status workflow.

Workflow: candidate → approved → production → retired (and any state but retired → retired).
A status change needs the permission ``approve_model`` — an admin, or the team lead of the
business unit that owns the model's initiative — and is recorded in the audit log.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.errors import NotFoundError, ValidationError
from core.models.onnx_checks import TASKS, UploadRejected, check_model_file, declared_opsets, opsets_text
from core.models.runtime_check import check_runtime_loads

if TYPE_CHECKING:
    from core.auth import Actor
    from core.store import Store

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "candidate": ("approved", "retired"),
    "approved": ("production", "retired"),
    "production": ("retired",),
    "retired": (),
}


@dataclass(frozen=True)
class OnnxMetadataResult:
    """What the registry shows about an ONNX file."""

    opset: int | None  # default (ai.onnx) domain only: the ``opset`` column; None for an ai.onnx.ml-only model
    inputs: tuple[dict, ...]  # {"name", "type", "shape"}
    outputs: tuple[dict, ...]
    node_count: int
    size_bytes: int
    sha256: str
    opsets: tuple[tuple[str, int], ...] = ()  # (domain, version) for every imported domain


@dataclass(frozen=True)
class StatusChangeResult:
    version_id: int
    old_status: str
    new_status: str


def _describe_value(value) -> dict:
    import onnx

    kind = value.type.WhichOneof("value")
    if kind == "tensor_type":
        tensor = value.type.tensor_type
        shape = [d.dim_param or (d.dim_value if d.HasField("dim_value") else "?") for d in tensor.shape.dim]
        return {"name": value.name, "type": onnx.TensorProto.DataType.Name(tensor.elem_type).lower(),
                "shape": shape}
    return {"name": value.name, "type": kind or "unknown", "shape": []}


def onnx_metadata(model_bytes: bytes) -> OnnxMetadataResult:
    """Opsets (per domain, and the default domain's alone), inputs/outputs, node count, size and
    sha256 of an ONNX file."""
    import onnx
    from google.protobuf.message import DecodeError

    try:
        model = onnx.load_model_from_string(model_bytes)
    except (DecodeError, ValueError) as error:
        raise ValidationError(f"Not an ONNX model ({type(error).__name__}); upload a .onnx file.") from error
    opsets = declared_opsets(model)
    opset = next((version for domain, version in opsets if domain == "ai.onnx"), None)
    return OnnxMetadataResult(
        opset=opset, opsets=opsets, inputs=tuple(_describe_value(v) for v in model.graph.input),
        outputs=tuple(_describe_value(v) for v in model.graph.output), node_count=len(model.graph.node),
        size_bytes=len(model_bytes), sha256=hashlib.sha256(model_bytes).hexdigest())


def initiatives_permitting(store: Store, actor: Actor, permission: str) -> list[tuple[str, str]]:
    """(code, name) of the initiatives whose business unit ``actor`` holds ``permission`` for, by name."""
    rows = store.rows("SELECT code, name, business_unit FROM initiative ORDER BY name")
    return [(code, name) for code, name, unit in rows if actor.can(permission, unit)]


def initiative_business_unit(store: Store, initiative_code: str) -> str:
    """The business unit of the initiative; ``NotFoundError`` when there is none."""
    unit = store.scalar("SELECT business_unit FROM initiative WHERE code = ?", [initiative_code])
    if unit is None:
        raise NotFoundError(f"There is no initiative with code '{initiative_code}'. Pick one from the list.")
    return unit


@dataclass(frozen=True)
class ProductionModel:
    """The ONNX file an initiative serves today: the model lab runs measure savings against."""

    version_id: int
    label: str  # "<model name> v<version>"
    model_bytes: bytes


def production_onnx(store: Store, initiative_code: str) -> ProductionModel | None:
    """The initiative's newest ``production`` model version that has an ONNX file, else None
    (a vendor API or an unregistered model: nothing the lab can measure)."""
    row = store.one(
        "SELECT v.id, m.name, v.version, v.onnx_bytes FROM model_version v JOIN model m ON m.id = v.model_id "
        "WHERE m.initiative = ? AND v.status = 'production' AND v.onnx_bytes IS NOT NULL "
        "ORDER BY v.created_at DESC, v.id DESC LIMIT 1", [initiative_code])
    if row is None:
        return None
    return ProductionModel(row[0], f"{row[1]} v{row[2]}", bytes(row[3]))


def insert_model_version(cur, actor: Actor, initiative_code: str, model_name: str, model_bytes: bytes, *,
                         task: str, version: str, workload_id: int | None = None,
                         benchmark_run_id: int | None = None, quality: float | None = None,
                         cost_per_1m_usd: float | None = None,
                         description: str = "Registered from the Right-Size Lab (ONNX Runtime).") -> int:
    """Add a ``candidate`` version (creating the model when needed) INSIDE the caller's write.

    The caller holds the permission (``upload_model`` or ``adopt``) for the initiative's unit.
    """
    meta = onnx_metadata(model_bytes)
    model_id = cur.execute("SELECT id FROM model WHERE initiative = ? AND name = ?",
                           [initiative_code, model_name]).fetchone()
    if model_id is None:
        model_id = cur.execute(
            "INSERT INTO model (name, initiative, task, provider, description) VALUES (?, ?, ?, ?, ?) RETURNING id",
            [model_name, initiative_code, task, "self-hosted", description]).fetchone()
    return cur.execute(
        "INSERT INTO model_version (model_id, version, status, onnx_sha256, size_bytes, created_by, onnx_bytes, "
        "opset, opsets, inputs_json, outputs_json, node_count, workload_id, benchmark_run_id, quality, cost_per_1m_usd) "
        "VALUES (?, ?, 'candidate', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [model_id[0], version, meta.sha256, meta.size_bytes, actor.name, model_bytes, meta.opset,
         opsets_text(meta.opsets) if meta.opsets else None,
         json.dumps(list(meta.inputs)), json.dumps(list(meta.outputs)), meta.node_count, workload_id,
         benchmark_run_id, quality, cost_per_1m_usd]).fetchone()[0]


def register_model_version(store: Store, actor: Actor, initiative_code: str, model_name: str,
                           model_bytes: bytes, *, task: str, version: str, **lineage) -> int:
    """Register an ONNX file as a new ``candidate`` version (permission ``upload_model``)."""
    unit = initiative_business_unit(store, initiative_code)
    with store.write(actor, "upload_model", action="model.register", target=f"{initiative_code}/{model_name}",
                     business_unit=unit, detail={"version": version}) as cur:
        return insert_model_version(cur, actor, initiative_code, model_name, model_bytes, task=task,
                                    version=version, **lineage)


def register_uploaded_model(store: Store, actor: Actor, initiative_code: str, model_name: str,
                            model_bytes: bytes, *, task: str, version: str, file_name: str = "model.onnx") -> int:
    """Register an ONNX file uploaded outside the Lab (a model trained elsewhere) as a new
    ``candidate`` version, after every untrusted-file check (``check_model_file``) and a load in
    ONNX Runtime in a limited process (``check_runtime_loads``); permission
    ``upload_model`` for the initiative's business unit. ``ValidationError`` (nothing written)
    for an empty name or version, an unknown task, a version the model already has, or a file
    that is not a safe, valid ONNX model. Returns the version id."""

    unit = initiative_business_unit(store, initiative_code)
    store.require(actor, "upload_model", action="model.register", target=f"{initiative_code}/{model_name}",
                  business_unit=unit)
    model_name, version = (model_name or "").strip(), (version or "").strip()
    if not model_name or len(model_name) > 120:
        raise ValidationError("Model name: give the model a name (at most 120 characters), e.g. churn-gbm.")
    if not version or len(version) > 40:
        raise ValidationError("Version: give this file a version (at most 40 characters), e.g. 2026.11 or v3.")
    if task not in TASKS:
        raise ValidationError(f"Task: expected one of {', '.join(TASKS)}, got {task!r}.")
    taken = store.scalar("SELECT count(*) FROM model_version v JOIN model m ON m.id = v.model_id "
                         "WHERE m.initiative = ? AND m.name = ? AND v.version = ?", [initiative_code, model_name, version])
    if taken:
        raise ValidationError(f"{model_name} already has a version {version!r} for {initiative_code}; "
                              "give this file a new version.")
    try:
        check_model_file(model_bytes, file_name)
        check_runtime_loads(model_bytes, file_name)  # a model ONNX Runtime cannot load is never served
    except UploadRejected as error:
        raise ValidationError(str(error)) from error
    return register_model_version(store, actor, initiative_code, model_name, model_bytes, task=task, version=version,
                                  description=f"Uploaded to the Model Registry ({file_name}).")


def list_models(store: Store) -> pd.DataFrame:
    """Models with their initiative, unit, version count and the newest version's status."""
    return store.frame(
        """
        SELECT m.id, m.name, m.initiative, i.name AS initiative_name, i.business_unit, m.task, m.provider,
               count(v.id) AS versions,
               arg_max(v.status, v.created_at) AS latest_status
        FROM model m JOIN initiative i ON i.code = m.initiative
        LEFT JOIN model_version v ON v.model_id = m.id
        GROUP BY ALL ORDER BY (count(v.id) = 0), m.initiative, m.name
        """)


@dataclass(frozen=True)
class RegistrySummaryResult:
    models: int
    with_versions: int
    latest_approved: int  # models whose newest version is approved
    latest_production: int


def registry_summary(store: Store) -> RegistrySummaryResult:
    """Counts for the registry's headline tiles."""
    models = list_models(store)
    latest = models.loc[models["versions"] > 0, "latest_status"]
    return RegistrySummaryResult(len(models), len(latest), int((latest == "approved").sum()),
                                 int((latest == "production").sum()))


def model_versions(store: Store, model_id: int) -> pd.DataFrame:
    """Versions of one model with metadata and lineage (no ONNX bytes), newest first.

    ``opsets``: every imported domain with its version ('ai.onnx 17, ai.onnx.ml 3'), as recorded
    at registration; for a version registered before that was recorded, the default domain's
    ``opset`` ('ai.onnx 17'), and '—' when neither is known.
    """
    return store.frame(
        """
        SELECT v.id, v.version, v.status, v.size_bytes, v.opset, v.node_count, v.inputs_json, v.outputs_json,
               coalesce(v.opsets, 'ai.onnx ' || v.opset, '—') AS opsets,
               v.quality, v.cost_per_1m_usd, v.workload_id, w.name AS workload, v.benchmark_run_id,
               v.onnx_sha256, v.created_at, v.created_by, v.onnx_bytes IS NOT NULL AS has_onnx
        FROM model_version v LEFT JOIN workload w ON w.id = v.workload_id
        WHERE v.model_id = ? ORDER BY v.created_at DESC, v.id DESC
        """, [int(model_id)])


def version_onnx_bytes(store: Store, version_id: int) -> bytes:
    """The stored ONNX file of a version; ``NotFoundError`` when it has none."""
    data = store.scalar("SELECT onnx_bytes FROM model_version WHERE id = ?", [int(version_id)])
    if data is None:
        raise NotFoundError(f"Model version #{version_id} has no stored ONNX file.")
    return bytes(data)


def allowed_transitions(status: str) -> tuple[str, ...]:
    """The states a version in ``status`` may move to (``TRANSITIONS``; none for unknown)."""
    return TRANSITIONS.get(status, ())


def version_business_unit(store: Store, version_id: int) -> tuple[str, str]:
    """(current status, business unit of the owning initiative) of a version."""
    row = store.one("SELECT v.status, i.business_unit FROM model_version v JOIN model m ON m.id = v.model_id "
                    "JOIN initiative i ON i.code = m.initiative WHERE v.id = ?", [int(version_id)])
    if row is None:
        raise NotFoundError(f"There is no model version #{version_id}. Pick one from the list.")
    return row[0], row[1]


def set_version_status(store: Store, actor: Actor, version_id: int, new_status: str) -> StatusChangeResult:
    """Move a version along the workflow (permission ``approve_model`` for its business unit).

    Illegal moves raise ``ValidationError`` naming the allowed next states.
    """
    old_status, unit = version_business_unit(store, version_id)
    store.require(actor, "approve_model", action="model.status", target=f"model_version/{version_id}",
                  business_unit=unit)
    allowed = allowed_transitions(old_status)
    if new_status not in allowed:
        choices = ", ".join(allowed) if allowed else "none (retired is final)"
        raise ValidationError(f"Model version #{version_id} is {old_status}; it cannot become {new_status!r}. "
                              f"Allowed next states: {choices}.")
    with store.write(actor, "approve_model", action="model.status", target=f"model_version/{version_id}",
                     business_unit=unit, detail={"from": old_status, "to": new_status}) as cur:
        # the status read above may be stale (two reviewers at once): move only from that status,
        # checked inside the transaction, so approve and retire of one version cannot both win
        cur.execute("UPDATE model_version SET status = ? WHERE id = ? AND status = ? RETURNING id",
                    [new_status, int(version_id), old_status])
        if not cur.fetchall():
            now = cur.execute("SELECT status FROM model_version WHERE id = ?", [int(version_id)]).fetchone()
            raise ValidationError(f"Model version #{version_id} was changed by someone else: it is now "
                                  f"{now[0] if now else 'gone'}, not {old_status}. Reload it and decide again; "
                                  "nothing was changed.")
    return StatusChangeResult(int(version_id), old_status, new_status)
