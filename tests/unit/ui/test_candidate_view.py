"""The Lab's candidates table fits and reads: one interval column, one latency column, costs
on one readable scale for every row, "—" for what a failed candidate lacks."""

from __future__ import annotations

import pandas as pd

from ui.rightsize import candidate_view


def _table():
    return pd.DataFrame([
        {"name": "small", "source": "ladder", "status": "ok", "quality": 0.95, "ci_low": 0.941, "ci_high": 0.957,
         "p50_ms": 0.0412, "p95_ms": 0.0533, "p99_ms": 0.081, "throughput_rps": 52000.0, "size_kb": 3.2,
         "cost_per_1m_usd": 1.5e-5, "energy_wh_per_1k": 0.002, "parity": 1e-7, "frontier": True,
         "role": "recommended", "reason": ""},
        {"name": "big", "source": "ladder", "status": "ok", "quality": 0.96, "ci_low": 0.95, "ci_high": 0.97,
         "p50_ms": 0.4, "p95_ms": 0.52, "p99_ms": 0.9, "throughput_rps": 5100.0, "size_kb": 410.0,
         "cost_per_1m_usd": 1.24e-4, "energy_wh_per_1k": 0.02, "parity": 2e-7, "frontier": True, "role": "best",
         "reason": ""},
        {"name": "broken", "source": "upload", "status": "failed", "quality": None, "ci_low": None, "ci_high": None,
         "p50_ms": None, "p95_ms": None, "p99_ms": None, "throughput_rps": None, "size_kb": None,
         "cost_per_1m_usd": None, "energy_wh_per_1k": None, "parity": None, "frontier": False, "role": "",
         "reason": "outputs are NaN"},
    ])


def test_costs_share_one_readable_scale_and_missing_figures_read_as_a_dash():
    view, columns = candidate_view(_table())
    assert list(view["cost"]) == ["$0.0150", "$0.124", "—"]
    assert columns["cost"]["label"] == "$ per 1B"
    assert list(view["ci"]) == ["0.941–0.957", "0.950–0.970", "—"]
    assert list(view["latency"]) == ["0.0412 / 0.0533 / 0.081", "0.4 / 0.52 / 0.9", "—"]
    assert columns["name"]["pinned"] is True
    assert list(view["reason"]) == ["—", "—", "outputs are NaN"]


def test_the_reason_column_is_left_out_when_no_candidate_failed():
    view, columns = candidate_view(_table().iloc[:2])
    assert "reason" not in view and "reason" not in columns
    assert len(view.columns) == 12  # was 16: interval and latencies folded, frontier flag not shown


def test_the_frontier_axis_reads_in_cents_per_billion_not_scientific_notation():
    from ui.charts.rightsize import frontier_figure

    fig = frontier_figure(_table(), "ROC AUC", "cloud-cpu-4")
    axis = fig.layout.xaxis
    assert "per 1B inferences" in axis.title.text
    assert len(axis.ticktext) >= 3 and not any("e" in text for text in axis.ticktext), axis.ticktext
    assert [round(x, 6) for x in sorted(fig.data[0].x)] == [0.015, 0.124]  # $ per 1B, as in the table
