"""The sign-in page with company sign-in configured (``[auth]`` in secrets) and local accounts off.

The sign-in itself, through a real OpenID provider, is in tests/browser/test_company_sign_in.py."""

from __future__ import annotations

from tests.app.conftest import new_app

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "factory", "client_secret": "secret",
        "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration"}


def _buttons(at) -> list[str]:
    return [button.label for button in at.button]


def test_with_auth_configured_the_page_offers_the_company_account_and_local_accounts(app_db):
    at = new_app()
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception
    assert "Sign in with your company account" in _buttons(at)
    assert [field.label for field in at.text_input] == ["User name", "Password"]


def test_without_auth_there_is_no_company_button(app_db):
    at = new_app()
    at.run()
    assert not at.exception
    assert "Sign in with your company account" not in _buttons(at)


def test_local_sign_in_off_leaves_only_the_company_account(app_db, monkeypatch):
    monkeypatch.setenv("FACTORY_LOCAL_SIGN_IN", "off")
    at = new_app()
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception
    assert "Sign in with your company account" in _buttons(at)
    assert len(at.text_input) == 0


def test_local_sign_in_off_without_auth_says_nobody_can_sign_in(app_db, monkeypatch):
    monkeypatch.setenv("FACTORY_LOCAL_SIGN_IN", "off")
    at = new_app()
    at.run()
    assert not at.exception
    assert len(at.text_input) == 0
    assert any("FACTORY_LOCAL_SIGN_IN is off" in error.value for error in at.error)
