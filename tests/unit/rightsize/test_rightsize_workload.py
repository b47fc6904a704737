"""Loading (CSV, Parquet, xlsx through the file intake), task inference and clear errors."""

import numpy as np
import pandas as pd
import pytest

from core.errors import ValidationError
from core.rightsize.config import LabConfig
from core.lab.workloads import read_workload_file
from core.rightsize.workload import (MISSING_TOKEN, WorkloadError, infer_task, prepare_workload,
                                     split_workload)


@pytest.mark.parametrize("kind", ["csv", "parquet", "xlsx"])
def test_every_format_loads_the_same_table(tmp_path, workload_file, iris_frame, kind):
    loaded = read_workload_file(workload_file(iris_frame, tmp_path, kind))
    assert list(loaded.columns) == list(iris_frame.columns)
    np.testing.assert_allclose(loaded.to_numpy(dtype=float), iris_frame.to_numpy(dtype=float))


@pytest.mark.parametrize("frame_name, target, task", [
    ("cancer_frame", "target", "classification"),
    ("iris_frame", "target", "classification"),
    ("diabetes_frame", "target", "regression"),
])
def test_task_is_inferred_from_the_target(request, frame_name, target, task):
    assert infer_task(request.getfixturevalue(frame_name)[target]) == task


def test_columns_are_normalised_for_onnx():
    frame = pd.DataFrame({
        "count": pd.array([1, None, 3, 4] * 10, dtype="Int64"),
        "flag": [True, False] * 20,
        "city": ["Oslo", None, "Rome", "Lima"] * 10,
        "review": [f"the parcel number {i} arrived late and broken, very unhappy" for i in range(40)],
        "when": pd.date_range("2026-01-01", periods=40),
        "y": ["yes", "no"] * 20,
    })
    workload = prepare_workload(frame, "y", LabConfig())
    assert workload.task == "classification" and workload.classes == ("no", "yes")
    assert workload.numeric_columns == ("count", "flag")
    assert workload.features["count"].dtype == np.float32 and workload.features["count"].isna().sum() == 10
    assert workload.categorical_columns == ("city",) and MISSING_TOKEN in workload.categorical_levels["city"]
    assert workload.text_columns == ("review",)
    assert workload.input_layout == "columns"
    assert any("`when` holds dates" in note for note in workload.notes)


def _frame(n=40, **columns):
    return pd.DataFrame({"x": np.arange(n, dtype=float), **columns})


@pytest.mark.parametrize("frame, target, words", [
    (_frame(y=[0, 1] * 20), "label", ["no target column `label`", "`x`, `y`"]),
    (_frame(y=[None] * 40), "y", ["every value is missing"]),
    (_frame(n=12, y=[0, 1] * 6), "y", ["only 12 rows", "at least 30"]),
    (_frame(y=["a"] * 40), "y", ["same class 'a'", "at least two classes"]),
])
def test_unusable_workloads_say_what_to_fix(frame, target, words):
    with pytest.raises(WorkloadError) as error:
        prepare_workload(frame, target, LabConfig())
    for word in words:
        assert word in str(error.value)


def test_regression_on_text_target_is_refused():
    with pytest.raises(WorkloadError, match="numeric target"):
        prepare_workload(_frame(y=["a", "b"] * 20), "y", LabConfig(task="regression"))


@pytest.mark.parametrize("name, content, words", [
    ("garbage.csv", bytes(range(256)) * 20, "binary file, not CSV text"),
    ("latin1.csv", b"a,b\n\xff\xfe,1\n", "line 2 is not UTF-8 text"),
    ("garbage.parquet", b"not parquet at all", "not a Parquet file"),
    ("truncated.parquet", b"PAR1 cut short PAR1", "could not be read as Parquet"),
    ("garbage.xlsx", b"PK\x03\x04 broken", "not a valid .xlsx file"),
    ("data.json", b"{}", "unsupported file type '.json'"),
])
def test_unreadable_files_raise_workload_error(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkloadError, match=words):
        read_workload_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(WorkloadError, match="not found"):
        read_workload_file(tmp_path / "nope.csv")


def test_split_caps_rows_and_says_so(cancer_frame):
    config = LabConfig(max_train_rows=100, max_test_rows=50)
    split = split_workload(prepare_workload(cancer_frame, "target", config), config)
    assert len(split.y_train) == 100 and len(split.y_test) == 50
    assert any("100 of" in note for note in split.notes)
    assert set(np.unique(split.y_test)) == {0, 1}  # stratified


@pytest.mark.parametrize("kwargs", [dict(tolerance=0), dict(tolerance=1.2), dict(latency_budget_ms=0),
                                    dict(ladder="huge"), dict(test_fraction=1.0), dict(batch_size=0),
                                    dict(memory_limit_bytes=1024)])
def test_config_is_validated(kwargs):
    with pytest.raises(ValidationError):
        LabConfig(**kwargs)
