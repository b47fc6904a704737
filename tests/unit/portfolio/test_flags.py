"""Portfolio flags on hand-made data."""

from __future__ import annotations

import datetime as dt

from core.portfolio.flags import FLAGS, flagged_codes
from core.portfolio.usage import append_usage


def _usage(cur, rows):
    cur.execute("CREATE OR REPLACE TEMP TABLE usage_import_staging AS SELECT * FROM usage_event LIMIT 0")
    cur.executemany(
        "INSERT INTO usage_import_staging (ts, initiative, provider, model, operation, requests, input_tokens,"
        " output_tokens, cached_input_tokens, latency_ms, cost_usd, location, hardware)"
        " VALUES (?, ?, 'p', 'm', 'predict', ?, 0, 0, 0, 5, ?, 'cloud', 'cloud-cpu-4')",
        rows,
    )
    append_usage(cur, "usage_import_staging")
    cur.execute("DROP TABLE usage_import_staging")


def test_unit_cost_rising_compares_last_three_months_with_the_three_before(tiny_store):
    months = [dt.datetime(2025, m, 15) for m in (9, 10, 11, 12)] + [dt.datetime(2026, 1, 15), dt.datetime(2026, 2, 15)]
    rows = []
    for i, ts in enumerate(months):
        rows.append([ts, "A", 1000, 1.0])                      # A: flat $1 per 1k
        rows.append([ts, "B", 1000, 1.0 if i < 3 else 1.2])    # B: +20% in the last three months
        rows.append([ts, "C", 1000, 1.0 if i < 3 else 1.05])   # C: +5%, under the 10% threshold
    with tiny_store.system_write(action="test.usage") as cur:
        _usage(cur, rows)
    assert flagged_codes(tiny_store, "unit_cost_rising", dt.date(2026, 2, 28)) == {"B"}


def test_every_flag_states_its_rule():
    for flag in FLAGS.values():
        assert flag.label and flag.rule.endswith(".")


def test_a_fresh_process_has_every_flag_in_its_portfolio(demo_db_path):
    """Flags used to be registered by importing the module that defines them: a process that
    never imported the drift monitor (the CLI, the board pack, a new server) had no
    "drifting" flag. The portfolio table of a bare process must carry every flag."""
    import json
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from core.store import Store\n"
        "from core.portfolio.summary import initiative_table\n"
        "store = Store.open(sys.argv[1])\n"
        "frame = initiative_table(store)\n"
        "flagged = sorted({label for labels in frame['flags'] for label in labels})\n"
        "print(json.dumps({'flagged': flagged}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(demo_db_path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["flagged"] == sorted(flag.label for flag in FLAGS.values()), seen


def test_no_guardrails_flags_agentic_and_high_risk_systems_with_neither_approval_nor_validator(tiny_store):
    cases = {  # code: (kind, risk tier, guardrails, stage) -> flagged?
        "A": ("agentic", "low", "none", "production", True),
        "B": ("agentic", "medium", "human approval", "scaled", False),
        "C": ("predictive", "high", "none", "pilot", True),
        "D": ("generative", "high", "validator agent", "idea", False),
    }
    with tiny_store.system_write(action="test.fixture") as cur:
        for code, (kind, risk, guardrails, stage, _) in cases.items():
            cur.execute("UPDATE initiative SET kind = ?, risk_tier = ?, guardrails = ?, stage = ? WHERE code = ?",
                        [kind, risk, guardrails, stage, code])
    expected = {code for code, case in cases.items() if case[-1]}
    assert flagged_codes(tiny_store, "no_guardrails", dt.date(2026, 2, 28)) == expected == {"A", "C"}
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.execute("UPDATE initiative SET stage = 'retired' WHERE code = 'A'")  # a retired system serves nobody
    assert flagged_codes(tiny_store, "no_guardrails", dt.date(2026, 2, 28)) == {"C"}
