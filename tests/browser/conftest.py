"""A real Streamlit server on a free port and the system Chromium driven by Playwright.

Chromium must be Debian's ``/usr/bin/chromium`` (never a downloaded browser). Without it
the browser tests skip locally, and fail in CI where FACTORY_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("FACTORY_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required for the browser test (apt-get install -y chromium)")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    return CHROMIUM


@contextmanager
def _streamlit(demo_db_template: Path | None, folder: Path, *, port: int | None = None,
               args: tuple[str, ...] = (), env: dict[str, str] | None = None):
    """``streamlit run app.py`` on ``folder/factory.duckdb``, a copy of the demo store unless
    ``demo_db_template`` is None (the store is already there); yields its base URL. ``port``
    (default: a free one), more command-line ``args`` and environment variables ``env`` are
    for a server that needs them (company sign-in: a secrets file and its redirect URI)."""
    db = folder / "factory.duckdb"
    if demo_db_template is not None:
        shutil.copy(demo_db_template, db)
    port = port or _free_port()
    log = open(folder / "streamlit.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false", *args],
        cwd=ROOT, env={**os.environ, "FACTORY_DB": str(db), **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"Streamlit did not start: {(folder / 'streamlit.log').read_text()[-2000:]}")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def server(demo_db_template, tmp_path_factory, chromium_path):
    """The app, shared by the browser tests; yields its base URL."""
    with _streamlit(demo_db_template, tmp_path_factory.mktemp("browser")) as base:
        yield base


@pytest.fixture
def fresh_server(demo_db_template, tmp_path, chromium_path):
    """A server no session has visited yet (Streamlit keeps process-wide state)."""
    with _streamlit(demo_db_template, tmp_path) as base:
        yield base


INIT_ADMIN = ("ada", "correct-horse-battery")


@pytest.fixture
def init_server(tmp_path, chromium_path):
    """The app on a store made by ``factory init`` (empty, one admin ``INIT_ADMIN``)."""
    name, password = INIT_ADMIN
    subprocess.run([sys.executable, "-m", "core.cli", "init", "--db", str(tmp_path / "factory.duckdb"),
                    "--admin", name], input=f"{password}\n{password}\n", text=True, check=True, cwd=ROOT,
                   capture_output=True, timeout=120)
    with _streamlit(None, tmp_path) as base:
        yield base


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # Tall enough that a screenshot shows the whole page (Streamlit scrolls inside its own
    # container, so full_page alone would cut it at the viewport).
    context = browser.new_context(viewport={"width": 1440, "height": 2000})
    page = context.new_page()
    yield page
    context.close()


def wait_until_idle(page, settle_ms: int = 800) -> None:
    """Wait for Streamlit's running indicator to disappear (the first load imports a lot)."""
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=90_000)
    # Plotly draws after the script finished: wait until every chart has its SVG.
    page.wait_for_function(
        # (elements in a hidden tab are never drawn: only visible ones count)
        "[...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
        ".every(c => c.offsetParent === null || c.querySelector('.main-svg'))"
        " && [...document.querySelectorAll('[data-testid=stDataFrame]')]"
        ".every(d => d.offsetParent === null || d.querySelector('canvas'))",
        timeout=60_000,
    )
    page.wait_for_timeout(settle_ms)


def sign_in(page, base: str, user: str, password: str, path: str = "/") -> None:
    page.goto(base + path)
    page.get_by_label("User name").fill(user, timeout=90_000)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_until_idle(page)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
