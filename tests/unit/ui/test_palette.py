"""Colours stay apart for colour-blind readers: every categorical palette of the theme is
drawn from Okabe & Ito's set (or neutral greys), and no two of its colours merge under a
simulated protanopia or deuteranopia (Machado, Oliveira & Fernandes 2009, severity 1): their
CIELAB distance (ΔE*76) stays at least ``MIN_DELTA_E``."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ui import theme
from ui.charts.drift import STATUS_COLOURS
from ui.charts.spend import SERVING_COLOURS

# Machado et al. (2009) simulation matrices, applied to linear RGB
SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
NEUTRALS = {theme.LIGHT_GREY, theme.GREY, theme.NEAR_BLACK, theme.STAGE_COLOURS["retired"]}
PALETTES = {"stages": theme.STAGE_COLOURS, "verdicts": theme.VERDICT_COLOURS, "categories": theme.CATEGORY_COLOURS,
            "series": dict(enumerate(theme.SERIES_COLOURS)),
            "cost and benefit": {"cost": theme.COST_COLOUR, "benefit": theme.BENEFIT_COLOUR},
            "drift status": STATUS_COLOURS, "where it runs": SERVING_COLOURS}
MIN_DELTA_E = 20  # CIELAB ΔE*76 between two simulated colours: clearly different swatches side by side
_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])  # D65


def _linear(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = _XYZ @ np.clip(linear, 0, 1) / _WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, condition: str) -> float:
    """ΔE*76 between colours ``a`` and ``b`` as a reader with ``condition`` sees them."""
    matrix = SIMULATIONS[condition]
    return float(np.linalg.norm(_lab(matrix @ _linear(a)) - _lab(matrix @ _linear(b))))


@pytest.mark.parametrize("name", PALETTES)
def test_each_palette_uses_the_colour_blind_safe_set(name):
    colours = list(PALETTES[name].values())
    assert set(colours) <= set(theme.OKABE_ITO) | NEUTRALS, name
    assert len(set(colours)) == len(colours), f"{name}: two categories share a colour"


@pytest.mark.parametrize("condition", SIMULATIONS)
@pytest.mark.parametrize("name", PALETTES)
def test_no_two_colours_of_a_palette_merge_for_colour_blind_readers(name, condition):
    for (a_key, a), (b_key, b) in itertools.combinations(PALETTES[name].items(), 2):
        distance = delta_e(a, b, condition)
        assert distance >= MIN_DELTA_E, f"{name}: {a_key} {a} and {b_key} {b} look alike (ΔE {distance:.0f}) under {condition}"


def test_the_check_catches_a_red_green_pair():
    # the old verdict colours: Scale teal-green and Cut red, the pair this check exists for
    assert delta_e("#1B998B", "#D1495B", "protanopia") < MIN_DELTA_E < delta_e("#1B998B", "#D1495B", "normal")
