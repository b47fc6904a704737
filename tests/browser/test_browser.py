"""The app in a real browser: sign in, visit every page, no exception anywhere."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in, wait_until_idle
from ui.navigation import pages_for

pytestmark = pytest.mark.browser


def test_wrong_password_is_refused_with_a_message(server, page):
    sign_in(page, server, "exec", "not-the-password")
    assert page.get_by_text("Unknown user name or wrong password").count() == 1
    assert page.locator("[data-testid=stSidebarNav]").count() == 0


@pytest.mark.parametrize("user, password, role", [
    ("admin", "demo-admin-2026", "admin"),
    ("exec", "demo-exec-2026", "viewer"),
])
def test_every_page_in_the_navigation_renders(server, page, user, password, role):
    sign_in(page, server, user, password)
    nav = page.locator("[data-testid=stSidebarNav]")
    assert nav.count() == 1
    for spec in pages_for(role):
        nav.get_by_role("link", name=spec.title).click()
        wait_until_idle(page)
        assert page.locator("[data-testid=stException]").count() == 0, f"{spec.title} shows an exception"
        assert page.get_by_text("This app has encountered an error").count() == 0
        screenshot(page, f"{role}-{spec.url_path}")


def test_shared_initiative_link_opens_after_sign_in(server, page):
    sign_in(page, server, "exec", "demo-exec-2026", path="/initiative?initiative=VCA-01")
    assert page.get_by_role("heading", name="Voice-of-customer analytics").count() == 1
    assert "initiative=VCA-01" in page.url
    screenshot(page, "initiative-link")


def test_filtered_portfolio_link_keeps_its_filters_after_sign_in(server, page):
    sign_in(page, server, "exec", "demo-exec-2026", path="/?stage=scaled")
    assert "stage=scaled" in page.url
    screenshot(page, "portfolio-scaled")
