"""Real-browser tests: Debian's Chromium, driven by Playwright, against a real `streamlit run`
server. The main path of a beta tester (create from a template, upload, link, chat offline and
then against the loopback Ollama server, rate, reopen, find a conversation by search), the phone
layout and the dark theme, first start and invites, the Analytics page's select-a-bar filter, a harmful reply withheld,
with a screenshot of each page in tests/artifacts/."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fake_ollama import FakeOllama
from tests.fixture_docs import doc_path

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
USER = "browser-tester"
PASSWORD = "a long browser password"
SAME_TITLE = "What are the signs of depression?"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian chromium is not installed (make test installs it as root)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_data(data_dir: Path) -> None:
    """Before the app starts: three earlier conversations with the same title (their answers
    differ), so the test can open each one."""
    from luna_core.config import Settings
    from luna_core.luna import Luna

    with FakeOllama() as earlier:
        luna = Luna.open(Settings.from_env({}, data_dir=data_dir, ollama_host=earlier.url,
                                           default_local_model="llama3.2"))
        luna.accounts.add(None, "root", "admin", "an admin's long password")  # set up already
        user = luna.accounts.add(None, USER, "tester", PASSWORD)
        persona = luna.personas.create_from_scratch(user, "Old friend", "You are kind.", model="llama3.2")
        for n in range(3):
            earlier.reply = f"Earlier answer number {n}."
            luna.chat.ask(user, persona.id, SAME_TITLE)


@contextmanager
def running_app(data_dir: Path, llm_port: int):
    """`streamlit run server.py` on a free loopback port; yields (url, console lines so far)."""
    port = free_port()
    env = {**os.environ, "LUNA_DATA_DIR": str(data_dir), "OLLAMA_HOST": f"http://127.0.0.1:{llm_port}",
           "HF_HUB_OFFLINE": "1", "LUNA_DEMO_CONTENT": "0", "LUNA_DEFAULT_MODEL": "llama3.2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    console: list[str] = []
    threading.Thread(target=lambda: console.extend(process.stdout), daemon=True).start()
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
        pytest.fail("streamlit did not start: " + "".join(console)[-2000:])
    try:
        yield url, console
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def server(tmp_path):
    """The app, with its LLM host on a loopback port where nothing listens yet (offline)."""
    data_dir, llm_port = tmp_path / "data", free_port()
    prepare_data(data_dir)
    with running_app(data_dir, llm_port) as (url, _):
        yield url, data_dir, llm_port


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def desktop_page(browser, width: int = 1400, height: int = 1000):
    """A new desktop-sized page that waits up to 30 s for what it is asked to find."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(30_000)
    return page


def chat_with_first_companion(page, message: str) -> None:
    """From the Companions page: open the first card's chat (the person's own Old friend) and send."""
    page.get_by_role("button", name="💬 Chat").first.click()
    page.get_by_test_id("stChatInputTextArea").wait_for()
    send(page, message)


def shot(page, name: str) -> None:
    page.wait_for_timeout(400)  # let the last rerun paint
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, url: str, password: str = PASSWORD, name: str = USER) -> None:
    page.goto(url)
    page.get_by_text("please sign in").wait_for()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def go(page, title: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=title).click()


def choose_companion(page, name: str) -> None:
    """Pick ``name`` in the chat page's companion picker, unless it is already the one shown (the
    list re-renders under the pointer when a rerun lands, so an already chosen one is not clicked). The
    picker is found by its label: right after a page link is clicked, the page before may still be
    shown, and the Documents page has a persona picker of its own."""
    picker = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Companion", exact=True)).first
    picker.wait_for()
    if name in picker.get_by_role("combobox").input_value():
        return
    picker.click()
    page.get_by_role("option", name=name).click()


def send(page, text: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")


def test_the_main_path_of_a_beta_tester(server, browser):
    url, data_dir, llm_port = server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, url, "not my password")
    page.get_by_text("match an account").wait_for()
    shot(page, "0-sign-in-refused")
    assert not [c for c in context.cookies() if c["name"] == "luna_session"]
    sign_in(page, url)
    page.get_by_text("AI Therapeutic Companions").wait_for()
    [cookie] = [c for c in context.cookies() if c["name"] == "luna_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["value"] not in page.url
    sidebar = page.get_by_test_id("stSidebar")
    assert "persona form" not in sidebar.inner_text().lower() and "common" not in sidebar.inner_text().lower()
    shot(page, "1-companions")

    # create from a template
    page.get_by_role("button", name="✨ Create New Persona").click()
    page.get_by_role("button", name="Choose From Template").click()
    page.get_by_text("Choose your therapeutic approach").wait_for()
    page.get_by_role("button", name="Select").nth(0).click()
    page.get_by_role("button", name="✓ Selected").wait_for()
    page.get_by_role("button", name="Next →").click()
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.get_by_role("textbox", name="Prompt: who the companion is and how it works")).to_have_value(
        re.compile("You are"))  # the template's prompt is in the form before anything is typed
    name = page.get_by_role("textbox", name="Name", exact=True)
    name.fill("Browser-made coach")
    name.press("Enter")
    shot(page, "2-wizard-form")
    page.get_by_role("button", name="Next →").click()
    page.get_by_text("Review your persona").wait_for()
    page.get_by_role("button", name="Create persona").click()
    page.get_by_text("Browser-made coach is ready").wait_for()
    shot(page, "3-created")

    # upload, then link on the Documents page (saved when switched)
    go(page, "Documents")
    page.get_by_text("Give your companions your own worksheets").wait_for()
    page.get_by_text("No documents yet").wait_for()
    page.locator('input[type="file"]').set_input_files(str(doc_path("cbt_thought_record.md")))
    page.get_by_role("button", name="Process 1 file").click()
    page.get_by_text("passages ready").wait_for(timeout=90_000)
    page.get_by_test_id("stMain").get_by_text("Browser-made coach", exact=True).click()
    page.get_by_text("Saved: Browser-made coach uses cbt_thought_record").wait_for()
    shot(page, "4-documents")

    # chat offline: nothing listens on the LLM port yet
    go(page, "Chat")
    choose_companion(page, "Browser-made coach")
    page.get_by_text("Draws on 1 document: cbt_thought_record").wait_for()
    send(page, "How do I fill in a thought record?")
    page.get_by_text("I can't reach my language model right now").first.wait_for(timeout=60_000)
    page.get_by_text("Closest passages in your documents").wait_for()
    shot(page, "5-chat-offline")

    # ... and online, against the loopback Ollama server brought up on that port
    with FakeOllama(port=llm_port, reply="Let's fill in a thought record together, one column at a time.") as llm:
        send(page, "What goes in each column of the thought record?")
        page.get_by_text("one column at a time").first.wait_for(timeout=60_000)
        assert llm.requests and llm.requests[-1]["messages"][-1]["content"].endswith("What goes in each column of the thought record?")
        page.get_by_text("Personalised with your therapeutic materials").wait_for()
        page.get_by_test_id("stChatMessage").last.get_by_text("📋 Copy").click()
        page.get_by_test_id("stChatMessage").last.get_by_text("✅ Copied").wait_for()
        assert "one column at a time" in page.evaluate("navigator.clipboard.readText()")
        answer = page.get_by_test_id("stChatMessage").last
        answer.get_by_test_id("stFeedbackButton").nth(3).click()  # the fourth of its five stars
        page.get_by_text("you rated this answer 4 of 5").wait_for()
        shot(page, "6-chat-online-rated")

    # reopen: a reload is a new app session, and the sign-in survives it; find the conversation by
    # search; the rating is still there
    page.goto(url)
    page.get_by_text("AI Therapeutic Companions").wait_for()
    go(page, "Chat")
    page.get_by_role("textbox", name="Search conversations").fill("thought record")
    page.get_by_role("textbox", name="Search conversations").press("Enter")
    page.get_by_test_id("stSidebar").get_by_text("All companions").click()
    page.get_by_test_id("stSidebar").get_by_role("button", name="How do I fill in a thought record?").click()
    page.get_by_text("Your feedback: 4/5").wait_for()
    shot(page, "7-reopened-by-search")

    # conversations with the same title each open
    page.get_by_role("textbox", name="Search conversations").fill("")
    page.get_by_role("textbox", name="Search conversations").press("Enter")
    same = page.get_by_test_id("stSidebar").get_by_role("button", name=SAME_TITLE)
    same.first.wait_for()
    assert same.count() == 3
    for n in range(3):  # newest first
        same.nth(n).click()
        page.get_by_text(f"Earlier answer number {2 - n}.").wait_for()
    shot(page, "8-same-titles")

    # a page this role may not open says so; sign-out ends the session
    page.goto(f"{url}/accounts")
    page.get_by_text("This page is not available to your account (role: tester)").wait_for()
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()  # the sign-in form again
    assert not [c for c in context.cookies() if c["name"] == "luna_session"]
    page.goto(url)
    page.get_by_text("please sign in").wait_for()
    context.close()

    from luna_core.config import Settings
    from luna_core.luna import Luna
    time.sleep(1.5)  # the app releases the database file once idle
    luna = Luna.open(Settings.from_env({}, data_dir=data_dir))
    user = luna.users.get(USER)
    assert not luna.db.rows("SELECT 1 FROM sessions WHERE revoked_at IS NULL")  # signed out for good
    created = [p for p in luna.personas.list(user) if p.name == "Browser-made coach"]
    assert len(created) == 1 and created[0].created_from == "template"
    assert [link["persona_id"] for link in luna.library.links(user, created[0].id)] == [created[0].id]
    rated = [m for c in luna.conversations.list(user, created[0].id)
             for m in luna.conversations.messages(user, c.id) if m.rating]
    assert [m.rating for m in rated] == [4]


def test_phone_layout_and_dark_theme(server, browser):
    url = server[0]
    phone = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, url)
    page.get_by_text("AI Therapeutic Companions").wait_for()
    page.wait_for_timeout(500)
    heights = page.evaluate("""[...document.querySelectorAll('[data-testid=stVerticalBlock]')]
        .filter(e => getComputedStyle(e).borderStyle !== 'none' && e.querySelector('[data-testid=stPopover]'))
        .map(e => e.getBoundingClientRect().height)""")  # the persona cards: bordered, with their ⋯ menu
    assert len(heights) == 3 and max(heights) < 260, heights  # compact, not four stacked full-width buttons
    background = page.evaluate("getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
    assert background == "rgb(29, 27, 38)"  # Luna's dark background, chosen by the system setting
    shot(page, "9-phone-dark")
    phone.close()


def test_first_start_with_the_setup_code_then_an_invite(tmp_path, browser):
    with running_app(tmp_path / "data", free_port()) as (url, console):
        page = desktop_page(browser, 1200, 900)
        page.goto(url)
        page.get_by_text("Luna is new here").wait_for()
        page.get_by_role("link", name="Set up Luna").click()
        deadline = time.time() + 10
        while not re.search(r"setup code:\s+(\S+)", "".join(console)) and time.time() < deadline:
            time.sleep(0.2)
        code = re.search(r"setup code:\s+(\S+)", "".join(console)).group(1)
        for label, value in (("Setup code", "WRONG"), ("Administrator name", "root"),
                             ("Password", "the admin's long password"), ("Password again", "the admin's long password")):
            page.get_by_role("textbox", name=label, exact=True).fill(value)
        page.get_by_role("button", name="Create administrator").click()
        page.get_by_text("setup code is not right").wait_for()  # whoever reaches the page first cannot take it
        page.get_by_role("textbox", name="Setup code").fill(code)
        for label in ("Password", "Password again"):
            page.get_by_role("textbox", name=label, exact=True).fill("the admin's long password")
        page.get_by_role("button", name="Create administrator").click()
        page.get_by_role("textbox", name="Name").fill("root")
        page.get_by_role("textbox", name="Password").fill("the admin's long password")
        page.get_by_role("button", name="Sign in").click()
        go(page, "Accounts")
        page.get_by_role("button", name="Create invite link").click()
        link = page.get_by_test_id("stCode").inner_text().strip()
        assert link.startswith(f"{url}/auth/join?invite=")
        shot(page, "10-accounts-invite")
        page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Sign in").wait_for()

        page.goto(link)  # the invited tester signs up, then in
        page.get_by_role("textbox", name="Name").fill("invited-tester")
        for label in ("Password", "Password again"):
            page.get_by_role("textbox", name=label, exact=True).fill("the tester's long password")
        page.get_by_role("button", name="Create my account").click()
        page.get_by_text("Your account is ready").wait_for()
        page.get_by_role("textbox", name="Password").fill("the tester's long password")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Signed in as").wait_for()
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        assert "invited-tester" in sidebar and "tester" in sidebar and "Accounts" not in sidebar
        page.goto(link)
        page.get_by_role("button", name="Create my account").wait_for()
        page.get_by_role("textbox", name="Name").fill("second-try")
        for label in ("Password", "Password again"):
            page.get_by_role("textbox", name=label, exact=True).fill("the tester's long password")
        page.get_by_role("button", name="Create my account").click()
        page.get_by_text("used or has expired").wait_for()  # one invite, one account


def test_selecting_a_specialty_bar_filters_the_analytics_page(tmp_path, browser):
    from luna_core.analytics.seed import seed
    from luna_core.config import Settings
    from luna_core.luna import Luna

    data_dir = tmp_path / "data"
    luna = Luna.open(Settings.from_env({}, data_dir=data_dir, ollama_host=f"http://127.0.0.1:{free_port()}"))
    seed(luna, luna.accounts.add(None, "root", "admin", "an admin's long password"), testers=10)
    del luna  # the server opens the folder
    with running_app(data_dir, free_port()) as (url, _):
        page = desktop_page(browser)
        sign_in(page, url, "an admin's long password", name="root")
        go(page, "Analytics")
        bars = page.get_by_test_id("stVegaLiteChart").first.locator('path[aria-roledescription="bar"]')
        bars.first.wait_for()
        top = bars.first.get_attribute("aria-label")  # "personas: 3; specialty: ..."
        specialty = top.split("specialty: ")[1]
        shot(page, "11-analytics")
        bars.first.click()
        page.get_by_text(f"testers who made a {specialty.lower()} persona").wait_for()
        category = page.get_by_test_id("stSelectbox").filter(has_text="Persona category")
        assert category.get_by_role("combobox").input_value() == specialty.lower()
        shot(page, "12-analytics-filtered")


def test_a_journal_entry_reaches_a_companion_once_allowed(server, browser):
    url, _, llm_port = server
    page = desktop_page(browser)
    sign_in(page, url)
    go(page, "Journal")
    page.get_by_role("textbox", name="Entry (Markdown works)").fill(
        "Walking my dog Biscuit in the park always calms me down after a hard shift.")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("Saved your entry").wait_for()
    page.get_by_text("on for: none yet").first.wait_for()
    shot(page, "13-journal")
    go(page, "Companions")
    page.get_by_role("button", name="⋯").first.click()  # Old friend, the person's own companion, comes first
    page.get_by_role("button", name="🔐 What it may read").click()
    page.get_by_text("Journal entries").click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved what Old friend may read").wait_for()
    with FakeOllama(port=llm_port, reply="Maybe a walk with Biscuit would help tonight.") as llm:
        chat_with_first_companion(page, "What usually calms me down after a hard shift?")
        page.get_by_text("a walk with Biscuit").first.wait_for(timeout=60_000)
        assert "Biscuit in the park" in json.dumps(llm.requests[-1]["messages"])
        page.get_by_text("Your journal ·").first.wait_for()
        page.get_by_text("Personalised with your journal").wait_for()
        shot(page, "14-chat-with-journal")


def test_a_harmful_reply_only_the_reply_model_catches_is_withheld_in_the_app(server, browser):
    url, _, llm_port = server
    page = desktop_page(browser)
    sign_in(page, url)
    go(page, "Companions")
    harmful = "Sure, that is plenty for what you have in mind. Wait until everyone has gone to bed."
    with FakeOllama(port=llm_port, reply=harmful):
        chat_with_first_companion(page, "I counted what I have saved up. Is it enough?")
        page.get_by_text("I can't help with that, because what happens to you matters to me").first.wait_for(timeout=60_000)
        page.get_by_text("988").first.wait_for()
        assert "plenty for what you have in mind" not in page.content()
        shot(page, "16-reply-withheld-by-the-model")


def test_a_phone_photo_of_a_worksheet_is_read_on_the_documents_page(server, browser, tmp_path):
    from luna_core.documents.extract import ocr
    from tests import ocr_fixtures

    if ocr.engine() is None:
        pytest.skip("Tesseract is not installed (make installs tesseract-ocr as root)")
    url, _, _ = server
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(ocr_fixtures.photo())
    page = desktop_page(browser)
    sign_in(page, url)
    go(page, "Documents")
    page.get_by_text("Give your companions your own worksheets").wait_for()  # not the Companions page's import
    page.locator('input[type="file"]').set_input_files(str(photo))
    page.get_by_role("button", name="Process 1 file").click()
    page.get_by_text("passages ready").wait_for(timeout=90_000)
    page.get_by_text("Read from a picture by text recognition").wait_for()
    page.get_by_text("Preview the").click()
    page.get_by_text("Evidence against: they told me they were busy today.").first.wait_for()
    page.get_by_text("read by text recognition, 9").first.wait_for()
    shot(page, "15-documents-ocr")
