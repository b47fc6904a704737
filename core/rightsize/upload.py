"""Checks on an uploaded ONNX model, all done on the bytes BEFORE ONNX Runtime sees them.

In order: size limit → parses as an ONNX ModelProto → no external data anywhere → standard
operator domains only → ``onnx.checker.check_model(full_check=True)`` → inputs match the
workload. Each failure raises ``UploadRejected`` with a message a team lead can act on.
What the checks cannot catch (a valid graph that allocates 40 GB at run time) is left to the
measurement worker's memory and time limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import onnx
from google.protobuf.message import DecodeError

from core.errors import CoreError
from core.rightsize.inputs import InputBinding, InputSpec, expected_inputs, name_key
from core.rightsize.workload import Workload

ALLOWED_DOMAINS = ("", "ai.onnx", "ai.onnx.ml")
DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024**2
_SNIFFED_FORMATS = (  # magic bytes of files people rename to .onnx by mistake
    (b"PK\x03\x04", "a zip archive (a PyTorch .pt/.pth or a zipped folder?)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89HDF", "an HDF5 file (a Keras .h5 model?)"),
    (b"GGUF", "a GGUF file (a llama.cpp model)"),
)
_ELEM_NAMES = {onnx.TensorProto.FLOAT: "float", onnx.TensorProto.STRING: "string"}


class UploadRejected(CoreError):
    """An uploaded model failed a safety or compatibility check; nothing was run."""


@dataclass(frozen=True)
class UploadCheckResult:
    """An upload that passed every check: its bytes and how to feed it."""

    name: str
    model_bytes: bytes
    binding: InputBinding
    opset: int | None


def _reject(name: str, problem: str, fix: str) -> UploadRejected:
    return UploadRejected(f"{name}: {problem}. {fix}")


def _megabytes(size_bytes: int) -> str:
    return f"{size_bytes / 1024**2:,.1f} MB" if size_bytes >= 1024**2 else f"{size_bytes:,} bytes"


def _sniff(data: bytes) -> str | None:
    if data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return "a Python pickle (a scikit-learn/joblib or PyTorch file, which could run code when loaded)"
    return next((label for magic, label in _SNIFFED_FORMATS if data.startswith(magic)), None)


def parse_model(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES) -> onnx.ModelProto:
    """Size check and protobuf parse; rejects anything that is not a plausible ONNX model."""
    if not data:
        raise _reject(name, "the file is empty", "Upload the exported .onnx file")
    if len(data) > max_bytes:
        raise _reject(name, f"the file is {_megabytes(len(data))}, over the {_megabytes(max_bytes)} limit",
                      "Upload a smaller model, or ask an admin to raise the upload limit")
    fix = "Export the model to ONNX (for scikit-learn: skl2onnx.to_onnx) and upload the .onnx file"
    sniffed = _sniff(data)
    if sniffed:
        raise _reject(name, f"this is {sniffed}, not an ONNX model", fix)
    try:
        model = onnx.load_model_from_string(data)
    except (DecodeError, ValueError, RuntimeError) as error:
        raise _reject(name, f"not an ONNX model (the bytes do not parse: {error})", fix) from error
    # protobuf parses many byte strings "successfully" into empty messages: require the essentials
    if model.ir_version < 3 or not model.HasField("graph") or not model.opset_import \
            or not model.graph.output:
        raise _reject(name, "not an ONNX model (no IR version, graph, outputs or opset; the file may "
                            "be truncated or something else renamed .onnx)", fix)
    return model


def _tensors_in_attribute(attribute):
    yield from ([attribute.t] if attribute.HasField("t") else [])
    yield from attribute.tensors
    for sparse in ([attribute.sparse_tensor] if attribute.HasField("sparse_tensor") else []) \
            + list(attribute.sparse_tensors):
        yield sparse.values
        yield sparse.indices


def _subgraphs(attribute):
    yield from ([attribute.g] if attribute.HasField("g") else [])
    yield from attribute.graphs


def _walk_nodes(nodes, where: str):
    """Every node, with a location, recursing into subgraphs (If/Loop/Scan bodies)."""
    for node in nodes:
        label = f"{where} node '{node.name or node.op_type}'"
        yield node, label
        for attribute in node.attribute:
            for graph in _subgraphs(attribute):
                yield from _walk_nodes(graph.node, f"{label} / subgraph '{graph.name}'")


def _graph_tensors(graph, where: str):
    for tensor in graph.initializer:
        yield tensor, f"{where} initializer '{tensor.name}'"
    for sparse in graph.sparse_initializer:
        yield sparse.values, f"{where} sparse initializer '{sparse.values.name}'"
        yield sparse.indices, f"{where} sparse initializer '{sparse.values.name}' (indices)"


def _all_tensors(model: onnx.ModelProto):
    """Every tensor stored in the model: initializers, attributes, subgraphs and functions."""
    yield from _graph_tensors(model.graph, "graph")
    node_sources = [(model.graph.node, "graph")] + [(f.node, f"function '{f.name}'") for f in model.functions]
    for nodes, where in node_sources:
        for node, label in _walk_nodes(nodes, where):
            for attribute in node.attribute:
                for tensor in _tensors_in_attribute(attribute):
                    yield tensor, f"{label} attribute '{attribute.name}'"
                for graph in _subgraphs(attribute):
                    yield from _graph_tensors(graph, f"{label} subgraph '{graph.name}'")


def _check_no_external_data(model: onnx.ModelProto, name: str) -> None:
    for tensor, where in _all_tensors(model):
        if tensor.data_location == onnx.TensorProto.EXTERNAL or len(tensor.external_data) > 0:
            location = next((e.value for e in tensor.external_data if e.key == "location"), "?")
            raise _reject(name, f"{where} points at an external data file ('{location}'); models "
                                f"must be self-contained",
                          "Re-export with all weights inside the .onnx file "
                          "(onnx.save(model, path, save_as_external_data=False))")


def _check_domains(model: onnx.ModelProto, name: str) -> None:
    allowed = ", ".join(repr(d) for d in ALLOWED_DOMAINS)
    fix = f"Only standard ONNX operators are allowed (domains {allowed}); custom operators are never loaded"
    for opset in model.opset_import:
        if opset.domain not in ALLOWED_DOMAINS:
            raise _reject(name, f"the model imports operator domain '{opset.domain}'", fix)
    node_sources = [(model.graph.node, "graph")] + [(f.node, f"function '{f.name}'") for f in model.functions]
    for nodes, where in node_sources:
        for node, label in _walk_nodes(nodes, where):
            if node.domain not in ALLOWED_DOMAINS:
                raise _reject(name, f"{label} uses operator {node.op_type} from domain '{node.domain}'", fix)


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
    got = _listing([f"{n} ({e}, {dims})" for n, e, dims in found]) or "no inputs"
    raise _reject(name, f"its inputs do not match the workload's feature columns. Expected {wanted}. "
                        f"Found {got}",
                  "Export the model with inputs named like the workload's columns (or one float "
                  "matrix in column order for an all-numeric workload)")


def check_model_file(data: bytes, name: str = "model.onnx",
                     max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES) -> onnx.ModelProto:
    """Every check an uploaded model file gets before anything loads it, whatever it is for:
    size, format sniffing, parse, no external data, standard operator domains only, and the
    ONNX checker with shape inference. ``UploadRejected`` on the first failure."""
    model = parse_model(data, name, max_bytes)
    _check_no_external_data(model, name)
    _check_domains(model, name)
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as error:  # checker and shape inference raise several types
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise _reject(name, f"the ONNX checker refused the model ({first_line[:300]})",
                      "Fix the export (run onnx.checker.check_model locally) and upload it again") from error
    return model


def check_upload(data: bytes, workload: Workload, name: str = "model.onnx",
                 max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES) -> UploadCheckResult:
    """Run every check on an uploaded model's bytes; ``UploadRejected`` on the first failure."""
    model = check_model_file(data, name, max_bytes)
    binding = match_inputs(model, workload, name)
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
    return UploadCheckResult(name=name, model_bytes=data, binding=binding, opset=opset)
