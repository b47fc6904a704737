"""The business entities, as validated SQLModel classes.

They are the typed, validated shape of a record (``Initiative.model_validate(row)`` raises
on a bad value); storage is DuckDB through parameterised SQL in the modules that own each
table. A test checks every field here is a column of its table.

Validation rejects NaN and infinity everywhere (``allow_inf_nan=False``) and negative
money where it makes no sense (amounts are signed by ``kind``, so they are ≥ 0).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict, field_validator
from sqlmodel import Field, SQLModel

STAGES = ("idea", "pilot", "production", "scaled", "retired")
KINDS = ("predictive", "generative", "agentic")
RISK_TIERS = ("low", "medium", "high")
DEPLOYMENTS = ("cloud", "edge", "hybrid")
GUARDRAILS = ("human approval", "validator agent", "none")
COST_CATEGORIES = ("compute", "inference", "licences", "people", "data")
BENEFIT_CATEGORY = "value"
LINE_KINDS = ("cost", "benefit")
SCENARIOS = ("plan", "actual")
LOCATIONS = ("cloud", "edge")
ROLES = ("viewer", "finance", "team_lead", "admin")

Stage = Literal["idea", "pilot", "production", "scaled", "retired"]
Kind = Literal["predictive", "generative", "agentic"]
RiskTier = Literal["low", "medium", "high"]
Deployment = Literal["cloud", "edge", "hybrid"]
Guardrails = Literal["human approval", "validator agent", "none"]
LineKind = Literal["cost", "benefit"]
Scenario = Literal["plan", "actual"]
Location = Literal["cloud", "edge"]
Role = Literal["viewer", "finance", "team_lead", "admin"]
ModelStatus = Literal["candidate", "approved", "production", "retired"]

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"


class Entity(SQLModel):
    """Base: strict about non-finite numbers and surrounding whitespace."""

    model_config = ConfigDict(allow_inf_nan=False, str_strip_whitespace=True, validate_assignment=True)


class BusinessUnit(Entity):
    code: str = Field(schema_extra={"pattern": CODE_PATTERN})
    name: str = Field(min_length=1, max_length=120)
    head: str | None = Field(default=None, max_length=120)


class Initiative(Entity):
    code: str = Field(schema_extra={"pattern": CODE_PATTERN})
    name: str = Field(min_length=1, max_length=200)
    business_unit: str = Field(schema_extra={"pattern": CODE_PATTERN})
    stage: Stage
    kind: Kind
    bu_owner: str = Field(min_length=1, max_length=120)
    platform_owner: str = Field(min_length=1, max_length=120)
    kpi_name: str | None = None
    kpi_unit: str | None = None
    kpi_baseline: float | None = None
    kpi_target: float | None = None
    kpi_current: float | None = None
    risk_tier: RiskTier
    deployment: Deployment
    guardrails: Guardrails
    start_date: dt.date
    stage_since: dt.date
    description: str = ""

    @field_validator("kpi_name", "kpi_unit")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class FinancialLine(Entity):
    initiative: str = Field(schema_extra={"pattern": CODE_PATTERN})
    month: dt.date
    category: str
    kind: LineKind
    scenario: Scenario
    amount: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    currency: str = Field(default="USD", schema_extra={"pattern": r"^[A-Z]{3}$"})

    @field_validator("month")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        return value.replace(day=1)

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        allowed = (*COST_CATEGORIES, BENEFIT_CATEGORY)
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return value


class UsageEvent(Entity):
    ts: dt.datetime
    initiative: str = Field(schema_extra={"pattern": CODE_PATTERN})
    provider: str | None = None    # None: the source did not say (e.g. openai, self-hosted)
    model: str = Field(min_length=1)
    operation: str | None = None   # None: the source did not say (chat, embeddings, predict …)
    requests: int = Field(default=1, ge=1)
    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    cached_input_tokens: int = Field(default=0, ge=0)
    latency_ms: float | None = Field(default=None, ge=0)
    cost_usd: Decimal = Field(ge=0, max_digits=18, decimal_places=8)
    location: Location = "cloud"
    hardware: str = Field(min_length=1)


class HardwareProfile(Entity):
    name: str = Field(schema_extra={"pattern": CODE_PATTERN})
    location: Location
    price_per_hour_usd: Decimal = Field(ge=0, max_digits=12, decimal_places=4)
    cores: int = Field(ge=1)
    accelerator: str | None = None
    watts: float = Field(gt=0)
    target_utilisation: float = Field(default=0.6, gt=0, le=1)
    description: str = ""
    overhead_per_request_usd: Decimal = Field(default=Decimal(0), ge=0, max_digits=18, decimal_places=9)
    overhead_per_month_usd: Decimal = Field(default=Decimal(0), ge=0, max_digits=12, decimal_places=2)


class Model(Entity):
    name: str = Field(min_length=1, max_length=120)
    initiative: str = Field(schema_extra={"pattern": CODE_PATTERN})
    task: str
    provider: str
    description: str = ""


class ModelVersion(Entity):
    model_id: int
    version: str = Field(min_length=1)
    status: ModelStatus = "candidate"
    onnx_sha256: str | None = None
    size_bytes: int | None = Field(default=None, ge=0)
    created_by: str


class User(Entity):
    name: str = Field(schema_extra={"pattern": r"^[a-z0-9][a-z0-9_.@-]{1,63}$"})
    role: Role
    business_unit: str | None = None
    display_name: str = ""


class AuditEvent(Entity):
    ts: dt.datetime
    actor: str
    role: str
    action: str
    target: str
    detail: str


# Entity class -> table it is stored in (checked by tests/unit/test_entities.py).
TABLE_OF = {
    BusinessUnit: "business_unit",
    Initiative: "initiative",
    FinancialLine: "financial_line",
    UsageEvent: "usage_event",
    HardwareProfile: "hardware_profile",
    Model: "model",
    ModelVersion: "model_version",
    User: "app_user",
    AuditEvent: "audit_event",
}
