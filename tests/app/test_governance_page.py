"""Governance page: the unguarded systems and the ownership matrix, without a click."""

from __future__ import annotations

from core.portfolio.governance import ownership_matrix
from core.portfolio.summary import PortfolioFilter, initiative_table
from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import VIEWER


def test_governance_lists_unguarded_systems_and_the_ownership_matrix_with_gaps(app_db):
    store = Store.open(app_db)
    try:
        unguarded = initiative_table(store, PortfolioFilter(flag="no_guardrails"))
        matrix = ownership_matrix(store)
    finally:
        store.close()
    assert len(unguarded) > 0  # the demo has agentic systems without guardrails
    at = new_app(VIEWER)
    at.run()
    at.switch_page("pages/governance.py").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Without guardrails"] == str(len(unguarded))
    assert metrics["Active initiatives"] == str(int(matrix["initiatives"].sum()))
    listed, incidents, shown_matrix = (frame.value for frame in at.dataframe)
    assert sorted(listed["link"].str.removeprefix("/initiative?initiative=")) == sorted(unguarded["code"])
    assert len(shown_matrix) == len(matrix)
    # the demo's live agentic systems without guardrails each carry an open incident
    assert metrics["With open incidents"] == str(len(incidents)) == "2"
    assert set(incidents["link"].str.removeprefix("/initiative?initiative=")) <= set(unguarded["code"])
    gaps = shown_matrix[shown_matrix["gap_text"] != "—"]
    assert len(gaps) == int((matrix["gaps"].str.len() > 0).sum()) > 0
    assert len(at.get("plotly_chart")) == 1
