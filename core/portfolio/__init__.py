"""The portfolio: what the Portfolio and Initiative pages show, computed from the store.

* ``period`` — the reporting date (last day of the latest month with actuals);
* ``summary`` — the portfolio table, verdicts (Scale / Sustain / Fix / Cut), tiles, funnel;
* ``initiative`` — one initiative's detail;
* ``flags`` — the named warnings (no KPI, stalled pilot, over budget, drifting, unit cost rising);
* ``usage`` — the ``usage_monthly`` rollup every page reads instead of the usage facts.
"""
