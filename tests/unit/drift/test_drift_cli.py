"""``factory drift``: files in, table or JSON out, one-line CoreError for bad input."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.cli import drift as drift_cli
from core.drift import DriftInputError
from core.errors import CoreError


def _parse(argv):
    parser = argparse.ArgumentParser(prog="factory")
    subparsers = parser.add_subparsers(dest="command", required=True)
    drift_cli.add_parser(subparsers)
    return parser.parse_args(["drift", *argv])


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(11)
    n = 1500
    ref = pa.table({"age": rng.normal(40, 10, n), "plan": rng.choice(["free", "pro", "team"], n)})
    cur = pa.table({"age": rng.normal(48, 10, n), "plan": rng.choice(["free", "pro", "team"], n)})
    ref_path, cur_path = tmp_path / "ref.parquet", tmp_path / "cur.csv"
    pq.write_table(ref, ref_path)
    cur.to_pandas().to_csv(cur_path, index=False)
    return ref_path, cur_path


def test_json_output_has_the_documented_shape(files, capsys):
    args = _parse(["--reference", str(files[0]), "--current", str(files[1]), "--json"])
    assert args.handler(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"columns", "drift_share", "dataset_drift", "n_reference", "n_current"}
    assert [c["column"] for c in payload["columns"]] == ["age", "plan"]
    assert set(payload["columns"][0]) == {"column", "type", "method", "statistic", "p_value",
                                          "threshold", "drifted", "status"}
    age, plan = payload["columns"]
    assert (age["method"], age["drifted"], age["p_value"]) == ("wasserstein", True, None)
    assert (plan["method"], plan["drifted"]) == ("jensenshannon", False)
    assert payload["drift_share"] == 0.5 and payload["dataset_drift"] is True


def test_overrides_and_readable_table(files, capsys):
    args = _parse(["--reference", str(files[0]), "--current", str(files[1]),
                   "--method", "age=ks", "--method", "plan=chisquare", "--threshold", "age=0.001",
                   "--drift-share", "0.9"])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "column" in out and "status" in out
    assert "age" in out and "ks" in out and "0.001" in out and "chisquare" in out
    assert "1 of 2 columns drifted (50%); dataset drift: no (threshold 90%)" in out


@pytest.mark.parametrize("argv_tail, words", [
    (["--method", "age"], ["--method 'age'", "COLUMN=VALUE"]),
    (["--method", "=ks"], ["COLUMN=VALUE"]),
    (["--threshold", "age=high"], ["--threshold age=high", "expected a number"]),
    (["--method", "age=kolmogorov"], ["unknown drift method", "jensenshannon"]),
    (["--method", "height=ks"], ["unknown column", "'height'", "age, plan"]),
    (["--threshold", "height=0.2"], ["unknown column", "'height'"]),
])
def test_bad_options_raise_one_core_error(files, argv_tail, words):
    args = _parse(["--reference", str(files[0]), "--current", str(files[1]), *argv_tail])
    with pytest.raises(CoreError) as error:
        args.handler(args)
    assert "\n" not in str(error.value)
    for word in words:
        assert word in str(error.value)


def test_unreadable_files_are_named(tmp_path, files):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not a parquet file")
    cases = [
        (tmp_path / "missing.csv", "missing.csv", "no such file"),
        (broken, "broken.parquet", "cannot be read"),
        (tmp_path / "data.json", "data.json", "unsupported file type"),
    ]
    for path, name, words in cases:
        args = _parse(["--reference", str(path), "--current", str(files[1])])
        with pytest.raises(DriftInputError) as error:
            args.handler(args)
        assert name in str(error.value) and words in str(error.value) and "reference" in str(error.value)


def test_no_common_columns_lists_both_sides(tmp_path, files):
    other = tmp_path / "other.csv"
    other.write_text("height,weight\n1,2\n")
    args = _parse(["--reference", str(files[0]), "--current", str(other)])
    with pytest.raises(DriftInputError, match="reference: age, plan; current: height, weight"):
        args.handler(args)


def test_dispatcher_contract_one_line_and_exit_2(files, capsys):
    """The dispatcher catches CoreError, prints one line, exits 2 (checked without editing it)."""
    from core.cli import EXIT_BAD_INPUT
    args = _parse(["--reference", str(files[0]), "--current", str(files[1]), "--method", "age=nope"])
    try:
        code = args.handler(args)
    except CoreError as error:
        code = EXIT_BAD_INPUT
        assert len(str(error).splitlines()) == 1
    assert code == 2
