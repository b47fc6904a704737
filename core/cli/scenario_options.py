"""The ROI Review's scenario knobs as command-line options (``factory roi``, ``factory export
board-pack``): start from a saved scenario, then override any knob.

    --scenario NAME  --vendor-price-change=-90%  --volume-growth 5%
    --benefits-scale-with-volume / --no-benefits-scale-with-volume
    --adopt-rightsize / --no-adopt-rightsize

Percentages are written ``-90%`` or ``-0.9`` (a fraction); a negative percentage needs the
``=`` form (``--vendor-price-change=-90%``), as argparse reads ``-90%`` as an option.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from core.finance.scenarios import ScenarioConfig, find_scenario


def fraction(text: str) -> float:
    """``-90%`` or ``-0.9`` → −0.9 (the range is checked by ``ScenarioConfig``)."""
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage like -90% or a fraction like -0.9, got {text!r}") from None


def add_scenario_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("scenario (the ROI Review's what-if knobs)")
    group.add_argument("--scenario", metavar="NAME", help="start from this saved scenario")
    group.add_argument("--vendor-price-change", type=fraction, metavar="P",
                       help="change in vendor-API inference prices, e.g. --vendor-price-change=-90%%")
    group.add_argument("--volume-growth", type=fraction, metavar="G", help="usage volume growth a month, e.g. 5%%")
    group.add_argument("--benefits-scale-with-volume", action=argparse.BooleanOptionalAction, default=None,
                       help="benefits grow with volume")
    group.add_argument("--adopt-rightsize", action=argparse.BooleanOptionalAction, default=None,
                       help="subtract the adopted right-size recommendations' measured savings")


def scenario_from_args(store, args: argparse.Namespace) -> tuple[ScenarioConfig, str | None] | None:
    """(config, name) from the options, or None when none was given. The name is the saved
    scenario's, marked when an option changed one of its knobs; ``NotFoundError`` for an
    unknown name, ``ValidationError`` for a knob out of range."""
    overrides = {field: value for field, value in (
        ("vendor_price_change", args.vendor_price_change), ("volume_growth_monthly", args.volume_growth),
        ("benefits_scale_with_volume", args.benefits_scale_with_volume), ("adopt_rightsize", args.adopt_rightsize),
    ) if value is not None}
    if args.scenario is None and not overrides:
        return None
    saved = find_scenario(store, args.scenario) if args.scenario is not None else None
    base = saved.config if saved is not None else ScenarioConfig()
    config = replace(base, **overrides)
    if saved is None:
        return config, None
    return config, saved.name if config == saved.config else f"{saved.name} (knobs changed since loading)"
