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


@pytest.mark.parametrize("value, text", [(1_234_567, "$1.23M"), (-45_600, "−$45.6k"), (789, "$789"), (None, "—")])
def test_money(value, text):
    assert money(value) == text


@pytest.mark.parametrize("value, text", [
    (0.0244, "$0.0244"), (1.5, "$1.5000"), (0.00000123456, "$0.00000123"), (0.000999, "$0.000999"), (0, "$0.0000"),
    (None, "—"),
])
def test_unit_money_never_rounds_a_tiny_cost_to_zero(value, text):
    from ui.formatting import unit_money

    assert unit_money(value) == text
