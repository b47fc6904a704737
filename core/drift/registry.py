"""The drift methods, registered by short name (as Evidently names its stat tests).

A method is a pure function plus what the engine needs to call and judge it:

- ``kind``: ``"p_value"`` (a hypothesis test; small p means drift) or ``"distance"``
  (large means drift);
- ``sample``: what the function takes —
  ``"values"`` (two float arrays, missing values dropped),
  ``"levels"`` (counts per level over the sorted union of levels; numeric values are levels),
  ``"binned"`` (as ``"levels"``, but numeric columns with more than 20 distinct reference
  values become Sturges histogram bins, Evidently's ``get_binned_data``);
- ``column_types``: the column types it accepts;
- ``default_threshold``.

Adding a method is one module with a pure function and one ``register(...)`` line below.

Three-level status (whylogs-style bands, stated here once):

- p-value tests: drift when ``p < t``; possible drift when ``t ≤ p < 3·t``
  (0.05 / 0.15 at the default, whylogs' bands); otherwise no drift.
- distances: drift when ``d ≥ t``; possible drift when ``t/2 ≤ d < t``
  (0.05 ≤ d < 0.1 at the default); otherwise no drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

import numpy as np

from core.drift import chisquare, jensenshannon, ks, psi, wasserstein, ztest
from core.errors import CoreError

NUMERIC = "numeric"
CATEGORICAL = "categorical"
COLUMN_TYPES = (NUMERIC, CATEGORICAL)

NO_DRIFT = "no drift"
POSSIBLE_DRIFT = "possible drift"
DRIFT = "drift"
NO_DATA = "no data"

#: p-value tests report "possible drift" up to this multiple of the threshold (0.05 → 0.15).
P_VALUE_POSSIBLE_FACTOR = 3.0
#: distances report "possible drift" from this fraction of the threshold (0.1 → 0.05).
DISTANCE_POSSIBLE_FACTOR = 0.5


class DriftInputError(CoreError):
    """Drift cannot be computed from the given windows or options (names what to fix)."""


StatisticFunc = Callable[[np.ndarray, np.ndarray], tuple[float, float | None]]


@dataclass(frozen=True)
class DriftMethod:
    """One registered drift method; see the module docstring for the fields."""

    name: str
    label: str
    kind: Literal["p_value", "distance"]
    sample: Literal["values", "levels", "binned"]
    column_types: tuple[str, ...]
    default_threshold: float
    func: StatisticFunc

    def judge(self, statistic: float, p_value: float | None, threshold: float) -> tuple[bool, str]:
        """Return ``(drifted, status)`` for one result under ``threshold``."""
        if self.kind == "p_value":
            assert p_value is not None
            if p_value < threshold:
                return True, DRIFT
            # round: 3 × 0.05 is 0.15000000000000002 in binary, and p = 0.15 is "no drift".
            if p_value < round(P_VALUE_POSSIBLE_FACTOR * threshold, 12):
                return False, POSSIBLE_DRIFT
            return False, NO_DRIFT
        if statistic >= threshold:
            return True, DRIFT
        if statistic >= round(DISTANCE_POSSIBLE_FACTOR * threshold, 12):
            return False, POSSIBLE_DRIFT
        return False, NO_DRIFT

    def check_threshold(self, threshold: float, column: str) -> float:
        """Return ``threshold`` as a float if it is valid for this method, else raise."""
        value = float(threshold)
        upper_ok = value < 1.0 if self.kind == "p_value" else True
        if not (np.isfinite(value) and value > 0.0 and upper_ok):
            expected = "a significance level between 0 and 1" if self.kind == "p_value" else "a distance > 0"
            raise DriftInputError(
                f"column `{column}`: threshold {threshold!r} is not valid for method {self.name}; "
                f"expected {expected} (default {self.default_threshold})."
            )
        return value


METHODS: dict[str, DriftMethod] = {}


def register(method: DriftMethod) -> DriftMethod:
    """Add ``method`` to :data:`METHODS` under its short name (names are unique)."""
    if method.name in METHODS:
        raise ValueError(f"drift method {method.name!r} is registered twice")
    METHODS[method.name] = method
    return method


def get_method(name: str) -> DriftMethod:
    """Return the method called ``name``; the error lists the valid names."""
    try:
        return METHODS[name]
    except KeyError:
        raise DriftInputError(
            f"unknown drift method {name!r}; choose one of: {', '.join(sorted(METHODS))}."
        ) from None


_BOTH = (NUMERIC, CATEGORICAL)
register(DriftMethod("ks", "Kolmogorov–Smirnov", "p_value", "values", (NUMERIC,), 0.05, ks.ks_test))
register(DriftMethod("chisquare", "chi-squared", "p_value", "levels", _BOTH, 0.05, chisquare.chisquare_test))
register(DriftMethod("z", "two-proportion Z-test", "p_value", "levels", _BOTH, 0.05, ztest.z_test))
register(DriftMethod("wasserstein", "Wasserstein ÷ std", "distance", "values", (NUMERIC,), 0.1,
                     wasserstein.wasserstein_norm))
register(DriftMethod("jensenshannon", "Jensen–Shannon", "distance", "binned", _BOTH, 0.1,
                     jensenshannon.jensenshannon_distance))
register(DriftMethod("psi", "population stability index", "distance", "binned", _BOTH, 0.1,
                     psi.population_stability_index))
