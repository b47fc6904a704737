"""The settings table: every setting documented, defaults, environment overrides and clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import SETTINGS, ConfigError, setting

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_in_the_readme_configuration_table():
    text = README.read_text()
    section = text[text.index("## Configuration"):]
    section = section[:section.index("\n## ", 1)]
    documented = set(re.findall(r"^\| `([A-Z_]+)`", section, re.M))
    assert {s.name for s in SETTINGS} <= documented, "add the missing settings to README's Configuration table"


def test_nothing_in_core_or_ui_reads_a_factory_setting_from_the_environment_itself():
    root = Path(__file__).resolve().parents[2]
    offenders = [str(path.relative_to(root)) for folder in ("core", "ui", "pages")
                 for path in (root / folder).rglob("*.py")
                 if path.name != "config.py" and re.search(r"environ(\.get)?\(?\[?[\"']FACTORY_", path.read_text())]
    assert offenders == []


def test_defaults_and_overrides(monkeypatch):
    monkeypatch.delenv("FACTORY_MAX_WORKLOAD_MB", raising=False)
    monkeypatch.delenv("FACTORY_MAX_UPLOAD_MB", raising=False)
    assert setting("FACTORY_MAX_WORKLOAD_MB") == 200 * 2**20
    assert setting("FACTORY_MAX_UPLOAD_MB") is None
    monkeypatch.setenv("FACTORY_MAX_WORKLOAD_MB", "1.5")
    assert setting("FACTORY_MAX_WORKLOAD_MB") == int(1.5 * 2**20)
    monkeypatch.setenv("FACTORY_MAX_UPLOAD_MB", "  ")
    assert setting("FACTORY_MAX_UPLOAD_MB") is None


@pytest.mark.parametrize("name, value", [
    ("FACTORY_MAX_WORKLOAD_MB", "lots"), ("FACTORY_MAX_MODEL_MB", "-1"),
    ("FACTORY_STORE_THREADS", "0"), ("FACTORY_STORE_MEMORY_LIMIT", "4 gigs"),
])
def test_a_bad_value_names_the_variable_and_what_it_expects(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=rf"Setting {name}=.*expected .*Fix or unset the environment variable {name}"):
        setting(name)


def test_the_store_takes_its_limits_from_the_settings(monkeypatch, tmp_path):
    from core.store import Store

    monkeypatch.setenv("FACTORY_STORE_THREADS", "1")
    monkeypatch.setenv("FACTORY_STORE_MEMORY_LIMIT", "512MB")
    store = Store.open(tmp_path / "s.duckdb")
    try:
        assert store.scalar("SELECT current_setting('threads')") == 1
        assert store.scalar("SELECT current_setting('memory_limit')") in ("512.0 MiB", "488.2 MiB", "512.0 MB")
    finally:
        store.close()
