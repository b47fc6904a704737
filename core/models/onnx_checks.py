"""Checks on an untrusted ONNX file, all done on the bytes BEFORE ONNX Runtime sees them, and
the tasks a model can serve.

In order: size limit → not a pickle/zip/HDF5/GGUF renamed .onnx → parses as an ONNX
ModelProto → no ``training_info`` → no external data anywhere → standard operator domains only,
at opset versions this server knows → IR version, known operators, tensor sizes → the ONNX
checker's structural check. Each failure raises
``UploadRejected`` with a message a team lead can act on. The checker's full check (strict shape
inference) is run too but only logged: it refuses graphs ONNX Runtime loads and runs fine (a
declared output shape that disagrees with the inferred one), and whether ONNX Runtime can load
the model is asked of ONNX Runtime itself (``core.models.runtime_check``). Used by the model catalogue (a model registered from the
Registry page) and by the lab engine (``core.rightsize.upload`` adds the match against the
workload's columns). What the checks cannot catch (a valid graph that allocates 40 GB at run
time) is left to the measurement worker's memory and time limits.
"""

from __future__ import annotations

import logging

import onnx
from google.protobuf.message import DecodeError

from core.config import setting
from core.errors import CoreError

#: What a model predicts: a class (probabilities per class) or a number.
TASKS = ("classification", "regression")
ALLOWED_DOMAINS = ("", "ai.onnx", "ai.onnx.ml")
#: Domains that are not custom operators but are still not run here, and why (in the user's terms).
_KNOWN_UNSUPPORTED_DOMAINS = {
    "ai.onnx.preview.training": "ONNX's training operators (domain 'ai.onnx.preview.training'), which "
                                "compute gradients and optimiser steps and are not supported for inference",
    "ai.onnx.preview": "ONNX's preview operators (domain 'ai.onnx.preview'), which are not part of a "
                       "released opset and are not supported here",
    "com.microsoft": "ONNX Runtime's own extension operators (domain 'com.microsoft'), which are not "
                     "standard ONNX and are not allowed in uploaded models",
}
_log = logging.getLogger(__name__)
_SNIFFED_FORMATS = (  # magic bytes of files people rename to .onnx by mistake
    (b"PK\x03\x04", "a zip archive (a PyTorch .pt/.pth or a zipped folder?)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89HDF", "an HDF5 file (a Keras .h5 model?)"),
    (b"GGUF", "a GGUF file (a llama.cpp model)"),
)


class UploadRejected(CoreError):
    """An uploaded model failed a safety or compatibility check; nothing was run."""


def reject(name: str, problem: str, fix: str) -> UploadRejected:
    return UploadRejected(f"{name}: {problem}. {fix}")


def _megabytes(size_bytes: int) -> str:
    return f"{size_bytes / 1024**2:,.1f} MB" if size_bytes >= 1024**2 else f"{size_bytes:,} bytes"


def _sniff(data: bytes) -> str | None:
    if data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return "a Python pickle (a scikit-learn/joblib or PyTorch file, which could run code when loaded)"
    return next((label for magic, label in _SNIFFED_FORMATS if data.startswith(magic)), None)


def parse_model(data: bytes, name: str, max_bytes: int | None = None) -> onnx.ModelProto:
    """Size check (``max_bytes``, default the ``FACTORY_MAX_MODEL_MB`` setting) and protobuf parse;
    rejects anything that is not a plausible ONNX model."""
    if max_bytes is None:
        max_bytes = setting("FACTORY_MAX_MODEL_MB")
    if not data:
        raise reject(name, "the file is empty", "Upload the exported .onnx file")
    if len(data) > max_bytes:
        raise reject(name, f"the file is {_megabytes(len(data))}, over the {_megabytes(max_bytes)} limit",
                      "Upload a smaller model, or ask an admin to raise the upload limit")
    fix = "Export the model to ONNX (for scikit-learn: skl2onnx.to_onnx) and upload the .onnx file"
    sniffed = _sniff(data)
    if sniffed:
        raise reject(name, f"this is {sniffed}, not an ONNX model", fix)
    try:
        model = onnx.load_model_from_string(data)
    except (DecodeError, ValueError, RuntimeError) as error:
        _log.info("ONNX parse failed for %s: %s", name, error)
        raise reject(name, "not an ONNX model (the bytes do not parse as one; the file may be truncated "
                           "or something else renamed .onnx)", fix) from error
    # protobuf parses many byte strings "successfully" into empty messages: require the essentials
    if model.ir_version < 3 or not model.HasField("graph") or not model.opset_import \
            or not model.graph.output:
        raise reject(name, "not an ONNX model (no IR version, graph, outputs or opset; the file may "
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
            raise reject(name, f"{where} points at an external data file ('{location}'); models "
                                f"must be self-contained",
                          "Re-export with all weights inside the .onnx file "
                          "(onnx.save(model, path, save_as_external_data=False))")


def _domain_problem(domain: str, what: str) -> str:
    known = _KNOWN_UNSUPPORTED_DOMAINS.get(domain)
    return f"{what} {known}" if known else f"{what} custom operators (domain '{domain}')"


def _check_domains(model: onnx.ModelProto, name: str) -> None:
    allowed = ", ".join(repr(d) for d in ALLOWED_DOMAINS)
    fix = (f"Export with standard ONNX operators only (domains {allowed}); other operator sets, "
           "custom operators included, are never loaded")
    imports = [(o, "the model") for o in model.opset_import] + \
        [(o, f"function '{f.name}'") for f in model.functions for o in f.opset_import]
    for opset, who in imports:
        if opset.domain not in ALLOWED_DOMAINS:
            raise reject(name, _domain_problem(opset.domain, f"{who} imports"), fix)
    node_sources = [(model.graph.node, "graph")] + [(f.node, f"function '{f.name}'") for f in model.functions]
    for nodes, where in node_sources:
        for node, label in _walk_nodes(nodes, where):
            if node.domain not in ALLOWED_DOMAINS:
                raise reject(name, _domain_problem(node.domain, f"{label} uses operator {node.op_type} from"), fix)


def _newest_opsets() -> dict[str, int]:
    """The newest opset version per allowed domain that the installed onnx package defines."""
    newest = {"": onnx.defs.onnx_opset_version()}
    for schema in onnx.defs.get_all_schemas_with_history():
        if schema.domain in ALLOWED_DOMAINS and schema.domain != "":
            newest[schema.domain] = max(newest.get(schema.domain, 0), schema.since_version)
    newest["ai.onnx"] = newest[""]
    return newest


def domain_label(domain: str) -> str:
    """'ai.onnx' for the default domain (stored as ''), else the domain itself."""
    return domain or "ai.onnx"


def declared_opsets(model: onnx.ModelProto) -> tuple[tuple[str, int], ...]:
    """(domain, version) for every operator set the model imports, the default domain spelled
    'ai.onnx', in the model's order: an ``ai.onnx.ml``-only model has an opset too."""
    return tuple((domain_label(o.domain), int(o.version)) for o in model.opset_import)


def opsets_text(opsets) -> str:
    """'ai.onnx 17, ai.onnx.ml 3' — or '—' when there are none."""
    return ", ".join(f"{domain} {version}" for domain, version in opsets) or "—"


def _check_opset_versions(model: onnx.ModelProto, name: str) -> None:
    """Each imported opset is a released version (1 … the newest this server's onnx defines): an
    unreleased version (opset 99) passes the checker but ONNX Runtime refuses to load it."""
    newest = _newest_opsets()
    for opset in model.opset_import:
        top = newest.get(opset.domain)
        if top is not None and not 1 <= opset.version <= top:
            label = domain_label(opset.domain)
            raise reject(name, f"the model asks for opset {opset.version} of the {label} operators; this "
                               f"server runs opsets 1 to {top} of {label}",
                          f"Re-export the model with opset {top} or lower (skl2onnx: to_onnx(..., "
                          f"target_opset={top}); PyTorch: torch.onnx.export(..., opset_version={top}))")


def _check_no_training_info(model: onnx.ModelProto, name: str) -> None:
    """Refuse models that carry ``training_info`` (initialisation and update-step graphs).

    Refused rather than walked: the lab and the registry only run inference, ONNX Runtime's
    inference session ignores these graphs, so accepting them would store graphs nobody checks
    the effect of (external data, training-domain operators) for no benefit. Exporters for
    inference (skl2onnx, torch.onnx.export) never write it.
    """
    if len(model.training_info) > 0:
        raise reject(name, f"the model carries {len(model.training_info)} training graph(s) (training_info); "
                           "only inference models are accepted",
                      "Export the model for inference (without training information) and upload it again")


def _check_ir_version(model: onnx.ModelProto, name: str) -> None:
    if model.ir_version > onnx.IR_VERSION:
        raise reject(name, f"the file format (IR version {model.ir_version}) is newer than the {onnx.IR_VERSION} "
                           "this server reads", "Re-export the model with an exporter that writes an older "
                                                f"IR version (onnx.helper.make_model(..., ir_version={onnx.IR_VERSION}))")


def _check_operators_known(model: onnx.ModelProto, name: str) -> None:
    """Every node of the main graph and its subgraphs is an operator its domain defines at the
    model's opset (an unknown op type in the default domain is refused by name)."""
    versions = {domain_label(o.domain): o.version for o in model.opset_import}
    for node, label in _walk_nodes(model.graph.node, "graph"):
        domain = domain_label(node.domain)
        local = any(f.name == node.op_type and f.domain == node.domain for f in model.functions)
        if local or domain not in versions:
            continue
        try:
            onnx.defs.get_schema(node.op_type, versions[domain], node.domain)
        except onnx.defs.SchemaError:
            raise reject(name, f"{label} uses '{node.op_type}', which is not an operator of {domain} at opset "
                               f"{versions[domain]}", "Export with standard ONNX operators only") from None


_ELEMENT_BYTES = {onnx.TensorProto.FLOAT: 4, onnx.TensorProto.DOUBLE: 8, onnx.TensorProto.INT64: 8,
                  onnx.TensorProto.INT32: 4, onnx.TensorProto.INT16: 2, onnx.TensorProto.UINT16: 2,
                  onnx.TensorProto.INT8: 1, onnx.TensorProto.UINT8: 1, onnx.TensorProto.BOOL: 1,
                  onnx.TensorProto.FLOAT16: 2, onnx.TensorProto.BFLOAT16: 2, onnx.TensorProto.UINT32: 4,
                  onnx.TensorProto.UINT64: 8}


def _check_tensor_sizes(model: onnx.ModelProto, name: str) -> None:
    """Raw tensor data holds exactly dims × element size bytes (Python integers: no overflow),
    and no dimension is negative."""
    for tensor, where in _all_tensors(model):
        if any(d < 0 for d in tensor.dims):
            raise reject(name, f"{where} has a negative dimension {list(tensor.dims)}", "Fix the export")
        size = _ELEMENT_BYTES.get(tensor.data_type)
        if size is None or not tensor.HasField("raw_data"):
            continue
        expected = size
        for d in tensor.dims:
            expected *= d
        if expected != len(tensor.raw_data):
            raise reject(name, f"{where} declares shape {list(tensor.dims)} ({expected:,} bytes) but holds "
                               f"{len(tensor.raw_data):,} bytes; the file is damaged",
                          "Export the model again and upload the new file")


def check_model_file(data: bytes, name: str = "model.onnx",
                     max_bytes: int | None = None) -> onnx.ModelProto:
    """Every check an uploaded model file gets before anything loads it, whatever it is for:
    size, format sniffing, parse, no training graphs, no external data, standard operator
    domains only at released opset versions, and the ONNX checker's structural check.
    ``UploadRejected`` on the first failure. The checker's full check (strict shape
    inference) is logged, not refused; ONNX Runtime's own load is ``core.models.runtime_check``."""
    model = parse_model(data, name, max_bytes)
    _check_no_training_info(model, name)
    _check_no_external_data(model, name)
    _check_domains(model, name)
    _check_opset_versions(model, name)
    _check_ir_version(model, name)
    _check_operators_known(model, name)
    _check_tensor_sizes(model, name)
    try:
        onnx.checker.check_model(model)
    except Exception as error:  # the checker raises several types
        _log.info("ONNX checker refused %s: %s", name, error)
        raise reject(name, "the model's graph is not valid ONNX (the ONNX checker refused its structure)",
                      "Fix the export (run onnx.checker.check_model on it locally to see where) and upload "
                      "it again") from error
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as error:  # noqa: BLE001 — strict shape inference: ONNX Runtime decides
        _log.info("ONNX full check (shape inference) failed for %s, not refused: %s", name, error)
    return model
