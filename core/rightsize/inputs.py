"""The ONNX inputs a workload's models take, and the feeds built from its rows.

Two layouts, chosen by the workload (``Workload.input_layout``):

* ``matrix`` — every feature is numeric: one float32 input of shape [N, F], columns in
  workload order (the fastest layout for ONNX Runtime: one tensor, no Concat);
* ``columns`` — some feature is text: one input per column named like the column, float32
  [N, 1] for numbers and string [N, 1] for categories and free text.

An uploaded all-numeric model may use either layout; the ladder uses ``matrix`` whenever it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.rightsize.workload import Workload

MATRIX_INPUT_NAME = "input"


@dataclass(frozen=True)
class InputSpec:
    """One expected model input: ``elem`` is ``"float"`` or ``"string"``; ``width`` the 2nd dimension."""

    name: str
    elem: str
    width: int

    def describe(self) -> str:
        return f"{self.name} ({self.elem}, [N, {self.width}])"


@dataclass(frozen=True)
class InputBinding:
    """How to feed one model: its input names in feed order and the workload columns behind them.

    ``matrix``: one input, fed every column in ``columns`` order as float32 [N, F].
    ``columns``: ``input_names[i]`` is fed column ``columns[i]`` as [N, 1]. The names can differ:
    skl2onnx turns "unit price" into ``unit_price``.
    """

    layout: str
    input_names: tuple[str, ...]
    columns: tuple[str, ...]


def name_key(name: str) -> str:
    """Spelling-insensitive key for matching input names to columns ("Unit price" ~ "unit_price")."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def expected_inputs(workload: Workload, layout: str | None = None) -> tuple[InputSpec, ...]:
    """The inputs a model for ``workload`` must take in ``layout`` (default: the workload's own)."""
    layout = layout or workload.input_layout
    columns = list(workload.features.columns)
    if layout == "matrix":
        return (InputSpec(MATRIX_INPUT_NAME, "float", len(columns)),)
    numeric = set(workload.numeric_columns)
    return tuple(InputSpec(c, "float" if c in numeric else "string", 1) for c in columns)


def build_feeds(X: pd.DataFrame, binding: InputBinding) -> dict[str, np.ndarray]:
    """ONNX Runtime feeds for the rows of ``X`` (already normalised by ``prepare_workload``)."""
    if binding.layout == "matrix":
        (name,) = binding.input_names
        return {name: np.ascontiguousarray(X[list(binding.columns)].to_numpy(dtype=np.float32))}
    feeds: dict[str, np.ndarray] = {}
    for name, column_name in zip(binding.input_names, binding.columns):
        column = X[column_name]
        if column.dtype == object:
            feeds[name] = column.to_numpy(dtype=object).reshape(-1, 1)
        else:
            feeds[name] = column.to_numpy(dtype=np.float32).reshape(-1, 1)
    return feeds
