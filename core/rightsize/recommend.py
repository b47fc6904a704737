"""The recommendation rule and the quality-vs-cost frontier.

Rule (MLPerf-style relative quality target): among candidates with status ok, the cheapest on
the chosen profile whose ``quality ≥ tolerance × best quality`` and, when a latency budget is
set, whose single-row p95 latency ≤ the budget. Ties on cost go to the smaller ONNX file.
The best candidate is the one with the highest quality (ties: cheaper, then smaller).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.rightsize.quality import METRIC_LABELS
from core.rightsize.report import CandidateResult


@dataclass(frozen=True)
class RecommendationResult:
    best: str | None
    recommended: str | None
    quality_ratio: float | None  # recommended quality ÷ best quality
    cost_ratio: float | None  # recommended cost ÷ best cost, on the chosen profile
    sentence: str
    frontier: tuple[str, ...]


def _cost(candidate: CandidateResult, profile: str) -> float | None:
    cost = candidate.cost_on(profile)
    return cost.cost_per_1m_usd if cost else None


def _priced(candidates, profile: str) -> list[CandidateResult]:
    return [c for c in candidates if c.ok and c.quality is not None and math.isfinite(c.quality)
            and _cost(c, profile) is not None]


def _size(candidate: CandidateResult) -> float:
    return candidate.size_bytes if candidate.size_bytes is not None else math.inf


def pareto_frontier(candidates, profile: str) -> tuple[str, ...]:
    """Names of the candidates no other beats on both cost (lower) and quality (higher), by cost."""
    priced = _priced(candidates, profile)
    frontier = []
    for c in priced:
        dominated = any(
            _cost(o, profile) <= _cost(c, profile) and o.quality >= c.quality
            and (_cost(o, profile) < _cost(c, profile) or o.quality > c.quality)
            for o in priced if o is not c)
        if not dominated:
            frontier.append(c)
    frontier.sort(key=lambda c: (_cost(c, profile), -c.quality, _size(c)))
    return tuple(c.name for c in frontier)


def _percent(share: float) -> str:
    return f"{share:.1%}" if share < 0.1 else f"{share:.0%}"


def recommend_model(candidates, profile: str, tolerance: float, latency_budget_ms: float | None = None,
                    metric: str = "quality") -> RecommendationResult:
    """Apply the rule to ``candidates`` priced on ``profile``; the sentence says what and why."""
    frontier = pareto_frontier(candidates, profile)
    priced = _priced(candidates, profile)
    if not priced:
        return RecommendationResult(None, None, None, None,
                              "No candidate could be measured, so there is nothing to recommend; "
                              "see each candidate's reason.", frontier)
    best = min(priced, key=lambda c: (-c.quality, _cost(c, profile), _size(c)))
    label = METRIC_LABELS.get(metric, metric)
    if best.quality <= 0:
        return RecommendationResult(best.name, None, None, None,
                              f"No candidate qualifies: the best {label} is {best.quality:.3f}, not above 0, "
                              f"so no model learned anything useful from this workload.", frontier)
    threshold = tolerance * best.quality
    close_enough = [c for c in priced if c.quality >= threshold]
    qualifying = [c for c in close_enough if latency_budget_ms is None
                  or (c.latency is not None and c.latency.p95_ms <= latency_budget_ms)]
    if not qualifying:
        timed = [c for c in close_enough if c.latency is not None]
        fastest = min(timed, key=lambda c: c.latency.p95_ms) if timed else None
        detail = (f" (fastest: {fastest.name} at {fastest.latency.p95_ms:.3g} ms)" if fastest else "")
        return RecommendationResult(best.name, None, None, None,
                              f"No candidate qualifies: the {len(close_enough)} within {tolerance:.0%} "
                              f"of the "
                              f"best {label} all miss the p95 latency budget of {latency_budget_ms:g} ms"
                              f"{detail}. Raise the budget or lower the tolerance.", frontier)
    chosen = min(qualifying, key=lambda c: (_cost(c, profile), _size(c), c.name))
    quality_ratio = chosen.quality / best.quality
    best_cost = _cost(best, profile)
    cost_ratio = _cost(chosen, profile) / best_cost if best_cost > 0 else None
    if chosen is best:
        sentence = f"{best.name} has the best {label} and is also the cheapest qualifying candidate."
    elif cost_ratio is None:
        sentence = f"{chosen.name} reaches {_percent(quality_ratio)} of the best {label}."
    elif cost_ratio <= 1:
        times = f"{1 / cost_ratio:.1f}× cheaper" if cost_ratio > 0 else "free"
        sentence = (f"{chosen.name} reaches {_percent(quality_ratio)} of the best quality at "
                    f"{_percent(cost_ratio)} of its cost ({times}).")
    else:
        sentence = (f"{chosen.name} reaches {_percent(quality_ratio)} of the best quality at "
                    f"{cost_ratio:.1f}× its cost; {best.name} misses the p95 latency budget of "
                    f"{latency_budget_ms:g} ms.")
    return RecommendationResult(best.name, chosen.name, quality_ratio, cost_ratio, sentence, frontier)
