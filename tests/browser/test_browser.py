"""The app in a real browser: sign in, visit every page, no exception anywhere."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import INIT_ADMIN, screenshot, sign_in, wait_until_idle
from ui.navigation import pages_for

pytestmark = pytest.mark.browser


MIN_TICKS = 3
# the tick labels Plotly draws on the page: per chart, per axis, its texts (hidden charts skipped)
_AXIS_TICKS_JS = """
() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].filter(c => c.offsetParent !== null)
  .flatMap((chart, n) => {
    const title = chart.querySelector('.gtitle')?.textContent || `chart ${n + 1}`;
    return [...chart.querySelectorAll('g.xaxislayer-above, g.yaxislayer-above')].map(layer => ({
      chart: title, axis: layer.classList.contains('xaxislayer-above') ? 'x' : 'y',
      labels: [...layer.querySelectorAll('g.xtick text, g.ytick text')].map(t => t.textContent)}));
  })
"""
# a numeric tick: $1.2M, −5%, 0.01, 1,000, 2.5k (dates and categories are not numeric axes)
_NUMERIC = re.compile(r"^[−+-]?[$€£]?[−+-]?[\d.,]+\s?[kKMBTµmn%]?$")


def sparse_numeric_axes(page) -> list[str]:
    """Every drawn numeric axis with fewer than ``MIN_TICKS`` labelled ticks ("$1 / $10" on a log
    axis reads as nothing), as "chart title (x|y): labels"."""
    found = []
    for axis in page.evaluate(_AXIS_TICKS_JS):
        labels = [text for text in axis["labels"] if text.strip()]
        if labels and all(_NUMERIC.match(text.replace("\u2009", "")) for text in labels) and len(labels) < MIN_TICKS:
            found.append(f"{axis['chart']} ({axis['axis']}): {labels}")
    return found


def test_wrong_password_is_refused_with_a_message(server, page):
    sign_in(page, server, "exec", "not-the-password")
    assert page.get_by_text("Unknown user name or wrong password").count() == 1
    assert page.locator("[data-testid=stSidebarNav]").count() == 0


@pytest.mark.parametrize("user, password, role", [
    ("admin", "demo-admin-2026", "admin"),
    ("exec", "demo-exec-2026", "viewer"),
])
def test_every_page_in_the_navigation_renders(server, page, user, password, role):
    """…and asks nothing of any other host: fonts, icons and the favicon are served by the app
    (an offline or locked-down network refuses a CDN)."""
    requested: list[str] = []
    sparse: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, server, user, password)
    nav = page.locator("[data-testid=stSidebarNav]")
    nav.wait_for(timeout=90_000)  # on a loaded machine the navigation arrives after the first idle
    assert nav.count() == 1
    for spec in pages_for(role):
        nav.get_by_role("link", name=spec.title).click()
        wait_until_idle(page)
        assert page.locator("[data-testid=stException]").count() == 0, f"{spec.title} shows an exception"
        assert page.get_by_text("This app has encountered an error").count() == 0
        screenshot(page, f"{role}-{spec.url_path}")
        sparse.extend(f"{spec.title}: {axis}" for axis in sparse_numeric_axes(page))
    assert not sparse, f"numeric axes with fewer than {MIN_TICKS} labelled ticks: {sparse}"
    outside = sorted({url for url in requested if not url.startswith((server, "data:", "blob:"))})
    assert not outside, f"the browser asked other hosts: {outside[:5]}"


def test_shared_initiative_link_opens_after_sign_in(server, page):
    sign_in(page, server, "exec", "demo-exec-2026", path="/initiative?initiative=VCA-01")
    assert page.get_by_role("heading", name="Voice-of-customer analytics").count() == 1
    assert "initiative=VCA-01" in page.url
    screenshot(page, "initiative-link")


def test_the_initiative_picker_takes_five_choices_in_a_row(server, page, demo_db_template):
    """Each pick shows the picked initiative, in the heading and the link (it once took only
    every second one)."""
    import duckdb

    with duckdb.connect(str(demo_db_template), read_only=True) as db:  # the served store's origin
        names = dict(db.execute("SELECT code, name FROM initiative ORDER BY name").fetchall())
    sign_in(page, server, "exec", "demo-exec-2026", path="/initiative?initiative=VCA-01")
    for code in [c for c in names if c != "VCA-01"][:4] + ["VCA-01"]:
        page.locator("[data-testid=stSelectbox]").filter(has_text="Initiative").first.click()
        page.keyboard.type(names[code])  # the list is virtualised: filter it to the one option
        page.get_by_role("option", name=f"{names[code]} ({code})", exact=True).click()
        wait_until_idle(page, settle_ms=300)
        assert page.get_by_role("heading", name=names[code], exact=True).count() == 1, f"picked {code}"
        assert f"initiative={code}" in page.url


def test_a_link_opened_first_on_a_fresh_server_gets_the_whole_app(fresh_server, page):
    # Streamlit runs a fresh process's first script in its pages/-folder mode; the page must
    # hand over to dashboard.py: its sign-in, then the role's navigation, account panel and page
    page.goto(fresh_server + "/imports")
    page.get_by_label("User name").wait_for(timeout=90_000)
    wait_until_idle(page)
    assert page.locator("[data-testid=stSidebarNav]").count() == 0  # nothing before signing in
    sign_in(page, fresh_server, "cfo", "demo-cfo-2026", path="/imports")
    nav = page.locator("[data-testid=stSidebarNav]")
    assert nav.get_by_role("link", name="Imports").count() == 1
    assert nav.get_by_role("link", name="Admin").count() == 0  # the CFO's pages only
    assert page.get_by_role("heading", name="Imports", exact=True).count() == 1
    assert page.get_by_role("button", name="Sign out").count() == 1
    screenshot(page, "fresh-server-link")


def test_filtered_portfolio_link_keeps_its_filters_after_sign_in(server, page):
    sign_in(page, server, "exec", "demo-exec-2026", path="/?stage=scaled")
    assert "stage=scaled" in page.url
    screenshot(page, "portfolio-scaled")


def test_the_cut_candidates_view_counts_the_same_initiatives_in_tiles_and_table(server, page, demo_db_template,
                                                                                 tmp_path):
    """From the landing page, one click on "Cut candidates": the caption and the tiles count the
    table's initiatives (they once counted all 60 above a 5-row table)."""
    import shutil

    from core.portfolio.summary import PortfolioFilter, initiative_table
    from core.store import Store

    shutil.copy(demo_db_template, tmp_path / "copy.duckdb")
    store = Store.open(tmp_path / "copy.duckdb")
    try:
        cut = initiative_table(store, PortfolioFilter(verdict="Cut"))
    finally:
        store.close()
    assert len(cut) >= 2  # the demo tells a cut story
    sign_in(page, server, "exec", "demo-exec-2026")
    page.get_by_role("button", name="Cut candidates", exact=True).click()
    wait_until_idle(page)
    assert "verdict=Cut" in page.url
    page.get_by_text(f"{len(cut)} initiatives in view").wait_for(timeout=60_000)  # the rerun may start late
    assert page.get_by_text(f"{len(cut)} initiatives in view").count() == 1
    production = page.locator("[data-testid=stMetric]").filter(has_text="In production")
    assert production.locator("[data-testid=stMetricValue]").inner_text() == str(len(cut))  # every Cut is live
    screenshot(page, "portfolio-cut-candidates")


@pytest.mark.parametrize("link, shows, url_part", [
    ("Cut candidates and why", "Showing only initiatives with the verdict", "verdict=Cut"),
    ("Ownership and guardrails", "Ownership matrix", "/governance"),
    ("Right-size savings", "Adopted savings", "/rightsize_lab"),
    ("Agentic, no guardrails", "initiatives in view", "flag=no_guardrails"),
    ("Where the spend goes", "By business unit", "/spend"),
])
def test_each_first_question_is_one_click_from_the_landing_page(server, page, link, shows, url_part):
    sign_in(page, server, "exec", "demo-exec-2026")
    page.get_by_role("link", name=link).or_(page.get_by_role("button", name=link)).first.click()
    wait_until_idle(page)
    assert url_part in page.url
    assert page.get_by_text(shows).count() >= 1
    assert page.locator("[data-testid=stException]").count() == 0


def test_team_lead_uploads_a_workload_runs_the_lab_and_sees_the_frontier(server, page, tmp_path):
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame.iloc[:400]
    workload = tmp_path / "cancer-sample.csv"
    frame.to_csv(workload, index=False)
    sign_in(page, server, "lead-retail", "demo-lead-2026")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Right-Size Lab").click()
    wait_until_idle(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(str(workload))
    wait_until_idle(page)
    page.get_by_role("button", name="Run the lab").click()  # the full ladder, cancelled while it runs
    page.get_by_role("button", name="Cancel").click(timeout=30_000)
    wait_until_idle(page)
    assert page.get_by_text("Lab run cancelled; nothing was saved.").count() == 1
    assert page.get_by_text("No run of this workload yet").count() == 1
    page.get_by_text("Quick ladder (3 small candidates)").click()
    wait_until_idle(page, settle_ms=300)
    page.get_by_role("button", name="Run the lab").click()
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=60_000)
    wait_until_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    # uploaded for no initiative: no saving can be measured against a model it runs today
    assert page.get_by_text("This workload is not linked to an initiative").count() == 1
    screenshot(page, "rightsize-frontier")


def test_bad_usage_upload_shows_the_problems_and_saves_nothing(server, page, tmp_path):
    bad = tmp_path / "usage.csv"
    bad.write_text("ts,initiative,model,cost_usd\n2026-01-05,COA-01,gbm,N/A\n05/01/2026,COA-01,gbm,0.1\n")
    sign_in(page, server, "lead-retail", "demo-lead-2026")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Imports").click()
    wait_until_idle(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(str(bad))
    wait_until_idle(page)
    assert page.get_by_text("usage.csv was not imported: 2 problems; nothing was saved").count() == 1
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "imports-bad-upload")


def test_a_usage_file_is_checked_then_imported_and_listed(server, page, tmp_path):
    """The Imports page end to end: upload a usage CSV, see the dry run and its preview, import
    it, see it among the recent imports."""
    path = tmp_path / "browser-usage.csv"
    path.write_text("ts,initiative,model,requests,input_tokens,output_tokens,latency_ms,cost_usd,location,hardware\n"
                    "2026-10-05 10:00:00,VCA-01,gpt-4o-mini,3,1200,300,850,0.0012,cloud,vendor-api\n"
                    "2026-10-05 10:00:07,VCA-01,gpt-4o-mini,1,900,200,640,,cloud,vendor-api\n")
    sign_in(page, server, "admin", "demo-admin-2026", path="/imports")
    page.get_by_text("Usage events", exact=True).click()
    wait_until_idle(page)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    wait_until_idle(page)
    assert page.get_by_text("Preview (first 2 of 2 rows)").count() == 1
    page.get_by_role("button", name="Import 2 rows").click()
    wait_until_idle(page)
    assert page.locator("[data-testid=stAlertContentSuccess]").count() == 1
    assert page.get_by_text("browser-usage.csv").count() >= 1
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "imports-usage-imported")


def test_a_team_lead_registers_an_onnx_model_trained_elsewhere(server, page, tmp_path):
    from tests.unit.lab.lab_fixtures import identity_onnx

    path = tmp_path / "vendor-scorer.onnx"
    path.write_bytes(identity_onnx())
    sign_in(page, server, "lead-retail", "demo-lead-2026")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Model Registry").click()
    wait_until_idle(page)
    page.get_by_text("Register an ONNX model trained elsewhere").click()
    wait_until_idle(page)
    page.get_by_role("textbox", name="Model name").fill("vendor-scorer")
    page.get_by_role("textbox", name="Version").fill("2026.11")
    page.locator("[data-testid=stForm] [data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Register as candidate").click()
    # the registry loads the model in ONNX Runtime in a child process first: wait for the answer,
    # not just for the run indicator (which may not have appeared yet when first looked for)
    page.locator("[data-testid=stAlertContentSuccess]").wait_for(timeout=90_000)
    wait_until_idle(page)
    assert page.locator("[data-testid=stAlertContentSuccess]").count() == 1
    assert page.get_by_text("Registered vendor-scorer version 2026.11").count() == 1
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "registry-registered")


def test_a_roi_link_reopens_its_knobs_and_back_restores_the_previous_view(server, page):
    from playwright.sync_api import expect

    wait = 60_000  # the page's charts and tables take seconds to draw in headless Chromium
    sign_in(page, server, "cfo", "demo-cfo-2026", path="/roi_review?rate=8&horizon=24m&price=-50&growth=3&adopt=1")
    rate = page.locator("[data-testid=stNumberInputField]")
    price = page.locator("[data-testid=stSlider]").filter(has_text="Vendor price change")
    npv_tile = page.locator("[data-testid=stMetric]").first
    expect(rate).to_have_value("8.0", timeout=wait)
    expect(price.locator("[data-testid=stSliderThumbValue]")).to_have_text("-50%", timeout=wait)
    expect(page.locator("[data-testid=stSlider]").filter(has_text="Volume growth")
           .locator("[data-testid=stSliderThumbValue]")).to_have_text("3%", timeout=wait)
    expect(page.get_by_role("switch", name="Right-size savings")).to_be_checked(timeout=wait)
    expect(npv_tile).to_contain_text("NPV (baseline, 8 %, 24m)", timeout=wait)
    screenshot(page, "roi-review-link")
    price.get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")  # one step: −45 %
    page.wait_for_function("location.search.includes('price=-45')", timeout=wait)
    wait_until_idle(page, settle_ms=300)
    rate.fill("12")
    rate.press("Enter")
    page.wait_for_function("location.search.includes('rate=12')", timeout=wait)
    wait_until_idle(page, settle_ms=300)
    assert "price=-45" in page.url
    expect(npv_tile).to_contain_text("NPV (baseline, 12 %, 24m)", timeout=wait)
    page.go_back()  # the view before the rate changed
    page.wait_for_function("location.search.includes('rate=8')", timeout=wait)
    wait_until_idle(page, settle_ms=300)
    expect(rate).to_have_value("8.0", timeout=wait)
    expect(npv_tile).to_contain_text("NPV (baseline, 8 %, 24m)", timeout=wait)
    assert "price=-45" in page.url
    page.go_back()  # …and before the price moved
    page.wait_for_function("location.search.includes('price=-50')", timeout=wait)
    wait_until_idle(page, settle_ms=300)
    expect(price.locator("[data-testid=stSliderThumbValue]")).to_have_text("-50%", timeout=wait)


def test_a_spend_bar_opens_its_rows(server, page, demo_db_template, tmp_path):
    """On the Spend page one click on a business unit's bar opens the Portfolio filtered to that
    unit, and one click on a category's bar narrows the Spend page to that category."""
    import shutil

    from core.finance.spend import spend_breakdown
    from core.store import Store

    shutil.copy(demo_db_template, tmp_path / "copy.duckdb")
    store = Store.open(tmp_path / "copy.duckdb")
    try:
        report = spend_breakdown(store)
    finally:
        store.close()
    top_unit, top_category = report.by_business_unit["key"].iloc[0], report.by_category["key"].iloc[0]

    def click_first_bar(chart: int) -> None:
        # Plotly's drag layer lies over the bars: click where the bar is drawn, as a user does
        wait_until_idle(page)
        box = None
        for _ in range(20):  # a rerun may redraw the chart between finding a bar and measuring it
            bar = page.locator("[data-testid=stPlotlyChart]").nth(chart).locator("g.point path").first
            bar.wait_for(timeout=90_000)
            box = bar.bounding_box()
            if box:
                break
            page.wait_for_timeout(500)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    sign_in(page, server, "cfo", "demo-cfo-2026", path="/spend")
    page.get_by_role("heading", name="Where the money goes").wait_for(timeout=90_000)
    wait_until_idle(page)
    screenshot(page, "spend")
    click_first_bar(1)
    page.wait_for_url(f"**/spend?category={top_category}", timeout=90_000)
    click_first_bar(0)
    page.wait_for_url(f"**/?bu={top_unit}", timeout=90_000)
    page.get_by_role("heading", name="AI portfolio").wait_for(timeout=90_000)


def test_an_organisation_starts_from_factory_init_and_sees_its_first_initiative(init_server, page, tmp_path):
    """From `factory init` to a first initiative on the Portfolio, through the pages alone: the
    checklist's link opens the Imports page on initiatives, the file is checked and imported."""
    from playwright.sync_api import expect

    path = tmp_path / "our-initiatives.csv"
    path.write_text("code,name,business_unit,business_unit_name,stage,kind,bu_owner,platform_owner,risk_tier,"
                    "deployment,guardrails,start_date\n"
                    "CLAIMS-01,Claims triage,CLAIMS,Claims,pilot,predictive,Ana Ruiz,ML Platform,medium,cloud,"
                    "human approval,2026-03-01\n")
    sign_in(page, init_server, *INIT_ADMIN)
    screenshot(page, "init-empty-portfolio")
    expect(page.get_by_text("Getting started: 0 of 6 steps done")).to_have_count(1, timeout=60_000)
    expect(page.get_by_text("No initiatives yet")).to_have_count(1, timeout=30_000)
    page.get_by_role("link", name="Import initiatives").first.click()
    wait_until_idle(page)
    assert "kind=initiatives" in page.url
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    wait_until_idle(page)
    page.get_by_role("button", name="Import 1 row").click()
    wait_until_idle(page)
    assert page.locator("[data-testid=stAlertContentSuccess]").count() == 1
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Portfolio").click()
    expect(page.get_by_text("Getting started: 1 of 6 steps done")).to_have_count(1, timeout=60_000)
    expect(page.get_by_text("1 initiative in view")).to_have_count(1, timeout=30_000)
    expect(page.locator("[data-testid=stDataFrame]")).to_have_count(1, timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "init-first-initiative")
