"""Session-state keys (one place, so pages never invent their own).

Session state holds ids and choices only — never DataFrames, connections or widgets. A key
below that is also a widget's ``key=`` is that widget's own value (Streamlit keeps it under
the key); widget keys that are never read back may stay local to their page.
"""

ACTOR = "factory.actor"           # core.auth.Actor of the signed-in user
SIGN_IN_ERROR = "factory.sign_in_error"
SIGNED_OUT_NOTICE = "factory.signed_out_notice"  # why the session was signed out, shown once on the sign-in screen
COMPANY_LOGIN_AT = "factory.company.login_at"   # UTC datetime the provider signed this session's company user in
COMPANY_REFUSED = "factory.company.refused"     # why this session's company sign-in gives no access (its page says so)
COMPANY_ENDED = "factory.company.ended"         # this session's company sign-in is over: st.user is ignored (the
                                                # text: why, when its maximum age has passed)

# URL-bound pickers (ui/filters.py): each widget's value, and the query string it last saw
URL_SEEN = "factory.url_seen"     # {widget key: the query parameter's values it was last synced with}
PORTFOLIO_UNITS = "factory.portfolio.business_units"   # Portfolio filters (?bu=, ?stage=, ?kind=, ?flag=)
PORTFOLIO_STAGES = "factory.portfolio.stages"
PORTFOLIO_KINDS = "factory.portfolio.kinds"
PORTFOLIO_FLAG = "factory.portfolio.flag"
INITIATIVE_CODE = "factory.initiative.code"            # Initiative page (?initiative=CODE)
ROI_SCOPE = "factory.roi.scope"                        # ROI Review (?scope=, ?horizon=, ?rate=)
ROI_HORIZON = "factory.roi.horizon"
ROI_DISCOUNT_RATE_PCT = "factory.roi.discount_rate_pct"
UNIT_DIMENSION = "factory.unit_costs.dimension"        # Unit Costs breakdown (?dim=)
UNIT_MODEL = "factory.unit_costs.model"                # Unit Costs usage filters (?model=, ?serving=)
UNIT_SERVING = "factory.unit_costs.serving"
SPEND_PERIOD = "factory.spend.period"                  # Spend page (?period=, ?bu=, ?category=)
SPEND_UNITS = "factory.spend.business_units"
SPEND_CATEGORIES = "factory.spend.categories"
# the Spend page's bar charts (their selection: the clicked bar), by breakdown
SPEND_CHARTS = {name: f"factory.spend.chart.{name}" for name in ("business_unit", "category", "model", "serving")}
SPEND_CLICKED_LINK = "factory.spend.clicked_link"      # (page, query params) of the bar just clicked
DRIFT_MODEL = "factory.drift.model_id"                 # Drift page (?model=ID)
REGISTRY_MODEL = "factory.registry.model_id"           # Model Registry (?model=ID)
LAB_WORKLOAD = "factory.lab.workload_id"               # Right-Size Lab workload (?workload=ID)
LAB_RUN = "factory.lab.run_id"                         # the lab run whose results are shown (?run=ID)

# ROI Review scenario knobs (ui/scenario_controls.py): whole-number percentages and switches
# (?price=, ?growth=, ?benefits=, ?adopt=, ?scenario=)
ROI_PRICE_CHANGE_PCT = "factory.roi.vendor_price_change_pct"
ROI_VOLUME_GROWTH_PCT = "factory.roi.volume_growth_monthly_pct"
ROI_BENEFITS_SCALE = "factory.roi.benefits_scale_with_volume"
ROI_ADOPT_RIGHTSIZE = "factory.roi.adopt_rightsize"
ROI_SAVED_SCENARIO = "factory.roi.saved_scenario"      # name of the saved scenario picked to load

# Right-Size Lab widgets read back by the page
LAB_CANCEL = "factory.lab.cancel"          # Cancel button of a running lab (a click interrupts the run)
LAB_UPLOAD = "factory.lab.upload"          # the workload file uploader
LAB_UPLOAD_INITIATIVE = "factory.lab.upload_initiative"  # the initiative a new workload is for
LAB_UPLOADED = "factory.lab.uploaded"      # file_id of the last upload already stored
IMPORT_DRY_RUN = "factory.imports.dry_run"  # (upload fingerprint, ImportResult) of the latest dry run
REGISTRY_UPLOAD_OPEN = "factory.registry.upload_open"  # the "register an ONNX model" form is shown
ADMIN_DONE = "factory.admin.done"          # what the Admin page's last change did, shown once after its rerun
ADMIN_USER = "factory.admin.user"          # the user picked to manage on the Admin page
ADMIN_UNIT = "factory.admin.business_unit"  # the business unit picked to edit on the Admin page
PRICES_SHOWN = "factory.prices.shown"      # the price book rows the editor was opened on (optimistic check)
PRICES_EDITOR = "factory.prices.editor"    # the price book's data editor widget
PROFILES_SHOWN = "factory.prices.profiles_shown"  # the hardware profiles the editor was opened on
PROFILES_EDITOR = "factory.prices.profiles_editor"
PRICES_DONE = "factory.prices.done"        # what the Price Book page's last save did, shown once after its rerun
REPRICE_FROM = "factory.prices.reprice_from"      # the date re-pricing starts from
REPRICE_PREVIEW = "factory.prices.reprice_preview"  # the RepricingReport of the latest preview
PRICES_TAB = "tab"                          # the Price Book tab shown (?tab=)
