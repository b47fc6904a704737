"""Architecture: the layer contracts (import-linter), core importable without Streamlit, pages
holding no SQL or database code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_without_streamlit():
    code = (
        "import importlib, pkgutil, sys, core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
        "assert 'streamlit' not in sys.modules, 'core imported streamlit'\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_pages_hold_only_page_scripts_without_sql():
    for path in (ROOT / "pages").iterdir():
        assert path.suffix == ".py" and path.name != "__init__.py", path
        source = path.read_text()
        assert not re.search(r"^\s*(import|from)\s+(duckdb|onnxruntime|sqlmodel|sqlalchemy)\b", source, re.M), path
        assert not re.search(r"\b(SELECT|INSERT INTO|DELETE FROM)\b", source), path
        assert "set_page_config" not in source, path


def test_every_page_file_is_in_the_navigation():
    from ui.navigation import PAGES
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert files == {page.path for page in PAGES}


def test_the_layer_contracts_hold():
    """pyproject.toml's [tool.importlinter] contracts: core never imports ui or Streamlit, ui never
    DuckDB or ONNX Runtime, engines never the store, the catalogue never the lab engine."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and ", 0 broken" in result.stdout


def test_session_state_keys_are_named_in_ui_state():
    """Pages and ui modules read and write session state through the names in ui/state.py,
    never a string of their own (two pages inventing the same key collide silently)."""
    import ast
    found = []
    for path in [ROOT / "app.py", ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        if path.name == "state.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            target = None
            if isinstance(node, ast.Subscript):
                target, key = node.value, node.slice
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
                target, key = node.func.value, node.args[0]
                if node.func.attr not in ("get", "pop", "setdefault"):
                    target = None
            if (isinstance(target, ast.Attribute) and target.attr == "session_state"
                    and isinstance(key, ast.Constant) and isinstance(key.value, str)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {key.value!r}")
    assert not found, found
