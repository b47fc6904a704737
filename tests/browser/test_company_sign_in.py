"""Company sign-in against a real OpenID provider (oidc-provider-mock) in a real browser.

The provider runs in a thread of the test process; the users and their claims are registered
with ``PUT /users/{sub}``, and its authorisation form takes the subject to sign in as. The app
gets an ``[auth]`` section (Streamlit's st.login configuration) in a secrets file of its own
(``--secrets.files``), and is reached at ``localhost``: Streamlit accepts the identity cookie only
from the origin of ``redirect_uri``.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.conftest import _free_port, _streamlit, screenshot, wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROLE_MAP = {"factory-finance": "finance", "factory-admins": "admin", "retail-leads": "team_lead:RETAIL"}
FINANCE = ("carla@example.com", {"email": "carla@example.com", "name": "Carla Finance",
                                 "groups": ["cafeteria", "Factory-Finance"]})
NOBODY = ("nils@example.com", {"email": "nils@example.com", "name": "Nils Nogroup", "groups": ["cafeteria"]})
SHORT_SESSION_HOURS = 0.01  # 36 s


@pytest.fixture(scope="module")
def provider():
    oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
    with oidc_provider_mock.run_server_in_thread() as server:
        base = f"http://localhost:{server.server_port}"
        for sub, claims in (FINANCE, NOBODY):
            request = urllib.request.Request(f"{base}/users/{quote(sub)}", data=json.dumps(claims).encode(),
                                             method="PUT", headers={"Content-Type": "application/json"})
            assert urllib.request.urlopen(request, timeout=10).status == 204
        yield base


@contextmanager
def _company_server(demo_db_template, folder: Path, provider: str, **env: str):
    port = _free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "factory-floor-tests"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    with _streamlit(demo_db_template, folder, port=port, args=("--secrets.files", str(secrets_file)),
                    env={"FACTORY_OIDC_ROLE_MAP": json.dumps(ROLE_MAP), **env}):
        yield f"http://localhost:{port}"


@pytest.fixture(scope="module")
def company_server(demo_db_template, tmp_path_factory, chromium_path, provider):
    with _company_server(demo_db_template, tmp_path_factory.mktemp("company"), provider) as base:
        yield base


def company_sign_in(page, base: str, sub: str) -> None:
    page.goto(base + "/")
    page.get_by_role("button", name="Sign in with your company account").click(timeout=90_000)
    page.get_by_placeholder("sub").fill(sub, timeout=30_000)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{base}/**", timeout=30_000)
    wait_until_idle(page)


def _navigation(page) -> list[str]:
    nav = page.locator("[data-testid=stSidebarNav]")
    nav.wait_for(timeout=90_000)
    return [text.strip().split("\n")[-1].strip() for text in nav.locator("a").all_inner_texts()]  # after the icon


def test_a_finance_user_signs_in_with_the_company_account(company_server, page):
    company_sign_in(page, company_server, FINANCE[0])
    links = _navigation(page)
    assert "ROI Review" in links and "Price Book" in links
    assert "Admin" not in links
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_by_text("Carla Finance").count() == 1
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "company-sign-in-finance")
    context_cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert "_streamlit_user" in context_cookies
    page.get_by_role("button", name="Sign out", exact=True).click()
    # st.logout: Streamlit's /auth/logout clears the identity cookie, then the provider's end of session
    deadline = time.monotonic() + 60
    while "_streamlit_user" in {cookie["name"] for cookie in page.context.cookies()} and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    assert "_streamlit_user" not in {cookie["name"] for cookie in page.context.cookies()}
    page.get_by_role("button", name="End session").click(timeout=30_000)  # the provider's own sign-out page
    page.wait_for_url(f"{company_server}/**", timeout=30_000)
    page.goto(company_server + "/")
    page.get_by_role("button", name="Sign in with your company account").wait_for(timeout=90_000)
    # a company user has no password here: the local form refuses the name
    page.get_by_label("User name").fill(FINANCE[0])
    page.get_by_role("textbox", name="Password").fill("anything-at-all")
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_until_idle(page)
    assert page.get_by_text("Unknown user name or wrong password").count() == 1
    assert page.locator("[data-testid=stSidebarNav]").count() == 0


def test_a_user_whose_groups_match_nothing_is_told_who_to_ask(company_server, page):
    company_sign_in(page, company_server, NOBODY[0])
    page.get_by_text("gives access to Factory Floor").wait_for(timeout=60_000)
    body = page.locator("body").inner_text()
    assert "administrator" in body and "cafeteria" in body
    assert page.locator("[data-testid=stSidebarNav]").count() == 0
    assert page.locator("[data-testid=stPlotlyChart], [data-testid=stDataFrame], [data-testid=stMetric]").count() == 0
    screenshot(page, "company-sign-in-refused")


def test_a_company_session_ends_after_its_maximum_age(demo_db_template, tmp_path, chromium_path, provider, page):
    with _company_server(demo_db_template, tmp_path, provider,
                         FACTORY_SESSION_MAX_HOURS=str(SHORT_SESSION_HOURS)) as base:
        company_sign_in(page, base, FINANCE[0])
        signed_in_at = time.monotonic()  # after the provider's iat: the session is at least this old
        assert "ROI Review" in _navigation(page)
        time.sleep(max(0.0, SHORT_SESSION_HOURS * 3600 + 2 - (time.monotonic() - signed_in_at)))
        # the open session: its next interaction signs it out
        page.locator("[data-testid=stSidebarNav]").get_by_text("Spend", exact=True).click()
        page.get_by_text("Your company session has ended").wait_for(timeout=60_000)
        assert page.locator("[data-testid=stSidebarNav]").count() == 0
        # a new session from the same (still signed, 30-day) cookie is refused too
        page.reload()
        page.get_by_text("Your company session has ended").wait_for(timeout=60_000)
        assert page.locator("[data-testid=stSidebarNav]").count() == 0
        screenshot(page, "company-session-ended")
