"""Finance: what the CFO's pages compute.

Pure functions over monthly money (no store), re-exported here:

* ``cashflow`` — ROI, NPV, IRR and payback of a monthly cash-flow series.
* ``budget`` — TCO by category, budget vs actual variance with a red/amber/green status,
  value realisation against the business case.

Over the store (import them by module):

* ``roi`` — the ROI Review of a scope and horizon; ``scenarios`` — vendor price, volume and
  right-size scenarios; ``unit_costs`` — cost per 1,000 inferences, spikes, cloud vs edge;
  ``focus_billing`` — FOCUS exports allocated to initiatives; ``board_pack`` — the Excel export.

Conventions (every figure in this package):
* Money is in the store's currency (USD in the demo); rates are fractions (0.10 = 10%).
* Cash flows are MONTHLY and net (benefit − cost); index 0 is the first month of the window.
"""

from core.finance.budget import (
    AMBER_MAX_OVERRUN,
    GREEN_MAX_OVERRUN,
    RAG_RULE,
    TcoResult,
    ValueRealisationResult,
    rag_status,
    tco_by_category,
    value_realisation,
    variance_table,
)
from core.finance.cashflow import (
    IrrResult,
    PaybackResult,
    RoiResult,
    compute_irr,
    compute_npv,
    compute_payback,
    compute_roi,
    evaluate_cash_flows,
    monthly_rate,
)

__all__ = [
    "AMBER_MAX_OVERRUN", "GREEN_MAX_OVERRUN", "RAG_RULE", "TcoResult", "ValueRealisationResult",
    "rag_status", "tco_by_category", "value_realisation", "variance_table",
    "IrrResult", "PaybackResult", "RoiResult", "compute_irr", "compute_npv", "compute_payback",
    "compute_roi", "evaluate_cash_flows", "monthly_rate",
]
