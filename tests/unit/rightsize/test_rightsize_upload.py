"""Untrusted ONNX uploads: every bad file from the fixture folder is refused before ONNX Runtime."""

import pytest

from core.rightsize.upload import UploadRejected, check_upload


def test_bad_upload_is_rejected_with_a_clear_message(bad_upload_dir, cancer_workload, bad_upload_name,
                                                    bad_upload_words, monkeypatch):
    import onnxruntime

    def never(*args, **kwargs):
        raise AssertionError("ONNX Runtime must not see a rejected upload")

    monkeypatch.setattr(onnxruntime, "InferenceSession", never)
    data = (bad_upload_dir / bad_upload_name).read_bytes()
    with pytest.raises(UploadRejected) as error:
        check_upload(data, cancer_workload, bad_upload_name)
    message = str(error.value)
    assert message.startswith(f"{bad_upload_name}: ")
    for word in bad_upload_words:
        assert word in message


def test_size_limit_is_configurable(good_upload, cancer_workload):
    with pytest.raises(UploadRejected, match="over the 100 bytes limit"):
        check_upload(good_upload, cancer_workload, "big.onnx", max_bytes=100)


def test_good_model_is_accepted_with_its_input_binding(good_upload, cancer_workload):
    checked = check_upload(good_upload, cancer_workload, "good.onnx")
    assert checked.binding.layout == "matrix" and checked.binding.input_names == ("input",)
    assert checked.opset is not None


def test_huge_constant_passes_the_static_checks(bad_upload_dir, cancer_workload):
    # only running it reveals the 40 GB allocation; the worker's limits handle that (see test_rightsize_lab)
    check_upload((bad_upload_dir / "huge_constant.onnx").read_bytes(), cancer_workload, "huge_constant.onnx")


def test_per_column_upload_with_respelled_names_is_accepted():
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    from core.rightsize.config import LabConfig
    from core.rightsize.convert import convert_pipeline
    from core.rightsize.ladder import build_pipeline
    from core.rightsize.workload import prepare_workload

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"order amount": rng.normal(size=60), "sales channel": rng.choice(["web", "shop"], 60),
                          "y": [0, 1] * 30})
    workload = prepare_workload(frame, "y", LabConfig())
    pipeline = build_pipeline(workload, LogisticRegression()).fit(workload.features, workload.y)
    converted = convert_pipeline(pipeline, workload.features[:1], "columns")
    assert converted.input_names == ("order_amount", "sales_channel")  # skl2onnx respells names
    checked = check_upload(converted.model_bytes, workload, "per_column.onnx")
    assert checked.binding.layout == "columns"
    assert checked.binding.columns == ("order amount", "sales channel")
