"""FOCUS cloud billing exports (FinOps FOCUS 1.0–1.2): the 21 mandatory columns plus Tags.

Costs are DECIMAL(38, 12) end to end (text → DECIMAL, never through a float), so the total
``BilledCost`` of a file is preserved to the last digit; credits may be negative. Every other
column (ResourceId, RegionName, ``x_…`` custom columns …) is kept in ``extra`` as JSON. Each
charge is allocated to an initiative by ``AllocationRule`` (default: the tag ``application``
or ``x_initiative`` names an initiative code; tag keys are trimmed and compared
case-insensitively, codes case-insensitively) or left unallocated — never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.ingest.kinds.common import check_not_in_future
from core.ingest.registry import Column, UploadKind

CHARGE_CATEGORIES = ("Usage", "Purchase", "Tax", "Credit", "Adjustment")
SERVICE_CATEGORIES = (
    "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools",
    "Multicloud", "Identity", "Integration", "Internet of Things", "Management and Governance", "Media",
    "Migration", "Mobile", "Networking", "Security", "Storage", "Web", "Other",
)


def _c(name: str, header: str, type_: str = "text", required: bool = True, **kw) -> Column:
    return Column(name, type_, required=required, header=header, **kw)


COLUMNS = (
    _c("billed_cost", "BilledCost", "decimal", signed=True),
    _c("billing_account_id", "BillingAccountId"),
    _c("billing_account_name", "BillingAccountName", required=False),
    _c("billing_currency", "BillingCurrency"),
    _c("billing_period_end", "BillingPeriodEnd", "timestamp"),
    _c("billing_period_start", "BillingPeriodStart", "timestamp"),
    _c("charge_category", "ChargeCategory", "choice", choices=CHARGE_CATEGORIES),
    _c("charge_class", "ChargeClass", "choice", required=False, choices=("Correction",)),
    _c("charge_description", "ChargeDescription", required=False),
    _c("charge_period_end", "ChargePeriodEnd", "timestamp"),
    _c("charge_period_start", "ChargePeriodStart", "timestamp"),
    _c("contracted_cost", "ContractedCost", "decimal", signed=True, nullable=True),  # Oracle writes NULL
    _c("effective_cost", "EffectiveCost", "decimal", signed=True),
    _c("invoice_issuer_name", "InvoiceIssuerName"),
    _c("list_cost", "ListCost", "decimal", signed=True),
    _c("pricing_quantity", "PricingQuantity", "decimal", required=False, signed=True),
    _c("pricing_unit", "PricingUnit", required=False),
    _c("provider_name", "ProviderName"),
    _c("publisher_name", "PublisherName"),
    _c("service_category", "ServiceCategory", "choice", choices=SERVICE_CATEGORIES),
    _c("service_name", "ServiceName"),
    _c("tags", "Tags", "json", required=False),
)

TEMPLATE_ROWS = (
    {"BilledCost": "12.500000000000", "BillingAccountId": "123456789012", "BillingAccountName": "Main",
     "BillingCurrency": "USD", "BillingPeriodEnd": "2026-02-01 00:00:00", "BillingPeriodStart": "2026-01-01 00:00:00",
     "ChargeCategory": "Usage", "ChargeClass": "NULL", "ChargeDescription": "Generative AI tokens",
     "ChargePeriodEnd": "2026-01-15 01:00:00", "ChargePeriodStart": "2026-01-15 00:00:00",
     "ContractedCost": "12.500000000000", "EffectiveCost": "11.250000000000", "InvoiceIssuerName": "Cloud Inc.",
     "ListCost": "12.500000000000", "PricingQuantity": "5000", "PricingUnit": "1000 Tokens", "ProviderName": "Cloud",
     "PublisherName": "Cloud Inc.", "ServiceCategory": "AI and Machine Learning", "ServiceName": "Model API",
     "Tags": '{"application": "CHURN-01", "env": "prod"}'},
)


@dataclass(frozen=True)
class AllocationRule:
    """Allocate a charge to the initiative named by the first of ``tag_keys`` present."""

    tag_keys: tuple[str, ...] = ("application", "x_initiative")

    def __post_init__(self):
        if not self.tag_keys or not all(k.strip() for k in self.tag_keys):
            raise ValueError("an allocation rule needs at least one tag key")

    @property
    def description(self) -> str:
        return "tag:" + "|".join(k.strip().lower() for k in self.tag_keys)


DEFAULT_RULE = AllocationRule()
FILLED_KEY = "x_factory_contracted_cost_from"


def validate(cur, upload) -> None:
    cur.execute(
        "INSERT INTO upload_problem SELECT _row, 'BillingCurrency', 'expected a 3-letter ISO 4217 code, got '''"
        " || billing_currency || '''', 'Write USD, EUR ...' FROM upload_typed"
        " WHERE NOT regexp_full_match(billing_currency, '[A-Z]{3}')")
    cur.execute(
        "INSERT INTO upload_problem SELECT _row, 'ChargePeriodEnd', 'ChargePeriodEnd is before ChargePeriodStart',"
        " 'Swap the two dates.' FROM upload_typed WHERE charge_period_end < charge_period_start")
    # a charge cannot start after now (its billing period may well end later: the month's)
    check_not_in_future(cur, "charge_period_start", "ChargePeriodStart", "a charge")


def load(cur, upload) -> int:
    rule: AllocationRule = upload.options.get("allocation_rule") or DEFAULT_RULE
    keys = [k.strip().lower() for k in rule.tag_keys]
    # A NULL ContractedCost (seen in real Oracle exports) means no negotiated price: it equals
    # ListCost (FOCUS: ContractedUnitPrice = ListUnitPrice without a contract); extra says so.
    entries = [f"{{'key': ?, 'value': {raw}}}" for _h, raw in upload.extra]
    entries.append("{'key': ?, 'value': CASE WHEN contracted_cost IS NULL THEN 'ListCost' END}")
    extra_sql = (f"CAST(to_json(map_from_entries(list_filter([{', '.join(entries)}], lambda e: e.value IS NOT NULL)))"
                 " AS JSON)")
    extra_params = [h for h, _raw in upload.extra] + [FILLED_KEY]
    cur.execute(
        f"""
        INSERT INTO focus_charge (import_sha256, source_row, billed_cost, effective_cost, list_cost, contracted_cost,
            billing_account_id, billing_account_name, billing_currency, billing_period_start, billing_period_end,
            charge_category, charge_class, charge_description, charge_period_start, charge_period_end,
            invoice_issuer_name, pricing_quantity, pricing_unit, provider_name, publisher_name, service_category,
            service_name, tags, extra, initiative, allocation_rule)
        WITH entries AS (
            SELECT _row, unnest(map_entries(tags)) AS e FROM upload_typed WHERE tags IS NOT NULL
        ), matched AS (  -- the first rule key (in order) whose value is an initiative code
            SELECT n._row, arg_min(i.code, list_position(?, lower(trim(n.e.key)))) AS code,
                   arg_min(lower(trim(n.e.key)), list_position(?, lower(trim(n.e.key)))) AS tag_key
            FROM entries n JOIN initiative i ON lower(i.code) = lower(trim(n.e.value))
            WHERE list_contains(?, lower(trim(n.e.key)))
            GROUP BY n._row
        )
        SELECT ?, t._row, billed_cost, effective_cost, list_cost, coalesce(contracted_cost, list_cost), billing_account_id,
            billing_account_name, billing_currency, billing_period_start, billing_period_end, charge_category,
            charge_class, charge_description, charge_period_start, charge_period_end, invoice_issuer_name,
            pricing_quantity, pricing_unit, provider_name, publisher_name, service_category, service_name,
            CAST(to_json(tags) AS JSON), {extra_sql}, m.code,
            CASE WHEN m.code IS NULL THEN 'unallocated (' || ? || ')' ELSE 'tag:' || m.tag_key END
        FROM upload_typed t LEFT JOIN matched m ON m._row = t._row
        ORDER BY t._row
        """,
        [keys, keys, keys, upload.sha256, *extra_params, rule.description],
    )
    return upload.rows


KIND = UploadKind(
    name="focus", label="FOCUS billing", permission="import_billing", columns=COLUMNS, load=load,
    validate=validate, template_rows=TEMPLATE_ROWS, keep_extra=True,
    description="A FOCUS 1.0–1.2 cost and usage export (AWS, Azure, Google Cloud, Oracle). Charges are allocated "
                "to initiatives by the tag application or x_initiative; others stay unallocated.",
)
