"""``factory rightsize``: JSON keys, the readable table, and exit code 2 for bad input."""

import json

import pytest

import core.cli as cli
from core.cli.rightsize import profiles_for
from core.rightsize.pricing import DEFAULT_PROFILES

CANDIDATE_KEYS = {"name", "source", "quality", "quality_ci", "latency_ms", "throughput_rps", "size_bytes",
                  "peak_rss_bytes", "cost_per_1m_usd", "energy_wh_per_1k", "parity_max_abs_diff", "status", "reason"}


@pytest.fixture(autouse=True)
def only_rightsize(monkeypatch):
    # the lead adds "core.cli.rightsize" to COMMAND_MODULES; until then register it for the test
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("core.cli.rightsize",))


def test_json_output_has_the_documented_keys(tmp_path, workload_file, cancer_frame, good_upload, capsys):
    data = workload_file(cancer_frame, tmp_path, "csv")
    model = tmp_path / "good.onnx"
    model.write_bytes(good_upload)
    code = cli.main(["rightsize", "--data", str(data), "--target", "target", "--ladder", "quick",
                     "--onnx", str(model), "--json", "--db", str(tmp_path / "missing.duckdb")])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert {"task", "metric", "rows_train", "rows_test", "profile", "candidates", "best", "recommended",
            "quality_ratio", "cost_ratio"} <= set(payload)
    assert len(payload["candidates"]) == 4
    for candidate in payload["candidates"]:
        assert CANDIDATE_KEYS <= set(candidate)
        assert set(candidate["latency_ms"]) == {"p50", "p95", "p99"}
    assert payload["candidates"][-1]["source"] == "upload"


def test_onnx_option_is_repeatable_and_every_file_is_evaluated(tmp_path, workload_file, cancer_frame, good_upload,
                                                             capsys):
    """`--onnx a.onnx --onnx b.onnx` used to evaluate only b.onnx (the second option replaced the first)."""
    data = workload_file(cancer_frame, tmp_path, "csv")
    for name in ("a.onnx", "b.onnx", "c.onnx"):
        (tmp_path / name).write_bytes(good_upload)
    code = cli.main(["rightsize", "--data", str(data), "--target", "target", "--ladder", "quick",
                     "--onnx", str(tmp_path / "a.onnx"), "--onnx", str(tmp_path / "b.onnx"), str(tmp_path / "c.onnx"),
                     "--json", "--db", str(tmp_path / "missing.duckdb")])
    assert code == 0
    uploads = [c for c in json.loads(capsys.readouterr().out)["candidates"] if c["source"] == "upload"]
    assert [c["name"] for c in uploads] == ["Upload · a.onnx", "Upload · b.onnx", "Upload · c.onnx"]
    assert all(c["status"] == "ok" for c in uploads)


def test_table_output_ends_with_the_recommendation(tmp_path, workload_file, iris_frame, capsys):
    data = workload_file(iris_frame, tmp_path, "parquet")
    assert cli.main(["rightsize", "--data", str(data), "--target", "target", "--ladder", "quick",
                     "--tolerance", "0.9", "--latency-budget-ms", "50"]) == 0
    out = capsys.readouterr().out
    assert "F1 macro" in out and "Assumptions:" in out and "÷ 3600" in out


@pytest.mark.parametrize("args, words", [
    (["--target", "nope"], "no target column `nope`"),
    (["--target", "target", "--profile", "mainframe"], "Unknown hardware profile"),
    (["--target", "target", "--tolerance", "2"], "tolerance"),
    (["--target", "target", "--onnx", "/nonexistent/model.onnx"], "cannot be read"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, workload_file, iris_frame, capsys, args, words):
    data = workload_file(iris_frame, tmp_path, "csv")
    assert cli.main(["rightsize", "--data", str(data), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and len(err.splitlines()) == 1


def test_unreadable_file_exits_2(tmp_path, capsys):
    path = tmp_path / "broken.csv"
    path.write_bytes(bytes(range(256)) * 10)
    assert cli.main(["rightsize", "--data", str(path), "--target", "y"]) == 2
    assert "not CSV text" in capsys.readouterr().err


def test_profiles_without_a_database_are_the_defaults(tmp_path):
    assert profiles_for(None) == DEFAULT_PROFILES
    assert profiles_for(tmp_path / "absent.duckdb") == DEFAULT_PROFILES
