"""Automatic choice of a drift method per column (Evidently's defaults).

``n_reference`` counts the non-missing reference values; ``n_distinct`` counts the
distinct non-missing values of both windows together (as Evidently's
``pd.concat([reference, current]).nunique()``).

| reference values | column      | distinct | method        | drift when       |
|------------------|-------------|----------|---------------|------------------|
| ≤ 1000           | numeric     | > 5      | ks            | p < 0.05         |
| ≤ 1000           | numeric     | 3–5      | chisquare     | p < 0.05         |
| ≤ 1000           | any         | ≤ 2      | z             | p < 0.05         |
| ≤ 1000           | categorical | > 2      | chisquare     | p < 0.05         |
| > 1000           | numeric     | > 5      | wasserstein   | W1/std ≥ 0.1     |
| > 1000           | numeric     | ≤ 5      | jensenshannon | JS ≥ 0.1         |
| > 1000           | categorical | any      | jensenshannon | JS ≥ 0.1         |
"""

from __future__ import annotations

from core.drift.registry import CATEGORICAL, COLUMN_TYPES, NUMERIC

#: Up to this many reference values, hypothesis tests; above it, distances.
SMALL_REFERENCE_MAX = 1000
#: A numeric column with at most this many distinct values is treated as levels.
FEW_DISTINCT_MAX = 5
#: At most this many distinct values: a two-proportion test.
BINARY_MAX = 2


def choose_method(column_type: str, n_reference: int, n_distinct: int) -> str:
    """Return the short name of the default method for one column (see the table above)."""
    if column_type not in COLUMN_TYPES:
        raise ValueError(f"column_type must be one of {COLUMN_TYPES}, got {column_type!r}")
    if n_reference <= SMALL_REFERENCE_MAX:
        if n_distinct <= BINARY_MAX:
            return "z"
        if column_type == CATEGORICAL or n_distinct <= FEW_DISTINCT_MAX:
            return "chisquare"
        return "ks"
    if column_type == NUMERIC and n_distinct > FEW_DISTINCT_MAX:
        return "wasserstein"
    return "jensenshannon"
