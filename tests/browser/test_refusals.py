"""A page the role may not open, opened by its address, says which role it needs and is
audited — not a silent landing on the Portfolio (issue 12)."""

from __future__ import annotations

from tests.browser.conftest import screenshot, sign_in


def test_an_executive_opening_the_admin_page_is_told_why_not(server, page):
    sign_in(page, server, "exec", "demo-exec-2026", path="/admin")
    refusal = page.locator("[data-testid=stAlertContentError]")
    refusal.wait_for(timeout=60_000)
    assert "You need the administrator role for the Admin page; your role is executive (viewer)" in refusal.inner_text()
    assert page.get_by_text("Go to the Portfolio").count() == 1
    # nothing of the Admin page ran, and the sidebar offers no Admin entry
    assert page.get_by_text("Users", exact=True).count() == 0
    assert page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Admin").count() == 0
    screenshot(page, "viewer-admin-refused")
