"""Fixed catalogue of the demo organisation: business units, initiative ideas, hardware,
vendor models and the demo accounts. Random choices live in ``core.demo.portfolio``."""

from __future__ import annotations

BUSINESS_UNITS = (
    ("RETAIL", "Retail Banking"),
    ("CORP", "Corporate Banking"),
    ("OPS", "Operations"),
    ("CX", "Customer Experience"),
    ("RISK", "Risk & Compliance"),
    ("PEOPLE", "People & HR"),
    ("MKT", "Marketing"),
    ("SUPPLY", "Supply Chain"),
)

# (name, kind, business unit, KPI name, KPI unit, baseline, target)  — KPI None = no KPI defined
INITIATIVE_IDEAS = (
    ("Churn early warning", "predictive", "RETAIL", "Monthly churn", "%", 2.4, 1.8),
    ("Card fraud scoring", "predictive", "RISK", "Fraud losses", "bp of volume", 9.0, 6.0),
    ("Mortgage document assistant", "generative", "RETAIL", "Time to offer", "days", 21, 12),
    ("Next best offer", "predictive", "MKT", "Offer conversion", "%", 3.1, 4.5),
    ("Contact-centre reply drafting", "generative", "CX", "Average handling time", "min", 7.5, 5.5),
    ("Invoice processing agent", "agentic", "OPS", "Invoices per FTE per day", "invoices", 80, 200),
    ("Credit limit optimiser", "predictive", "CORP", "Credit loss rate", "%", 1.2, 0.9),
    ("Contract clause summariser", "generative", "CORP", "Review hours per contract", "h", 6, 2),
    ("KYC onboarding agent", "agentic", "RISK", "Onboarding time", "days", 9, 3),
    ("Demand forecast", "predictive", "SUPPLY", "Forecast error (MAPE)", "%", 18, 11),
    ("Predictive maintenance (ATMs)", "predictive", "OPS", "Unplanned downtime", "h/month", 40, 20),
    ("IT helpdesk agent", "agentic", "OPS", "Tickets resolved without a human", "%", 5, 40),
    ("Marketing copy generator", "generative", "MKT", None, None, None, None),
    ("Policy Q&A assistant", "generative", "PEOPLE", "HR tickets per month", "tickets", 2200, 1200),
    ("Attrition risk model", "predictive", "PEOPLE", "Regretted attrition", "%", 8, 6),
    ("AML alert triage", "predictive", "RISK", "False-positive alerts", "%", 95, 80),
    ("Complaint classifier", "predictive", "CX", "Complaints routed right first time", "%", 70, 92),
    ("Sales research agent", "agentic", "CORP", "Prospect briefs per week", "briefs", 20, 80),
    ("Stock replenishment optimiser", "predictive", "SUPPLY", "Stock-outs", "%", 4.0, 2.0),
    ("Meeting notes summariser", "generative", "PEOPLE", None, None, None, None),
    ("Code assistant for IT", "generative", "OPS", "Lead time for changes", "days", 6, 4),
    ("Dynamic pricing of savings rates", "predictive", "RETAIL", "Net interest margin", "bp", 180, 195),
    ("Claims triage", "predictive", "CX", "Claims settled within 5 days", "%", 55, 75),
    ("Procurement negotiation agent", "agentic", "SUPPLY", "Savings on tail spend", "%", 0, 6),
    ("Branch footfall forecast", "predictive", "RETAIL", "Staffing cost per visit", "USD", 4.2, 3.6),
    ("Knowledge search (RAG)", "generative", "CX", "Search success rate", "%", 48, 75),
    ("Trade finance document checker", "generative", "CORP", "Documents checked per hour", "docs", 6, 15),
    ("Collections prioritiser", "predictive", "RETAIL", "Cure rate", "%", 31, 38),
    ("Supplier risk monitor", "predictive", "SUPPLY", None, None, None, None),
    ("Regulatory change tracker", "generative", "RISK", "Hours per regulatory update", "h", 30, 12),
    ("Personalised email campaigns", "generative", "MKT", "Email click-through", "%", 2.1, 3.0),
    ("Cash-flow forecasting for SMEs", "predictive", "CORP", "Forecast error (MAPE)", "%", 22, 14),
    ("Travel & expense auditor agent", "agentic", "PEOPLE", "Non-compliant claims caught", "%", 35, 80),
    ("Voice-of-customer analytics", "generative", "CX", None, None, None, None),
    ("Transaction categoriser", "predictive", "RETAIL", "Categorisation accuracy", "%", 82, 95),
    ("Payment anomaly detection", "predictive", "RISK", "Anomalies caught", "%", 60, 85),
    ("Route optimisation for cash logistics", "predictive", "SUPPLY", "Kilometres per delivery", "km", 38, 30),
    ("Recruiting screening assistant", "generative", "PEOPLE", "Time to hire", "days", 45, 30),
    ("Customer onboarding agent", "agentic", "RETAIL", "Onboarding drop-off", "%", 38, 20),
    ("Chatbot for card disputes", "agentic", "CX", "Disputes resolved by bot", "%", 0, 35),
    ("ESG report drafting", "generative", "RISK", None, None, None, None),
    ("Lead scoring", "predictive", "MKT", "Sales-qualified lead rate", "%", 12, 18),
    ("Cheque image reader", "predictive", "OPS", "Manual keying rate", "%", 30, 8),
    ("Interest rate risk scenario agent", "agentic", "CORP", "Scenario runs per week", "runs", 3, 20),
    ("Warehouse pick-path optimiser", "predictive", "SUPPLY", "Picks per hour", "picks", 90, 120),
    ("Product description writer", "generative", "MKT", "Listings per week", "listings", 50, 400),
    ("Call transcription & QA", "generative", "CX", "Calls quality-checked", "%", 2, 100),
    ("Fraud investigation copilot", "agentic", "RISK", "Cases closed per investigator", "cases/day", 4, 7),
    ("Mortgage prepayment model", "predictive", "RETAIL", "Prepayment forecast error", "%", 15, 9),
    ("Accounts payable matcher", "predictive", "OPS", "Auto-match rate", "%", 60, 90),
    ("Learning content generator", "generative", "PEOPLE", "Courses produced per quarter", "courses", 10, 40),
    ("Social listening agent", "agentic", "MKT", None, None, None, None),
    ("Energy use optimiser (branches)", "predictive", "SUPPLY", "kWh per branch", "kWh", 5200, 4400),
    ("Credit memo drafting", "generative", "CORP", "Memo turnaround", "days", 5, 2),
    ("Sanctions screening assistant", "generative", "RISK", "Screening hits cleared per hour", "hits", 25, 60),
    ("Workforce planning forecast", "predictive", "PEOPLE", "Overtime hours", "h/month", 3000, 2200),
    ("Customer sentiment model", "predictive", "CX", "Net promoter score", "pts", 21, 30),
    ("Treasury cash agent", "agentic", "CORP", None, None, None, None),
    ("Print & mail volume forecast", "predictive", "OPS", "Print cost per customer", "USD", 1.9, 1.4),
    ("Campaign budget allocator", "predictive", "MKT", "Return on ad spend", "x", 3.0, 4.0),
)

PEOPLE = (
    "Amara Okafor", "Ben Hartley", "Chen Wei", "Dana Kowalski", "Elif Yilmaz", "Felix Braun",
    "Grace Mensah", "Hugo Laurent", "Isla Fraser", "Jonas Berg", "Kavya Iyer", "Leo Rossi",
    "Maya Cohen", "Nils Andersen", "Olivia Grant", "Pedro Alves",
)
PLATFORM_OWNERS = ("ML Platform", "GenAI Platform", "Data Platform", "Edge Platform")

# name, location, price per hour (USD), cores, accelerator, watts, description
# (name, location, USD per hour, cores, accelerator, watts, description, serving overhead USD per
# request, USD per month). Self-hosted models pay no per-request fee (a load balancer's share is
# below a cent per million); serving costs a month whatever the volume: monitoring, logs, on-call
# share on cloud, fleet management on edge
HARDWARE_PROFILES = (
    ("cloud-cpu-4", "cloud", 0.17, 4, None, 65.0, "4 vCPU general-purpose cloud instance", 0.0, 50.0),
    ("cloud-cpu-16", "cloud", 0.68, 16, None, 180.0, "16 vCPU compute-optimised cloud instance", 0.0, 50.0),
    ("cloud-gpu-t4", "cloud", 0.53, 4, "NVIDIA T4", 120.0, "4 vCPU + T4 GPU cloud instance", 0.0, 80.0),
    ("cloud-gpu-a100", "cloud", 3.67, 12, "NVIDIA A100 40GB", 450.0, "12 vCPU + A100 GPU cloud instance", 0.0, 120.0),
    ("edge-arm", "edge", 0.02, 4, None, 10.0, "4-core ARM edge box, amortised over 3 years", 0.0, 15.0),
    ("edge-jetson", "edge", 0.05, 6, "Jetson Orin", 25.0, "Jetson Orin edge device, amortised over 3 years", 0.0, 20.0),
)

# Vendor and self-hosted models by initiative kind: (model, provider, hardware, location,
# USD per 1k requests at start, mean input tokens, mean output tokens, mean latency ms)
MODELS_BY_KIND = {
    "predictive": (
        ("gbm-classifier", "self-hosted", "cloud-cpu-4", "cloud", 0.12, 0, 0, 6.0),
        ("gbm-classifier-edge", "self-hosted", "edge-arm", "edge", 0.03, 0, 0, 9.0),
        ("deep-tabular-net", "self-hosted", "cloud-gpu-t4", "cloud", 0.60, 0, 0, 14.0),
    ),
    "generative": (
        ("gpt-4o", "openai", "vendor-api", "cloud", 9.0, 1800, 450, 2400.0),
        ("gpt-4o-mini", "openai", "vendor-api", "cloud", 0.6, 1800, 450, 1100.0),
        ("claude-sonnet", "anthropic", "vendor-api", "cloud", 11.0, 2200, 500, 2800.0),
        ("llama-3.1-8b-instruct", "self-hosted", "cloud-gpu-t4", "cloud", 1.4, 1500, 400, 900.0),
    ),
    "agentic": (
        ("gpt-4o", "openai", "vendor-api", "cloud", 42.0, 9000, 1600, 9500.0),
        ("claude-sonnet", "anthropic", "vendor-api", "cloud", 55.0, 11000, 1800, 11000.0),
        ("llama-3.1-70b-instruct", "self-hosted", "cloud-gpu-a100", "cloud", 18.0, 8000, 1500, 7000.0),
    ),
}

# user name, role, business unit, password, display name — only ever created in demo stores
DEMO_ACCOUNTS = (
    ("exec", "viewer", None, "demo-exec-2026", "Evelyn Exec (CEO)"),
    ("cfo", "finance", None, "demo-cfo-2026", "Carl Finance (CFO)"),
    ("lead-retail", "team_lead", "RETAIL", "demo-lead-2026", "Rita Lead (Retail Banking)"),
    ("lead-ops", "team_lead", "OPS", "demo-lead-2026", "Omar Lead (Operations)"),
    ("admin", "admin", None, "demo-admin-2026", "Ada Admin"),
)
