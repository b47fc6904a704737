"""Hardware profiles and what one inference costs on them.

Formulas (units in the names):

    seconds_per_inference = cpu_seconds_per_inference ÷ cores
        (measured process CPU seconds per row in the Offline batch run; the profile is assumed
        to run ``cores`` single-threaded workers in parallel, each core as fast as one core of
        the measuring machine)
    cost_per_1m_usd = (price_per_hour_usd ÷ 3600) × seconds_per_inference × 1,000,000
                      ÷ target_utilisation
                      + overhead_per_request_usd × 1,000,000
    annual_serving_usd = cost_per_1m_usd × annual_volume ÷ 1,000,000 + 12 × overhead_per_month_usd

The serving overhead puts a vendor API call and a self-hosted model on one basis: what a
request costs beyond the model's compute (gateway, load balancer, logging) and what serving
costs per month whatever the volume (monitoring, on-call, the deployment itself). Two models
compared on one profile pay the same overhead, so it cancels out of a saving but not out of
a cost ratio ("at 11% of the cost" includes it).
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
    overhead_per_request_usd: float = 0.0  # serving cost per request beyond compute (gateway, logs)
    overhead_per_month_usd: float = 0.0  # fixed serving cost per month (monitoring, on-call)

    def __post_init__(self) -> None:
        if self.location not in LOCATIONS:
            raise ValidationError(f"Hardware profile {self.name}: location must be one of "
                                  f"{', '.join(LOCATIONS)}, got {self.location!r}.")
        if not self.price_per_hour_usd >= 0 or not self.watts >= 0:
            raise ValidationError(f"Hardware profile {self.name}: price and watts must be ≥ 0.")
        if not self.overhead_per_request_usd >= 0 or not self.overhead_per_month_usd >= 0:
            raise ValidationError(f"Hardware profile {self.name}: serving overheads must be ≥ 0.")
        if not isinstance(self.cores, int) or self.cores < 1:
            raise ValidationError(f"Hardware profile {self.name}: cores must be a whole number ≥ 1.")
        if not 0 < self.target_utilisation <= 1:
            raise ValidationError(f"Hardware profile {self.name}: target utilisation must be in (0, 1].")

    def to_dict(self) -> dict:
        return asdict(self)


DEFAULT_PROFILES: tuple[HardwareProfile, ...] = (
    # ~ a 4-vCPU general-purpose cloud VM (on-demand list prices, 2026); monitoring, logs and an
    # on-call share ~$50 a month; no per-request fee for a self-hosted model (a gateway billed per
    # call, e.g. $1 per 1M, goes in ``overhead_per_request_usd``)
    HardwareProfile("cloud-cpu-4", "cloud", 0.17, 4, 65.0, overhead_per_month_usd=50.0),
    # ~ g4dn.xlarge: 4 vCPU + NVIDIA T4; these CPU measurements do not use the GPU
    HardwareProfile("cloud-gpu-t4", "cloud", 0.53, 4, 135.0, accelerator="NVIDIA T4",
                    overhead_per_month_usd=50.0),
    # ~ a 4-core ARM edge box bought for ~$500 and written off over 3 years; fleet management
    HardwareProfile("edge-arm", "edge", 0.02, 4, 10.0, overhead_per_month_usd=15.0),
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
    """(price_per_hour_usd ÷ 3600) × (cpu_s ÷ cores) × 1e6 ÷ target_utilisation
    + overhead_per_request_usd × 1e6, in USD."""
    busy_s = seconds_per_inference(cpu_seconds_per_inference, profile)
    compute = profile.price_per_hour_usd / 3600.0 * busy_s * 1e6 / profile.target_utilisation
    return compute + profile.overhead_per_request_usd * 1e6


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
        f"× seconds per inference × 1,000,000 ÷ {profile.target_utilisation:.0%} target utilisation"
        f" + ${profile.overhead_per_request_usd * 1e6:,.2f} serving overhead per 1M requests.",
        f"Serving {profile.name} also costs ${profile.overhead_per_month_usd:,.2f} a month whatever the volume; "
        "every model compared on it pays the same, so it cancels out of a saving.",
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
