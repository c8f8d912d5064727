"""Luna's server: the Streamlit app (app.py) with its sign-in routes, for ``streamlit run server.py``
(what ``make run`` does). On a brand-new installation it prints the one-time setup code for the
first administrator in this console."""

from __future__ import annotations

from contextlib import asynccontextmanager

import streamlit as st

from luna_core.accounts.routes import auth_routes
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
    yield


app = st.App("app.py", routes=auth_routes(get_luna), lifespan=lifespan)
