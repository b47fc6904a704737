"""Case 22 — custom operators and domains: anything outside the allowlist ('', 'ai.onnx',
'ai.onnx.ml') is refused by name wherever it appears, ONNX's own non-inference domains are
called what they are (not "custom operators"), an unknown op type in the standard domain is
refused, and the code base never registers a custom-op library."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from onnx import TensorProto, helper

from core.models.onnx_checks import ALLOWED_DOMAINS, UploadRejected, check_model_file
from tests.security.onnx_payloads import (  # noqa: F401 (cancer_workload: a fixture)
    cancer_workload, identity_model, if_model, opsets, refused_before_onnx_runtime)

ROOT = Path(__file__).resolve().parents[2]


def _node_in(domain: str, op: str = "Exfiltrate") -> bytes:
    nodes = [helper.make_node(op, ["input"], ["out"], domain=domain)]
    return identity_model(nodes=nodes, opset_imports=opsets(helper.make_opsetid(domain, 1))).SerializeToString()


def _custom_domain_in_subgraph() -> bytes:
    model = if_model([helper.make_node("Steal", [], ["x"], domain="com.evil")])
    return model.SerializeToString()


def _custom_domain_in_function() -> bytes:
    """A model-local function whose body calls a custom-domain operator."""
    body = [helper.make_node("Leak", ["x"], ["y"], domain="com.evil")]
    function = helper.make_function("local", "wrapper", ["x"], ["y"], body, opset_imports=opsets())
    model = identity_model(nodes=[helper.make_node("Identity", ["input"], ["out"])])
    model.functions.append(function)
    return model.SerializeToString()


def _function_importing(domain: str) -> bytes:
    """A function whose own opset imports name a custom domain (its body looks harmless)."""
    function = helper.make_function("local", "quiet", ["x"], ["y"], [helper.make_node("Identity", ["x"], ["y"])],
                                    opset_imports=opsets(helper.make_opsetid(domain, 1)))
    model = identity_model()
    model.functions.append(function)
    return model.SerializeToString()


def _unknown_standard_op() -> bytes:
    return identity_model(nodes=[helper.make_node("Exfiltrate", ["input"], ["out"])]).SerializeToString()


def _training_domain() -> bytes:
    nodes = [helper.make_node("Gradient", ["input"], ["out"], domain="ai.onnx.preview.training",
                              xs=["input"], y="input")]
    return identity_model(nodes=nodes, opset_imports=opsets(helper.make_opsetid("ai.onnx.preview.training", 1))
                          ).SerializeToString()


PAYLOADS = {  # name → (bytes, words the refusal must contain)
    # moved from tests/unit/rightsize/conftest.py (BAD_UPLOADS)
    "custom_domain.onnx": (lambda: _node_in("com.evil"), ["com.evil", "standard ONNX operators"]),
    "custom_domain_in_subgraph.onnx": (_custom_domain_in_subgraph, ["com.evil", "Steal"]),
    "custom_domain_in_function.onnx": (_custom_domain_in_function, ["function 'wrapper'", "com.evil"]),
    # the rest of the case's list
    "contrib.onnx": (lambda: _node_in("ai.onnx.contrib"), ["custom operators", "ai.onnx.contrib"]),
    "function_imports.onnx": (lambda: _function_importing("com.evil"), ["function 'quiet' imports", "com.evil"]),
    "unknown_op.onnx": (_unknown_standard_op, ["'Exfiltrate'", "not an operator of ai.onnx at opset 17"]),
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_operators_outside_the_allowlist_are_refused_before_onnx_runtime(name, cancer_workload,  # noqa: F811
                                                                         monkeypatch):
    message = refused_before_onnx_runtime(PAYLOADS, name, cancer_workload, monkeypatch)


def test_onnx_training_domain_is_named_as_training_not_custom_operators():
    """ai.onnx.preview.training is ONNX's own training domain; the refusal used to call it custom."""
    with pytest.raises(UploadRejected) as error:
        check_model_file(_training_domain(), "trainer.onnx")
    message = str(error.value)
    assert "training operators" in message and "not supported for inference" in message, message
    assert "custom operators (domain 'ai.onnx.preview.training')" not in message


def test_the_allowlist_is_the_standard_domains_only():
    assert set(ALLOWED_DOMAINS) == {"", "ai.onnx", "ai.onnx.ml"}


def test_the_code_base_never_registers_a_custom_op_library():
    pattern = re.compile(r"register_custom_ops_library|add_session_config_entry\(\s*['\"]session\.load_custom")
    sources = [ROOT / "app.py", *(ROOT / d for d in ("core", "ui", "pages", "bench"))]
    files = [p for s in sources for p in ([s] if s.is_file() else s.rglob("*.py"))]
    assert len(files) > 20
    found = [str(p.relative_to(ROOT)) for p in files if pattern.search(p.read_text(errors="replace"))]
    assert found == []
