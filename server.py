"""Luna's server: the Streamlit app (app.py) with its sign-in routes, for ``streamlit run server.py``
(what ``make run`` does). On a brand-new installation it prints the one-time setup code for the
first administrator in this console. While it runs, it checks the rollback triggers of the flags
with automatic rollback on every few minutes (``LUNA_ROLLBACK_CHECK_MINUTES``, default 5)."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager, suppress

import streamlit as st

from luna_core.accounts.routes import auth_routes
from luna_core.analytics.rollback import watch
from luna_core.luna import shared_luna
from pages.common import luna_settings


def get_luna():
    return shared_luna(luna_settings)


@asynccontextmanager
async def lifespan(_app):
    code = get_luna().accounts.new_setup_code()
    if code:
        print(f"\n  🌙 Luna is new here. Open it in your browser and create the administrator account\n"
              f"     with this one-time setup code:  {code}\n", flush=True)
    rollbacks = asyncio.create_task(watch(get_luna, get_luna().settings.rollback_check_minutes))
    yield
    rollbacks.cancel()
    with suppress(asyncio.CancelledError):
        await rollbacks


app = st.App("app.py", routes=auth_routes(get_luna), lifespan=lifespan)
