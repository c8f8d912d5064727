"""Role-gated navigation, the Accounts page and the welcome page, with AppTest."""

from __future__ import annotations

from tests.apptest import click, no_errors, start, texts


def sidebar_links(at) -> list[str]:
    return [str(e.proto) for e in at.sidebar.get("page_link")]


def test_a_tester_sees_only_their_pages_and_a_guarded_page_says_so(luna):
    tester = luna.users.add("tess", "tester")
    at = no_errors(start(luna, tester))
    links = " ".join(sidebar_links(at))
    assert "My data" in links and "Accounts" not in links
    # its address still answers, saying so (tests/pages/test_browser.py opens it in a real browser)


def test_an_admin_manages_accounts_and_invites(luna, admin):
    at = no_errors(start(luna, admin))
    assert "Accounts" in " ".join(sidebar_links(at))
    at = no_errors(at.switch_page("pages/accounts.py").run())
    at.selectbox(key="invite_role").select("clinician").run()
    at = click(at, "Create invite link")
    link = at.code[0].value
    assert "/auth/join?invite=" in link
    code = link.split("invite=")[1]
    user = luna.accounts.accept_invite(code, "dr-lee", "correct horse battery")
    assert user.role == "clinician"
    at = no_errors(at.run())
    assert "dr-lee" in list(at.dataframe[0].value["Name"])


def test_without_a_session_the_app_leads_to_sign_in_or_setup(luna):
    at = no_errors(start(luna))  # no user in the session and no cookie
    assert "Welcome to Luna" in texts(at) and "setup code" in texts(at)
    luna.accounts.add(None, "root", "admin", "correct horse battery")
    at = no_errors(start(luna))
    assert "please sign in" in texts(at) and not at.sidebar.get("page_link")
