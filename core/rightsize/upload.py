"""Checks on a model uploaded to the lab: every untrusted-file check of
``core.models.onnx_checks``, then its inputs against the workload's feature columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import onnx

from core.models.onnx_checks import UploadRejected, check_model_file, declared_opsets, reject
from core.rightsize.inputs import InputBinding, InputSpec, expected_inputs, name_key
from core.rightsize.workload import Workload

__all__ = ["UploadCheckResult", "UploadRejected", "check_upload", "match_inputs"]

_ELEM_NAMES = {onnx.TensorProto.FLOAT: "float", onnx.TensorProto.STRING: "string"}


@dataclass(frozen=True)
class UploadCheckResult:
    """An upload that passed every check: its bytes and how to feed it."""

    name: str
    model_bytes: bytes
    binding: InputBinding
    opset: int | None  # of the default (ai.onnx) domain; None for a model that imports only others
    opsets: tuple[tuple[str, int], ...] = ()  # (domain, version) for every imported domain


def _input_signature(value_info) -> tuple[str, str, list]:
    tensor = value_info.type.tensor_type
    elem = _ELEM_NAMES.get(tensor.elem_type, onnx.TensorProto.DataType.Name(tensor.elem_type).lower()
                           if tensor.elem_type else "non-tensor")
    dims = [d.dim_value if d.HasField("dim_value") else (d.dim_param or "?") for d in tensor.shape.dim]
    return value_info.name, elem, dims


def _matches(spec: InputSpec, signature) -> bool:
    _, elem, dims = signature
    width = dims[1] if len(dims) == 2 else None
    return elem == spec.elem and len(dims) == 2 and (not isinstance(width, int) or width in (0, spec.width))


def _listing(items: list[str], shown: int = 8) -> str:
    more = f"; … {len(items) - shown} more" if len(items) > shown else ""
    return "; ".join(items[:shown]) + more


def match_inputs(model: onnx.ModelProto, workload: Workload, name: str) -> InputBinding:
    """How to feed the model from the workload's columns, or ``UploadRejected`` naming both sides.

    Accepted: one float input [N, F] when every feature is numeric (columns in workload order),
    or one input per feature column with the column's name, float [N, 1] or string [N, 1].
    """
    initializers = {t.name for t in model.graph.initializer}
    found = [_input_signature(v) for v in model.graph.input if v.name not in initializers]
    all_columns = tuple(workload.features.columns)
    if workload.input_layout == "matrix" and len(found) == 1:
        (spec,) = expected_inputs(workload, "matrix")
        if _matches(spec, found[0]):
            return InputBinding("matrix", (found[0][0],), all_columns)
    # one input per column, matched by name regardless of spelling ("unit price" ~ "unit_price")
    specs = {name_key(spec.name): spec for spec in expected_inputs(workload, "columns")}
    by_key = {name_key(signature[0]): signature for signature in found}
    if len(by_key) == len(found) == len(specs) and set(by_key) == set(specs) \
            and all(_matches(specs[key], by_key[key]) for key in specs):
        return InputBinding("columns", tuple(signature[0] for signature in found),
                            tuple(specs[name_key(signature[0])].name for signature in found))
    expected = [expected_inputs(workload, "columns")]
    if workload.input_layout == "matrix":
        expected.insert(0, expected_inputs(workload, "matrix"))
    wanted = " or ".join(_listing([spec.describe() for spec in layout]) for layout in expected)
    got = _listing([f"{n} ({e}, [{', '.join(map(str, dims))}])" for n, e, dims in found]) or "no inputs"
    raise reject(name, f"its inputs do not match the workload's feature columns. Expected {wanted}. "
                        f"Found {got}",
                  "Export the model with inputs named like the workload's columns (or one float "
                  "matrix in column order for an all-numeric workload)")


def check_upload(data: bytes, workload: Workload, name: str = "model.onnx",
                 max_bytes: int | None = None) -> UploadCheckResult:
    """Run every check on an uploaded model's bytes; ``UploadRejected`` on the first failure."""
    model = check_model_file(data, name, max_bytes)
    binding = match_inputs(model, workload, name)
    opsets = declared_opsets(model)
    opset = next((version for domain, version in opsets if domain == "ai.onnx"), None)
    return UploadCheckResult(name=name, model_bytes=data, binding=binding, opset=opset, opsets=opsets)
