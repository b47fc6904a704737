"""Scenarios on a hand-checkable store: initiative A of the tiny store plus inference cost
of 300 a month (Dec–Feb), usage 75% on vendor APIs, and an adopted saving of 1,200 a year.

Run rate of A (last 3 months Dec–Feb): inference 900 ÷ 3 = 300, other cost 200 ÷ 3, benefit 500 ÷ 3.
"""

from __future__ import annotations

import pytest

from core.errors import ValidationError
from core.finance.roi import parse_scope
from core.finance.scenarios import ScenarioConfig, compare_scenario, measure_run_rate

OTHER = 200 / 3


@pytest.fixture
def scenario_store(tiny_store):
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.executemany(
            "INSERT INTO financial_line (initiative, month, category, kind, scenario, amount) VALUES (?, ?, 'inference', 'cost', 'actual', 300)",
            [["A", "2025-12-01"], ["A", "2026-01-01"], ["A", "2026-02-01"]])
        cur.executemany("INSERT INTO usage_monthly VALUES (?, 'A', ?, 'cloud', ?, 10, 1000, 0, 0, ?, 0, 0)",
                        [["2026-02-01", "gpt-4o", "vendor-api", 75], ["2026-02-01", "gbm", "cloud-cpu-4", 25]])
        cur.execute("INSERT INTO adoption (initiative, candidate_name, current_cost_per_1k_usd, new_cost_per_1k_usd, "
                    "volume_12m, annual_savings_usd, adopted_at, adopted_by) "
                    "VALUES ('A', 'tiny-gbm', 1, 0.1, 1000000, 1200, '2026-01-15', 'rita')")
        # not measured against today's model: kept for the record, never in the scenario
        cur.execute("INSERT INTO adoption (initiative, candidate_name, new_cost_per_1k_usd, volume_12m, "
                    "annual_savings_usd, adopted_at, adopted_by, basis, basis_reason) VALUES ('A', 'old-guess', 0.1, "
                    "1000000, 99000, '2026-01-20', 'rita', 'not measurable', 'vendor API')")
    return tiny_store


def _compare(store, **knobs):
    return compare_scenario(store, parse_scope(store, "initiative:A"), "all", 0.10, ScenarioConfig(**knobs))


def test_run_rate_is_the_last_three_months_average(scenario_store):
    rate = measure_run_rate(scenario_store, parse_scope(scenario_store, "initiative:A"))
    assert rate.inference_usd == pytest.approx(300.0)
    assert rate.other_cost_usd == pytest.approx(OTHER)
    assert rate.benefit_usd == pytest.approx(500 / 3)
    assert rate.vendor_share == pytest.approx(0.75)
    assert [saving for _, saving in rate.adoption_savings_usd] == [100.0]


def test_baseline_projects_the_run_rate_twelve_months(scenario_store):
    result = _compare(scenario_store)
    assert result.baseline.forward_cost_usd == pytest.approx(12 * (300 + OTHER))
    assert result.scenario.npv_usd == pytest.approx(result.baseline.npv_usd)


def test_deepseek_crash_cuts_only_the_vendor_share_of_inference(scenario_store):
    result = _compare(scenario_store, vendor_price_change=-0.9)
    assert result.scenario.forward_cost_usd == pytest.approx(12 * (300 * (1 - 0.75 * 0.9) + OTHER))
    assert result.scenario.npv_usd > result.baseline.npv_usd


def test_adopting_right_size_subtracts_the_monthly_saving(scenario_store):
    result = _compare(scenario_store, adopt_rightsize=True)
    assert result.scenario.forward_cost_usd == pytest.approx(12 * (200 + OTHER))


def test_volume_growth_drives_inference_and_optionally_benefits(scenario_store):
    growth = [1.1 ** k for k in range(1, 13)]
    costs_only = _compare(scenario_store, volume_growth_monthly=0.10)
    assert costs_only.scenario.forward_cost_usd == pytest.approx(300 * sum(growth) + 12 * OTHER)
    assert costs_only.scenario.forward_benefit_usd == pytest.approx(12 * 500 / 3)
    with_benefits = _compare(scenario_store, volume_growth_monthly=0.10, benefits_scale_with_volume=True)
    assert with_benefits.scenario.forward_benefit_usd == pytest.approx(500 / 3 * sum(growth))


@pytest.mark.parametrize("knobs", [{"vendor_price_change": -0.95}, {"vendor_price_change": 1.5},
                                   {"volume_growth_monthly": 0.9}, {"forward_months": 0}])
def test_out_of_range_knobs_are_refused_with_the_range(knobs):
    with pytest.raises(ValidationError, match="between|Forward"):
        ScenarioConfig(**knobs)


def test_saved_scenario_round_trips_and_is_audited(tiny_store):
    from core.finance.scenarios import list_scenarios, save_scenario
    from core.finance.roi import RoiScope
    from tests.conftest import FINANCE

    config = ScenarioConfig(vendor_price_change=-0.9, volume_growth_monthly=0.05, adopt_rightsize=True)
    first = save_scenario(tiny_store, FINANCE, "  DeepSeek   crash ", RoiScope(), config)
    save_scenario(tiny_store, FINANCE, "DeepSeek crash", RoiScope(), config, replaces=first.version)  # replaces
    saved = list_scenarios(tiny_store)
    assert [(s.name, s.scope, s.config, s.created_by) for s in saved] == [("DeepSeek crash", "portfolio", config, "carl")]
    assert tiny_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'scenario.save'") == 2


@pytest.mark.parametrize("role", ["viewer", "team_lead"])
def test_saving_a_scenario_needs_edit_scenarios(tiny_store, role):
    from core.errors import PermissionDenied
    from core.finance.roi import RoiScope
    from core.finance.scenarios import list_scenarios, save_scenario
    from tests.conftest import ACTORS

    with pytest.raises(PermissionDenied):
        save_scenario(tiny_store, ACTORS[role], "x", RoiScope(), ScenarioConfig())
    assert list_scenarios(tiny_store) == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_scenario_name_must_be_short_and_present(tiny_store, name):
    from core.finance.roi import RoiScope
    from core.finance.scenarios import save_scenario
    from tests.conftest import FINANCE

    with pytest.raises(ValidationError, match="Scenario name"):
        save_scenario(tiny_store, FINANCE, name, RoiScope(), ScenarioConfig())


def test_two_people_saving_over_one_scenario_the_second_is_told_not_silently_erased(tiny_store):
    from core.errors import ValidationError
    from core.finance.roi import RoiScope
    from core.finance.scenarios import list_scenarios, save_scenario
    from tests.conftest import ADMIN, FINANCE

    loaded = save_scenario(tiny_store, FINANCE, "Board case", RoiScope(), ScenarioConfig(volume_growth_monthly=0.02))
    # both load version `loaded`; the admin saves first
    mine = save_scenario(tiny_store, ADMIN, "Board case", RoiScope(), ScenarioConfig(volume_growth_monthly=0.05),
                         replaces=loaded.version)
    with pytest.raises(ValidationError, match="changed by someone else.*ada.*changed since you loaded it"):
        save_scenario(tiny_store, FINANCE, "Board case", RoiScope(), ScenarioConfig(volume_growth_monthly=0.09),
                      replaces=loaded.version)
    with pytest.raises(ValidationError, match="you did not load it"):
        save_scenario(tiny_store, FINANCE, "Board case", RoiScope(), ScenarioConfig())
    [kept] = list_scenarios(tiny_store)
    assert (kept.version, kept.created_by, kept.config.volume_growth_monthly) == (mine.version, "ada", 0.05)
