"""Deterministic demo FOCUS billing: a few hundred cloud charges over the last 12 demo months.

Generative and agentic initiatives in production carry charges on model APIs ("AI and Machine
Learning") tagged ``application = <initiative code>``; predictive ones on compute; shared
storage, databases, networking and a few untagged or foreign-tagged AI charges stay
unallocated — as in real exports. Allocation follows ``core.ingest.kinds.focus.DEFAULT_RULE``.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import numpy as np

from core.demo.portfolio import LAST_MONTH, add_months
from core.ingest.kinds.focus import DEFAULT_RULE

DEMO_SHA256 = "demo-billing"
MONTHS = 12
# provider, publisher/issuer, account, AI service, compute service, region
PROVIDERS = (
    ("AWS", "Amazon Web Services, Inc.", "111122223333", "Amazon Bedrock", "Amazon Elastic Compute Cloud", "us-east-1"),
    ("Microsoft", "Microsoft", "ms-ea-4711", "Azure OpenAI Service", "Virtual Machines", "westeurope"),
    ("Google Cloud", "Google LLC", "gcp-billing-0042", "Vertex AI", "Compute Engine", "europe-west4"),
)
SHARED = (("Storage", "Object storage"), ("Databases", "Managed PostgreSQL"), ("Networking", "Data transfer"))

COLUMNS = (
    "import_sha256, source_row, billed_cost, effective_cost, list_cost, contracted_cost, billing_account_id,"
    " billing_account_name, billing_currency, billing_period_start, billing_period_end, charge_category,"
    " charge_class, charge_description, charge_period_start, charge_period_end, invoice_issuer_name,"
    " pricing_quantity, pricing_unit, provider_name, publisher_name, service_category, service_name, tags, extra,"
    " initiative, allocation_rule"
)


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def billing_rows(initiatives, seed: int) -> list[list]:
    """The demo charges as ``focus_charge`` rows (pure: same seed and initiatives → same rows)."""
    rng = np.random.default_rng(seed + 9_001)  # own stream: the rest of the demo is unchanged
    live = [i for i in initiatives if i.stage in ("production", "scaled")]
    rows: list[list] = []
    first = add_months(LAST_MONTH, -(MONTHS - 1))
    for m in range(MONTHS):
        month = add_months(first, m)
        end = add_months(month, 1)
        charges = []
        for item in live:
            provider = PROVIDERS[int(rng.integers(0, len(PROVIDERS)))]
            ai = item.kind != "predictive"
            service_category = "AI and Machine Learning" if ai else "Compute"
            service = provider[3] if ai else provider[4]
            quantity = float(rng.uniform(5_000, 80_000) if ai else rng.uniform(200, 5_000))
            unit = "1000 Tokens" if ai else "Hours"
            cost = quantity * (0.01 if ai else 0.09) * (1 + 0.03 * m)
            charges.append((provider, service_category, service, quantity, unit, cost, {"application": item.code,
                            "env": "prod"}, item.code))
        for k in range(8):
            provider = PROVIDERS[k % len(PROVIDERS)]
            category, service = SHARED[k % len(SHARED)]
            quantity = float(rng.uniform(100, 20000))
            charges.append((provider, category, service, quantity, "GB-Months", quantity * 0.023,
                            {" org": "platform", "environment": "prod"}, None))
        for k in range(3):  # AI spend nobody tagged, or tagged with an app that is not an initiative
            provider = PROVIDERS[k % len(PROVIDERS)]
            quantity = float(rng.uniform(100, 3000))
            tags = {} if k == 0 else {"application": ("sandbox", "hackathon")[k - 1]}
            charges.append((provider, "AI and Machine Learning", provider[3], quantity, "1000 Tokens",
                            quantity * 0.004, tags, None))
        for provider, category, service, quantity, unit, cost, tags, code in charges:
            day = int(rng.integers(0, 27))
            start = dt.datetime(month.year, month.month, 1 + day)
            billed = _money(cost)
            effective = _money(cost * 0.92) if provider[0] == "AWS" else billed
            rows.append([
                DEMO_SHA256, len(rows) + 2, billed, effective, _money(cost * 1.1), billed, provider[2], "Demo Bank",
                "USD", dt.datetime(month.year, month.month, 1), dt.datetime(end.year, end.month, 1), "Usage", None,
                f"{service} usage", start, start + dt.timedelta(days=1), provider[1], _money(quantity), unit,
                provider[0], provider[1], category, service, json.dumps(tags) if tags else None,
                json.dumps({"RegionId": provider[5]}), code,
                "tag:application" if code else f"unallocated ({DEFAULT_RULE.description})",
            ])
    return rows


def generate_billing(cur, initiatives, *, seed: int) -> int:
    """Insert the demo charges (inside the demo build's transaction); returns rows added."""
    rows = billing_rows(initiatives, seed)
    cur.executemany(f"INSERT INTO focus_charge ({COLUMNS}) VALUES ({', '.join('?' * 27)})", rows)
    cur.execute("INSERT INTO import_ledger (sha256, kind, file_name, rows_added, actor) VALUES (?, 'focus', ?, ?, 'system')",
                [DEMO_SHA256, "demo billing (generated)", len(rows)])
    return len(rows)
