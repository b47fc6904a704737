"""Hardware profiles and what one inference costs on them.

Formulas (units in the names):

    seconds_per_inference = cpu_seconds_per_inference ÷ cores
        (measured process CPU seconds per row in the Offline batch run; the profile is assumed
        to run ``cores`` single-threaded workers in parallel, each core as fast as one core of
        the measuring machine)
    cost_per_1m_usd = (price_per_hour_usd ÷ 3600) × seconds_per_inference × 1,000,000
                      ÷ target_utilisation
    energy_wh_per_1k = watts × seconds_per_inference × 1000 ÷ 3600
        (busy time only: the profile's whole-machine watts while it serves inferences)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from core.errors import ValidationError
from core.rightsize.report import ProfileCost

LOCATIONS = ("cloud", "edge")


@dataclass(frozen=True)
class HardwareProfile:
    """Where a model could run and what that machine costs per hour."""

    name: str
    location: str  # "cloud" or "edge"
    price_per_hour_usd: float  # on-demand price, or purchase price amortised per hour for edge
    cores: int
    watts: float  # whole-machine power draw under load
    target_utilisation: float = 0.6  # share of paid hours spent serving
    accelerator: str | None = None

    def __post_init__(self) -> None:
        if self.location not in LOCATIONS:
            raise ValidationError(f"Hardware profile {self.name}: location must be one of "
                                  f"{', '.join(LOCATIONS)}, got {self.location!r}.")
        if not self.price_per_hour_usd >= 0 or not self.watts >= 0:
            raise ValidationError(f"Hardware profile {self.name}: price and watts must be ≥ 0.")
        if not isinstance(self.cores, int) or self.cores < 1:
            raise ValidationError(f"Hardware profile {self.name}: cores must be a whole number ≥ 1.")
        if not 0 < self.target_utilisation <= 1:
            raise ValidationError(f"Hardware profile {self.name}: target utilisation must be in (0, 1].")

    def to_dict(self) -> dict:
        return asdict(self)


DEFAULT_PROFILES: tuple[HardwareProfile, ...] = (
    # ~ a 4-vCPU general-purpose cloud VM (on-demand list prices, 2026)
    HardwareProfile("cloud-cpu-4", "cloud", 0.17, 4, 65.0),
    # ~ g4dn.xlarge: 4 vCPU + NVIDIA T4; these CPU measurements do not use the GPU
    HardwareProfile("cloud-gpu-t4", "cloud", 0.53, 4, 135.0, accelerator="NVIDIA T4"),
    # ~ a 4-core ARM edge box bought for ~$500 and written off over 3 years
    HardwareProfile("edge-arm", "edge", 0.02, 4, 10.0),
)


def profile_named(profiles, name: str) -> HardwareProfile:
    """The profile called ``name``; ``ValidationError`` listing the valid names otherwise."""
    for profile in profiles:
        if profile.name == name:
            return profile
    valid = ", ".join(p.name for p in profiles)
    raise ValidationError(f"Unknown hardware profile {name!r}. Choose one of: {valid}.")


def seconds_per_inference(cpu_seconds_per_inference: float, profile: HardwareProfile) -> float:
    return cpu_seconds_per_inference / profile.cores


def cost_per_1m_usd(cpu_seconds_per_inference: float, profile: HardwareProfile) -> float:
    """(price_per_hour_usd ÷ 3600) × (cpu_s ÷ cores) × 1e6 ÷ target_utilisation, in USD."""
    busy_s = seconds_per_inference(cpu_seconds_per_inference, profile)
    return profile.price_per_hour_usd / 3600.0 * busy_s * 1e6 / profile.target_utilisation


def energy_wh_per_1k(cpu_seconds_per_inference: float, profile: HardwareProfile) -> float:
    """watts × (cpu_s ÷ cores) × 1000 ÷ 3600, in watt-hours per 1,000 inferences."""
    return profile.watts * seconds_per_inference(cpu_seconds_per_inference, profile) * 1000.0 / 3600.0


def price_candidate(cpu_seconds_per_inference: float | None, profiles) -> tuple[ProfileCost, ...]:
    """Cost and energy on every profile; ``None`` values when nothing was measured."""
    if cpu_seconds_per_inference is None:
        return tuple(ProfileCost(p.name, None, None) for p in profiles)
    return tuple(ProfileCost(p.name, cost_per_1m_usd(cpu_seconds_per_inference, p),
                             energy_wh_per_1k(cpu_seconds_per_inference, p)) for p in profiles)


def pricing_assumptions(profile: HardwareProfile, batch_size: int) -> tuple[str, ...]:
    """Plain sentences to print next to the cost and energy numbers of ``profile``."""
    sentences = [
        f"Cost per 1M inferences on {profile.name} = (${profile.price_per_hour_usd:.3f} per hour ÷ 3600) "
        f"× seconds per inference × 1,000,000 ÷ {profile.target_utilisation:.0%} target utilisation.",
        f"Seconds per inference = measured CPU seconds per row when scoring batches of {batch_size} "
        f"rows with one thread, ÷ {profile.cores} cores running in parallel.",
        f"Each core of {profile.name} is assumed as fast as one core of the machine that ran the lab.",
        f"Energy per 1,000 inferences = {profile.watts:g} W × seconds per inference × 1000 ÷ 3600 "
        f"(busy time only, idle power not counted).",
    ]
    if profile.accelerator:
        sentences.append(f"The {profile.accelerator} of {profile.name} is not used: models are measured "
                         f"on CPU with ONNX Runtime's CPU provider.")
    if profile.location == "edge":
        sentences.append(f"{profile.name}'s hourly price is its purchase price amortised over its life.")
    return tuple(sentences)
