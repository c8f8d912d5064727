"""One real-browser test: Debian's Chromium, driven by Playwright, creates a persona through the
wizard of a real `streamlit run` server, and saves a screenshot to tests/artifacts/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {**os.environ, "LUNA_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": "http://127.0.0.1:9",
           "LUNA_USER": "browser-tester", "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("streamlit did not start: " + process.stdout.read().decode(errors="replace")[-2000:])
    yield url, tmp_path / "data"
    process.terminate()
    process.wait(timeout=20)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it as root)")
def test_create_a_persona_in_a_real_browser(server):
    playwright = pytest.importorskip("playwright.sync_api")
    url, data_dir = server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(url)
        page.get_by_text("Create Your First AI Companion").wait_for()
        page.get_by_role("button", name="✨ Create New Persona").click()
        page.get_by_role("button", name="Choose From Template").click()
        page.get_by_text("Choose your therapeutic approach").wait_for()
        page.get_by_role("button", name="Select").nth(0).click()
        page.get_by_role("button", name="✓ Selected").wait_for()
        page.get_by_role("button", name="Next →").click()
        name = page.get_by_role("textbox", name="Name", exact=True)
        name.fill("Browser-made coach")
        name.press("Enter")
        page.get_by_role("button", name="Next →").click()
        page.get_by_text("Review your persona").wait_for()
        page.get_by_role("button", name="Create persona").click()
        page.get_by_text("Browser-made coach is ready").wait_for()
        page.screenshot(path=str(ARTIFACTS / "wizard-created.png"), full_page=True)
        browser.close()

    from luna_core.config import Settings
    from luna_core.luna import Luna
    time.sleep(1.5)  # the app releases the database file once idle
    luna = Luna.open(Settings.from_env({}, data_dir=data_dir))
    created = [p for p in luna.personas.list(luna.users.get("browser-tester")) if p.name == "Browser-made coach"]
    assert len(created) == 1 and created[0].created_from == "template"
