"""The sign-in HTTP routes of the app (Streamlit's ``st.App`` mounts them; see server.py).

Only these routes set or clear the session cookie: ``luna_session``, HttpOnly, SameSite=Strict,
Path=/, Secure when the request came over TLS (directly or through a proxy that says so in
X-Forwarded-Proto). Every POST must come from a page of the same origin (its Origin header), so
another site cannot sign a person in or out. Tokens never appear in a URL; the Streamlit script
reads the cookie from ``st.context.cookies``.

    GET/POST /auth/sign-in   the sign-in form                 POST /auth/sign-out  ends the session
    GET/POST /auth/setup     the first administrator, with the setup code from the console
    GET/POST /auth/join      sign up with an invite (?invite=CODE, a one-time code, not a session)
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from luna_core.accounts.service import SignInError
from luna_core.accounts.throttle import SignInThrottle
from luna_core.errors import LunaError

if TYPE_CHECKING:
    from luna_core.luna import Luna

COOKIE = "luna_session"

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Luna · {title}</title>
<style>
:root {{ color-scheme: light dark; --bg:#FAF8F5; --card:#EFEBF5; --text:#2E2A3B; --accent:#5B6FB5; }}
@media (prefers-color-scheme: dark) {{ :root {{ --bg:#1D1B26; --card:#2B2838; --text:#ECE8F4; --accent:#8E9EE0; }} }}
body {{ font-family: system-ui, sans-serif; background: var(--bg); color: var(--text); display: flex;
       justify-content: center; padding: 8vh 16px; margin: 0; }}
main {{ background: var(--card); border-radius: 16px; padding: 28px; width: 100%; max-width: 380px; }}
label {{ display: block; margin: 14px 0 4px; font-weight: 600; }}
input {{ width: 100%; box-sizing: border-box; padding: 10px; border-radius: 8px; border: 1px solid #8887;
        font-size: 1rem; background: var(--bg); color: var(--text); }}
button {{ margin-top: 20px; width: 100%; padding: 11px; border: 0; border-radius: 8px; background: var(--accent);
         color: #fff; font-size: 1rem; font-weight: 600; cursor: pointer; }}
.error {{ background: #B33A3A22; border-left: 4px solid #B33A3A; padding: 8px 12px; border-radius: 6px; }}
small {{ opacity: .8; }}
</style></head><body><main><h1>🌙 {title}</h1>{body}</main></body></html>"""


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=html.escape(title), body=body), status_code=status,
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                 "Referrer-Policy": "same-origin"})  # no-referrer would make the Origin "null"


def field(label: str, name: str, kind: str = "text", value: str = "", extra: str = "") -> str:
    return (f'<label for="{name}">{html.escape(label)}</label><input id="{name}" name="{name}" type="{kind}" '
            f'value="{html.escape(value, quote=True)}" required {extra}>')


def _error(message: str | None) -> str:
    return f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""


def is_tls(request: Request) -> bool:
    return (request.headers.get("x-forwarded-proto") or request.url.scheme).split(",")[0].strip() == "https"


def same_origin(request: Request) -> bool:
    """Whether a POST comes from a page of this origin (the browser's Origin header)."""
    origin, host = request.headers.get("origin"), request.headers.get("x-forwarded-host") or request.headers.get("host")
    return bool(origin and host) and origin == f"{'https' if is_tls(request) else 'http'}://{host}"


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def client_of(request: Request) -> str:
    """The client's address; behind a reverse proxy on this machine, the one it forwards (a proxy
    elsewhere cannot be told from a client that invents the header, so it is not believed)."""
    direct = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if direct in LOOPBACK and forwarded:
        return forwarded.split(",")[-1].strip()
    return direct


def auth_routes(get_luna: Callable[[], Luna], throttle: SignInThrottle | None = None) -> list[Route]:
    throttle = throttle or SignInThrottle()

    def refused() -> HTMLResponse:
        return page("Sign in", _error("This form must be sent from Luna's own page. Open Luna and try again."), 403)

    def sign_in_form(message: str | None = None, name: str = "", status: int = 200) -> HTMLResponse:
        body = (_error(message) + '<form method="post" action="/auth/sign-in">'
                + field("Name", "name", value=name, extra='autocomplete="username" autofocus')
                + field("Password", "password", "password", extra='autocomplete="current-password"')
                + '<button type="submit">Sign in</button></form>'
                "<p><small>New here? Ask the person running Luna for an invite link.</small></p>")
        return page("Sign in", body, status)

    async def sign_in(request: Request) -> Response:
        luna = get_luna()
        if luna.accounts.needs_setup():
            return RedirectResponse("/auth/setup", status_code=303)
        if request.method == "GET":
            return sign_in_form()
        if not same_origin(request):
            return refused()
        form = await request.form()
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        client = client_of(request)
        wait, delay = throttle.attempt(client, name)  # counted before the check: bursts cannot slip through
        if wait:
            return sign_in_form(f"Too many attempts from this device. Please wait {wait:.0f} seconds and try again.",
                                name, 429)
        async with throttle.lock(name):  # one attempt at a time per account, each after its delay
            await asyncio.sleep(delay)  # an account under attack is slowed, never locked
            try:
                _, token = await asyncio.to_thread(luna.accounts.sign_in, name, password)
            except SignInError as error:
                return sign_in_form(str(error), name, 401)
        throttle.succeeded(client, name)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, token, max_age=int(luna.settings.session_max_hours * 3600), path="/",
                            httponly=True, samesite="strict", secure=is_tls(request))
        return response

    async def sign_out(request: Request) -> Response:
        if not same_origin(request):
            return refused()
        get_luna().accounts.sign_out(request.cookies.get(COOKIE))
        response = RedirectResponse("/auth/sign-in", status_code=303)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=is_tls(request))
        return response

    async def setup(request: Request) -> Response:
        luna = get_luna()
        if not luna.accounts.needs_setup():
            return RedirectResponse("/auth/sign-in", status_code=303)
        message, name = None, "admin"
        if request.method == "POST":
            if not same_origin(request):
                return refused()
            form = await request.form()
            name = str(form.get("name", "")).strip()
            wait = throttle.client_wait(client_of(request))
            if wait:
                message = f"Too many attempts from this device. Please wait {wait:.0f} seconds."
            elif form.get("password") != form.get("password2"):
                message = "The two passwords are not the same."
            else:
                try:
                    await asyncio.to_thread(luna.accounts.complete_setup, str(form.get("code", "")), name,
                                            str(form.get("password", "")))
                except LunaError as error:
                    throttle.failed(client_of(request), "setup")
                    message = str(error)
                else:
                    return RedirectResponse("/auth/sign-in", status_code=303)
        body = (_error(message) + "<p>Welcome! Create the administrator account. The <b>setup code</b> is printed in "
                "the console where Luna was started, so only the person running Luna can do this.</p>"
                '<form method="post" action="/auth/setup">' + field("Setup code", "code", extra='autocomplete="off"')
                + field("Administrator name", "name", value=name)
                + field("Password", "password", "password", extra='autocomplete="new-password"')
                + field("Password again", "password2", "password", extra='autocomplete="new-password"')
                + '<button type="submit">Create administrator</button></form>')
        return page("Set up Luna", body, 400 if message else 200)

    async def join(request: Request) -> Response:
        luna = get_luna()
        message, name = None, ""
        code = request.query_params.get("invite", "")
        if request.method == "POST":
            if not same_origin(request):
                return refused()
            form = await request.form()
            name, code = str(form.get("name", "")).strip(), str(form.get("invite", ""))
            if form.get("password") != form.get("password2"):
                message = "The two passwords are not the same."
            else:
                try:
                    await asyncio.to_thread(luna.accounts.accept_invite, code, name, str(form.get("password", "")))
                except LunaError as error:
                    message = str(error)
                else:
                    return sign_in_form("Your account is ready: sign in with your new password.", name)
        body = (_error(message) + "<p>You've been invited to try Luna. Choose a name and a password.</p>"
                '<form method="post" action="/auth/join">'
                f'<input type="hidden" name="invite" value="{html.escape(code, quote=True)}">'
                + field("Name", "name", value=name, extra='autocomplete="username"')
                + field("Password", "password", "password", extra='autocomplete="new-password"')
                + field("Password again", "password2", "password", extra='autocomplete="new-password"')
                + '<button type="submit">Create my account</button></form>')
        return page("Join Luna", body, 400 if message else 200)

    return [Route("/auth/sign-in", sign_in, methods=["GET", "POST"]),
            Route("/auth/sign-out", sign_out, methods=["POST"]),
            Route("/auth/setup", setup, methods=["GET", "POST"]),
            Route("/auth/join", join, methods=["GET", "POST"])]
