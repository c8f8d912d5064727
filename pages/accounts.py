"""Accounts (administrators): everyone's account and role, new accounts, invite links, roles,
passwords and disabling. Every action goes through the accounts service, which checks the policy."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from luna_core.errors import LunaError
from luna_core.store.users import ROLES
from pages import common


def account_table() -> None:
    users = common.luna().accounts.list(common.user())
    st.dataframe(pd.DataFrame([{"Name": u.name, "Role": u.role, "Created": u.created_at,
                                "Status": "disabled" if u.disabled else "active"} for u in users]),
                 hide_index=True, width="stretch",
                 column_config={"Created": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})


def invite_panel() -> None:
    luna, me = common.luna(), common.user()
    st.subheader("Invite someone")
    left, right = st.columns([2, 1])
    role = left.selectbox("Role", ["tester", "clinician"], key="invite_role")
    days = right.number_input("Valid for (days)", 1, 30, 7, key="invite_days")
    if st.button("Create invite link", key="invite_create"):
        try:
            code = luna.accounts.create_invite(me, role, int(days))
        except LunaError as error:
            common.show_error(error)
            return
        base = (st.context.url or "").split("/", 3)
        origin = "/".join(base[:3]) if len(base) >= 3 else ""
        st.success("Send this link to the person you invite. It works once; Luna keeps no copy of it.", icon="✉️")
        st.code(f"{origin}/auth/join?invite={code}", language=None)


def add_panel() -> None:
    luna, me = common.luna(), common.user()
    st.subheader("Add an account")
    with st.form("add_account", clear_on_submit=True):
        name = st.text_input("Name")
        role = st.selectbox("Role", ROLES)
        password = st.text_input("Password", type="password", help="Give it to the person in a safe way; "
                                 "they can change it on My data.")
        if st.form_submit_button("Add account"):
            common.act(lambda: luna.accounts.add(me, name, role, password), f"Added {name}.")


def change_panel() -> None:
    luna, me = common.luna(), common.user()
    st.subheader("Change an account")
    names = [u.name for u in luna.accounts.list(me)]
    name = st.selectbox("Account", names, key="change_account")
    role_col, pass_col = st.columns(2)
    with role_col:
        role = st.selectbox("New role", ROLES, key="change_role")
        if st.button("Change role", key="change_role_go"):
            common.act(lambda: luna.accounts.set_role(me, name, role), f"{name} is now {role}; their sessions ended.")
        if st.button("Disable account", key="disable_go"):
            common.act(lambda: luna.accounts.disable(me, name), f"Disabled {name}; their sessions ended.")
    with pass_col:
        password = st.text_input("New password", type="password", key="change_password")
        if st.button("Set password", key="set_password_go"):
            common.act(lambda: luna.accounts.set_password(me, name, password), f"New password set for {name}.")


def render() -> None:
    common.note_wizard_left()
    st.title("👥 Accounts")
    common.show_flash()
    account_table()
    invite_panel()
    add_panel()
    change_panel()


render()
