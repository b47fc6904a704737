"""Executive number formats: sizes and money read at a glance, unknowns as a dash."""

from __future__ import annotations

import pytest

from ui.formatting import file_size, money


@pytest.mark.parametrize("size, text", [
    (0, "0 B"), (243, "243 B"), (1023, "1023 B"), (1536, "1.50 KB"), (805 * 2**20, "805 MB"),
    (12.5 * 2**30, "12.5 GB"), (None, "—"), (float("nan"), "—"),
])
def test_file_size(size, text):
    assert file_size(size) == text


@pytest.mark.parametrize("value, text", [(1_234_567, "$1.23M"), (-45_600, "−$45.6k"), (789, "$789"), (None, "—"),
                                         (0.72, "$0.72"), (-3.456, "−$3.46"), (0, "$0"), (12.4, "$12")])
def test_money(value, text):
    assert money(value) == text


@pytest.mark.parametrize("value, text", [
    (0.0244, "$0.0244"), (1.5, "$1.5000"), (0.00000123456, "$0.00000123"), (0.000999, "$0.000999"), (0, "$0.0000"),
    (None, "—"),
])
def test_unit_money_never_rounds_a_tiny_cost_to_zero(value, text):
    from ui.formatting import unit_money

    assert unit_money(value) == text


@pytest.mark.parametrize("costs, text", [
    ((3.083e-10, 1.416e-11), "$0.308 → $0.0142 per 1B inferences"),
    ((0.0004, 0.00001), "$0.400 → $0.0100 per 1,000 inferences"),
    ((2e-8,), "$0.0200 per 1M inferences"),
    ((0.0,), "$0 per 1,000 inferences"),
    ((1.55e-14,), "$0.0155 per 1T inferences"),
])
def test_tiny_costs_per_inference_are_written_on_one_readable_scale(costs, text):
    from core.models.adoption import per_inferences_text

    assert per_inferences_text(*costs) == text
