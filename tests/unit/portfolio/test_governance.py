"""The ownership matrix and its gaps on the tiny fixture store."""

from __future__ import annotations

from core.portfolio.business_units import update_business_unit
from core.portfolio.governance import OWNER_LOAD_LIMIT, owner_platform_counts, ownership_matrix
from tests.conftest import ADMIN


def _owners(store, rows):
    with store.system_write(action="test.fixture") as cur:
        for code, owner, platform, kind, guardrails in rows:
            cur.execute("UPDATE initiative SET bu_owner = ?, platform_owner = ?, kind = ?, guardrails = ? "
                        "WHERE code = ?", [owner, platform, kind, guardrails, code])


def test_matrix_counts_initiatives_per_unit_and_owner_pair_with_their_gaps(tiny_store):
    _owners(tiny_store, [("A", "Ada", "ML Platform", "agentic", "none"),      # RETAIL, production, unguarded
                         ("C", "Ada", "ML Platform", "predictive", "none"),   # RETAIL, pilot
                         ("B", "TBD", "ML Platform", "predictive", "none"),   # OPS, scaled: no owner
                         ("D", "Bo", " ", "generative", "none")])             # OPS, idea: no platform owner
    matrix = ownership_matrix(tiny_store).set_index(["business_unit", "bu_owner"])
    ada = matrix.loc[("RETAIL", "Ada")]
    assert (ada["initiatives"], ada["live"], ada["unguarded"]) == (2, 1, 1)
    assert ada["spend_usd"] == 250  # A 200 + C 50
    assert ada["gaps"] == ["1 without guardrails"]
    assert matrix.loc[("OPS", "TBD"), "gaps"] == ["no business owner"]
    assert matrix.loc[("OPS", "Bo"), "gaps"] == ["no platform owner"]
    counts = owner_platform_counts(ownership_matrix(tiny_store))
    assert counts.loc["Ada", "ML Platform"] == 2


def test_an_owner_of_more_than_the_limit_is_a_gap_and_retired_initiatives_do_not_count(tiny_store):
    with tiny_store.system_write(action="test.fixture") as cur:
        for n in range(OWNER_LOAD_LIMIT):
            cur.execute("INSERT INTO initiative SELECT ? AS code, name, business_unit, stage, kind, 'Ada', platform_owner, "
                        "kpi_name, kpi_unit, kpi_baseline, kpi_target, kpi_current, risk_tier, deployment, 'human approval', "
                        "start_date, stage_since, description FROM initiative WHERE code = 'A'", [f"X{n}"])
        cur.execute("UPDATE initiative SET bu_owner = 'Ada', guardrails = 'human approval' WHERE code = 'A'")
    matrix = ownership_matrix(tiny_store)
    ada = matrix[matrix["bu_owner"] == "Ada"].iloc[0]
    assert ada["initiatives"] == OWNER_LOAD_LIMIT + 1
    assert f"Ada owns {OWNER_LOAD_LIMIT + 1} active initiatives (limit {OWNER_LOAD_LIMIT})" in ada["gaps"]
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.execute("UPDATE initiative SET stage = 'retired' WHERE code = 'X0'")
    ada = ownership_matrix(tiny_store).query("bu_owner == 'Ada'").iloc[0]
    assert ada["initiatives"] == OWNER_LOAD_LIMIT and not any("owns" in gap for gap in ada["gaps"])


def test_each_row_names_its_units_head_once_an_admin_set_one(tiny_store):
    update_business_unit(tiny_store, ADMIN, "RETAIL", name="Retail", head="Grace Hopper")
    heads = ownership_matrix(tiny_store).set_index("business_unit")["business_unit_head"]
    assert heads["RETAIL"] == "Grace Hopper"
    assert heads[["OPS"]].isna().all()
