"""Savings measured against the model an initiative runs today, on one serving basis.

* ``hardware_profile`` gains the serving overhead a profile carries beyond compute: per request
  (gateway, load balancer, logs) and per month (monitoring, on-call), so a vendor API call and
  a self-hosted model are priced on one basis (``core.rightsize.pricing``).
* ``adoption`` gains the basis of its savings: ``measured`` (today's production model measured
  in the same run, on the same profile) or ``not measurable`` with the reason, and the savings'
  range. Savings and today's cost may be NULL: a number that cannot be measured is not shown.

Adoptions made before this migration compared a candidate's compute with the usage logs' whole
cost per call (vendor prices, network, margin), so their "savings" were nearly the whole bill;
they are kept for the record but marked ``not measurable`` and leave the ROI scenario.
"""

STATEMENTS = (
    """ALTER TABLE hardware_profile ADD COLUMN overhead_per_request_usd DECIMAL(18, 9) DEFAULT 0""",
    """ALTER TABLE hardware_profile ADD COLUMN overhead_per_month_usd DECIMAL(12, 2) DEFAULT 0""",
    """UPDATE hardware_profile SET overhead_per_request_usd = coalesce(overhead_per_request_usd, 0),
                                  overhead_per_month_usd = coalesce(overhead_per_month_usd, 0)""",
    """ALTER TABLE adoption ADD COLUMN basis VARCHAR DEFAULT 'measured'""",
    """ALTER TABLE adoption ADD COLUMN basis_reason VARCHAR""",
    """ALTER TABLE adoption ADD COLUMN today_candidate VARCHAR""",
    """ALTER TABLE adoption ADD COLUMN annual_savings_low_usd DECIMAL(18, 2)""",
    """ALTER TABLE adoption ADD COLUMN annual_savings_high_usd DECIMAL(18, 2)""",
    # measured costs per 1,000 inferences of small models are below a millionth of a dollar, where
    # DECIMAL(18, 6) read 0: measurements, not ledger money, so DOUBLE (as model_version.cost_per_1m_usd)
    """ALTER TABLE adoption ALTER COLUMN current_cost_per_1k_usd TYPE DOUBLE""",
    """ALTER TABLE adoption ALTER COLUMN new_cost_per_1k_usd TYPE DOUBLE""",
    """ALTER TABLE adoption ALTER COLUMN current_cost_per_1k_usd DROP NOT NULL""",
    """ALTER TABLE adoption ALTER COLUMN annual_savings_usd DROP NOT NULL""",
    """UPDATE adoption SET basis = 'not measurable',
           basis_reason = 'projected before savings were measured against today''s model: it compared the '
                          || 'candidate''s compute with the usage logs'' whole cost per call'""",
)
