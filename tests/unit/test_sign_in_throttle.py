"""Local sign-in under attack: every failed sign-in is audited, a name or client with
repeated failures must wait a growing delay, after 10 failures even the right password does not
get in until the window has passed, another user is not locked by it, and new passwords are at
least 12 characters and not a common password."""

from __future__ import annotations

import datetime as dt

import pytest

from core.auth import LOCK_FAILURES, SIGN_IN_WINDOW, add_user, authenticate
from core.errors import AuthenticationError, ValidationError
from tests.conftest import ADMIN

PASSWORD = "correct-horse-battery-staple"
T0 = dt.datetime(2026, 12, 4, 9, 0, 0)


@pytest.fixture
def people(empty_store):
    add_user(empty_store, ADMIN, "vic", "viewer", PASSWORD)
    add_user(empty_store, ADMIN, "wendy", "viewer", PASSWORD)
    return empty_store


def _fail(store, name, at, client="10.0.0.1"):
    with pytest.raises(AuthenticationError) as refused:
        authenticate(store, name, "not-the-password", client=client, now=at)
    return str(refused.value)


def test_after_ten_wrong_passwords_the_right_one_does_not_get_straight_in(people):
    at = T0
    for attempt in range(LOCK_FAILURES):  # each try waits out the growing delay, then fails
        assert _fail(people, "vic", at) == "Unknown user name or wrong password."
        at += dt.timedelta(seconds=2 ** max(0, attempt - 2) + 1)
    with pytest.raises(AuthenticationError, match="locked until"):
        authenticate(people, "vic", PASSWORD, client="10.0.0.1", now=at)
    with pytest.raises(AuthenticationError, match="locked until"):  # from anywhere
        authenticate(people, "vic", PASSWORD, client="10.9.9.9", now=at)
    assert authenticate(people, "wendy", PASSWORD, client="10.9.9.9", now=at).name == "wendy"
    later = at + SIGN_IN_WINDOW
    assert authenticate(people, "vic", PASSWORD, client="10.0.0.1", now=later).name == "vic"
    failed = people.rows("SELECT actor, role, target, json_extract_string(detail, '$.reason') FROM audit_event"
                         " WHERE action = 'sign_in.failed' ORDER BY id")
    assert failed == [("(not signed in)", "none", "vic", "wrong password")] * LOCK_FAILURES


def test_the_delay_grows_and_a_throttled_try_is_not_a_guess(people):
    for i in range(3):
        _fail(people, "vic", T0 + dt.timedelta(seconds=i))
    last = T0 + dt.timedelta(seconds=2)
    message = _fail(people, "vic", last)  # a 4th try at once: 1 s must pass after the 3rd failure
    assert message == "Too many failed sign-ins: wait 1 s before trying again."
    with pytest.raises(AuthenticationError, match="wait 1 s"):  # the right password is not even checked
        authenticate(people, "vic", PASSWORD, client="10.0.0.1", now=last)
    assert authenticate(people, "vic", PASSWORD, client="10.0.0.1", now=last + dt.timedelta(seconds=1)).name == "vic"
    assert people.scalar("SELECT count(*) FROM audit_event WHERE action = 'sign_in.throttled'") == 2


def test_one_client_trying_many_names_is_throttled_too(people):
    at = T0
    for i in range(6):  # password spraying: a new name each time, one address
        _fail(people, f"guess{i}", at)
        at += dt.timedelta(milliseconds=100)
    assert "wait" in _fail(people, "vic", at)
    assert authenticate(people, "vic", PASSWORD, client="10.0.0.2", now=at).name == "vic"  # another client


@pytest.mark.parametrize("password, says", [
    ("short-pass1", "at least 12 characters"),
    ("1qaz2wsx3edc", "most common passwords"),
    ("123QWEasdzxc", "most common passwords"),  # compared without letter case
])
def test_new_passwords_are_long_and_not_common(empty_store, password, says):
    with pytest.raises(ValidationError, match=says):
        add_user(empty_store, ADMIN, "newbie", "viewer", password)
    assert empty_store.scalar("SELECT count(*) FROM app_user WHERE name = 'newbie'") == 0
