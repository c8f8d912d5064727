"""The sign-in routes over HTTP (Starlette's test client): the cookie's flags, the Origin check,
the slow-down of repeated failures without locking anyone out, setup and invite sign-up."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from luna_core.accounts.routes import COOKIE, auth_routes
from luna_core.accounts.throttle import SignInThrottle

PASSWORD = "correct horse battery"
ORIGIN = {"origin": "http://testserver"}


@pytest.fixture
def client(luna, admin):
    luna.accounts.add(admin, "root", "admin", PASSWORD)  # set up: an administrator can sign in
    luna.accounts.add(admin, "tess", "tester", PASSWORD)
    throttle = SignInThrottle(delay=0.05)
    app = Starlette(routes=auth_routes(lambda: luna, throttle))
    with TestClient(app, follow_redirects=False) as test_client:
        test_client.luna, test_client.throttle = luna, throttle
        yield test_client


def sign_in(client, name="tess", password=PASSWORD, headers=ORIGIN):
    return client.post("/auth/sign-in", data={"name": name, "password": password}, headers=headers)


def test_sign_in_sets_a_strict_http_only_cookie_and_sign_out_clears_it(client):
    assert "Sign in" in client.get("/auth/sign-in").text
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie and "Path=/" in cookie
    token = response.cookies[COOKIE]
    assert client.luna.accounts.session_user(token).name == "tess"
    assert token not in response.headers["location"]
    out = client.post("/auth/sign-out", headers=ORIGIN, cookies={COOKIE: token})
    assert out.status_code == 303 and f'{COOKIE}=""' in out.headers["set-cookie"]
    assert client.luna.accounts.session_user(token) is None


def test_the_cookie_is_secure_behind_a_tls_proxy(client):
    response = sign_in(client, headers={"origin": "https://testserver", "x-forwarded-proto": "https"})
    assert response.status_code == 303 and "Secure" in response.headers["set-cookie"]


def test_another_origin_cannot_sign_in_or_out(client):
    for headers in ({"origin": "https://evil.example"}, {}):
        response = sign_in(client, headers=headers)
        assert response.status_code == 403 and "set-cookie" not in response.headers
    assert client.post("/auth/sign-out", headers={"origin": "https://evil.example"}).status_code == 403


def test_wrong_password_then_slowed_per_client_never_locking_the_account(client):
    from limits import parse

    client.throttle.client_limit, client.throttle.account_limit = parse("3/minute"), parse("2/minute")
    for _ in range(3):
        response = sign_in(client, password="wrong")
        assert response.status_code == 401 and "match an account" in response.text
    assert sign_in(client).status_code == 429  # this client must wait now, even with the right password
    assert "Too many attempts" in sign_in(client).text
    assert client.throttle.account_delay("tess") > 0  # attempts on that account are slowed, from anywhere
    # another device signs in to the same account at once: no lock-out of the real person
    other = TestClient(client.app, follow_redirects=False, client=("10.0.0.2", 5000))
    assert sign_in(other).status_code == 303


def test_a_burst_of_parallel_guesses_is_counted_as_it_arrives(client):
    from concurrent.futures import ThreadPoolExecutor

    from limits import parse

    client.throttle.client_limit = parse("3/minute")
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: sign_in(client, password="guess").status_code, range(8)))
    assert sorted(codes) == [401] * 3 + [429] * 5


def test_first_start_setup_with_the_console_code(luna):
    app = Starlette(routes=auth_routes(lambda: luna, SignInThrottle()))
    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/auth/sign-in").headers["location"] == "/auth/setup"
        code = luna.accounts.new_setup_code()
        form = {"code": "nope", "name": "admin", "password": PASSWORD, "password2": PASSWORD}
        assert "not right" in client.post("/auth/setup", data=form, headers=ORIGIN).text
        response = client.post("/auth/setup", data={**form, "code": code}, headers=ORIGIN)
        assert response.status_code == 303 and not luna.accounts.needs_setup()
        assert client.get("/auth/setup").headers["location"] == "/auth/sign-in"


def test_sign_up_with_an_invite(client, admin):
    code = client.luna.accounts.create_invite(client.luna.users.get("root"), "tester")
    page = client.get(f"/auth/join?invite={code}")
    assert page.status_code == 200 and "Create my account" in page.text
    form = {"invite": code, "name": "newbie", "password": PASSWORD, "password2": PASSWORD}
    assert "ready" in client.post("/auth/join", data=form, headers=ORIGIN).text
    assert sign_in(client, "newbie").status_code == 303
    assert "used or has expired" in client.post("/auth/join", data={**form, "name": "again"}, headers=ORIGIN).text


def test_behind_a_local_proxy_each_client_is_slowed_on_its_own(luna, admin):
    from limits import parse

    from luna_core.accounts.routes import client_of

    class Fake:
        def __init__(self, host, forwarded=None):
            self.client = type("C", (), {"host": host})()
            self.headers = {"x-forwarded-for": forwarded} if forwarded else {}

    assert client_of(Fake("127.0.0.1", "203.0.113.5, 198.51.100.7")) == "198.51.100.7"
    assert client_of(Fake("203.0.113.9", "10.0.0.1")) == "203.0.113.9"  # a remote client cannot pretend
    throttle = SignInThrottle(client_limit=parse("1/minute"))
    throttle.failed("198.51.100.7", "tess")
    assert throttle.client_wait("198.51.100.7") > 0 and throttle.client_wait("198.51.100.8") == 0
