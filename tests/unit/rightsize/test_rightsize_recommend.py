"""The recommendation rule on hand-built candidates (table-driven), and the frontier."""

import pytest

from core.rightsize.recommend import pareto_frontier, recommend_model
from core.rightsize.report import CandidateResult, LatencyReport, ProfileCost

P = "cloud-cpu-4"


def cand(name, quality, cost, p95_ms=1.0, size=1000, status="ok"):
    return CandidateResult(name=name, source="ladder", status=status, quality=quality,
                           latency=LatencyReport.from_values([p95_ms]), size_bytes=size,
                           costs=(ProfileCost(P, cost, 0.0),))


CASES = [
    # id, candidates, tolerance, budget, expected best, expected recommended
    ("cheapest within tolerance",
     [cand("big", 0.99, 10.0), cand("mid", 0.96, 2.0), cand("tiny", 0.90, 0.5)], 0.95, None, "big", "mid"),
    ("exactly at the threshold qualifies",
     [cand("big", 1.0, 10.0), cand("edge", 0.95, 1.0)], 0.95, None, "big", "edge"),
    ("best is also cheapest",
     [cand("big", 0.99, 1.0), cand("small", 0.98, 2.0)], 0.95, None, "big", "big"),
    ("cost tie goes to the smaller file",
     [cand("big", 0.99, 9.0), cand("a", 0.97, 1.0, size=5000), cand("b", 0.97, 1.0, size=800)], 0.95, None, "big", "b"),
    ("latency budget excludes the cheapest",
     [cand("big", 0.99, 10.0, 0.5), cand("slow", 0.97, 1.0, 5.0), cand("ok", 0.96, 3.0, 0.8)], 0.95, 1.0, "big", "ok"),
    ("none within budget",
     [cand("big", 0.99, 10.0, 5.0), cand("small", 0.97, 1.0, 4.0)], 0.95, 1.0, "big", None),
    ("failed candidates never count",
     [cand("broken", 1.0, 0.1, status="failed"), cand("big", 0.9, 5.0), cand("small", 0.89, 1.0)], 0.95, None, "big", "small"),
    ("nothing measured", [cand("x", None, None, status="rejected")], 0.95, None, None, None),
    ("best quality not above zero (R²)", [cand("a", -0.2, 1.0), cand("b", -0.5, 0.5)], 0.95, None, "a", None),
    ("tolerance 1 keeps only the best quality",
     [cand("big", 0.99, 10.0), cand("mid", 0.989, 1.0)], 1.0, None, "big", "big"),
]


@pytest.mark.parametrize("candidates, tolerance, budget, best, recommended",
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_recommendation_rule(candidates, tolerance, budget, best, recommended):
    decision = recommend_model(candidates, P, tolerance, budget, "roc_auc")
    assert decision.best == best
    assert decision.recommended == recommended
    if recommended is None:
        assert decision.sentence.startswith("No candidate")
        assert decision.quality_ratio is None and decision.cost_ratio is None


def test_sentence_states_quality_and_cost_ratios():
    decision = recommend_model([cand("HistGradientBoosting · 200 trees", 1.0, 9.1),
                                cand("Logistic regression · 21 params", 0.96, 1.0)], P, 0.95)
    assert decision.sentence == ("Logistic regression · 21 params reaches 96% of the best quality at "
                                 "11% of its cost (9.1× cheaper).")
    assert decision.quality_ratio == pytest.approx(0.96)
    assert decision.cost_ratio == pytest.approx(1 / 9.1)


def test_none_within_budget_says_why():
    decision = recommend_model([cand("big", 0.99, 10.0, 5.0), cand("small", 0.97, 1.0, 4.0)], P, 0.95, 1.0)
    assert "latency budget of 1 ms" in decision.sentence and "small at 4 ms" in decision.sentence


def test_frontier_is_the_pareto_set_by_cost():
    candidates = [cand("tiny", 0.80, 0.1), cand("dominated", 0.79, 0.5), cand("mid", 0.95, 1.0),
                  cand("same-cost-worse", 0.90, 1.0), cand("big", 0.99, 9.0), cand("worse-and-dearer", 0.98, 20.0)]
    assert pareto_frontier(candidates, P) == ("tiny", "mid", "big")
