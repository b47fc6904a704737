"""Cost and energy formulas, hand-computed."""

import pytest

from core.errors import ValidationError
from core.rightsize.pricing import (DEFAULT_PROFILES, HardwareProfile, cost_per_1m_usd, energy_wh_per_1k,
                                    price_candidate, pricing_assumptions, profile_named)


@pytest.mark.parametrize("price, cores, utilisation, cpu_s, expected_usd", [
    # (0.17 / 3600) × (2e-5 / 4) × 1e6 ÷ 0.6 = 0.000047222… × 5 ÷ 0.6
    (0.17, 4, 0.6, 2e-5, 0.17 / 3600 * 5e-6 * 1e6 / 0.6),
    (3.6, 1, 1.0, 1e-3, 1.0),  # $1 per 1000 s; 1M × 1 ms = 1000 s → $1.00
    (3.6, 2, 0.5, 1e-3, 1.0),  # two cores halve the time, 50 % utilisation doubles the cost
])
def test_cost_per_1m(price, cores, utilisation, cpu_s, expected_usd):
    profile = HardwareProfile("p", "cloud", price, cores, 100.0, utilisation)
    assert cost_per_1m_usd(cpu_s, profile) == pytest.approx(expected_usd)


def test_energy_per_1k_is_watts_times_busy_seconds():
    profile = HardwareProfile("edge", "edge", 0.02, 4, 10.0)
    # 10 W × (0.004 s ÷ 4 cores) × 1000 ÷ 3600 = 10 × 0.001 × 1000 / 3600 Wh
    assert energy_wh_per_1k(0.004, profile) == pytest.approx(10 * 0.001 * 1000 / 3600)


def test_price_candidate_covers_every_profile_and_unmeasured_is_none():
    costs = price_candidate(1e-5, DEFAULT_PROFILES)
    assert [c.profile for c in costs] == [p.name for p in DEFAULT_PROFILES]
    assert all(c.cost_per_1m_usd > 0 for c in costs)
    assert all(c.cost_per_1m_usd is None for c in price_candidate(None, DEFAULT_PROFILES))


def test_default_profiles_include_cloud_gpu_and_edge():
    names = {p.name: p for p in DEFAULT_PROFILES}
    assert names["cloud-cpu-4"].price_per_hour_usd == pytest.approx(0.17)
    assert names["cloud-gpu-t4"].accelerator and names["edge-arm"].location == "edge"


def test_assumptions_state_the_formula_and_the_unused_gpu():
    text = " ".join(pricing_assumptions(profile_named(DEFAULT_PROFILES, "cloud-gpu-t4"), 256))
    assert "÷ 3600" in text and "60% target utilisation" in text and "not used" in text


@pytest.mark.parametrize("kwargs, words", [
    (dict(location="moon"), "location"),
    (dict(cores=0), "cores"),
    (dict(target_utilisation=0), "utilisation"),
    (dict(price_per_hour_usd=-1), "price"),
])
def test_profile_validation(kwargs, words):
    base = dict(name="p", location="cloud", price_per_hour_usd=1.0, cores=2, watts=10.0)
    with pytest.raises(ValidationError, match=words):
        HardwareProfile(**{**base, **kwargs})


def test_unknown_profile_lists_valid_names():
    with pytest.raises(ValidationError, match="cloud-cpu-4, cloud-gpu-t4, edge-arm"):
        profile_named(DEFAULT_PROFILES, "mainframe")
