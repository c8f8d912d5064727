"""My data: download everything Luna keeps of mine, change my password, sign out my other
sessions, and delete my account with all of it."""

from __future__ import annotations

import streamlit as st

from luna_core.accounts.mydata import delete_account, export_my_data
from luna_core.errors import LunaError
from pages import common


def export_panel() -> None:
    luna, user = common.luna(), common.user()
    st.subheader("Download my data")
    st.caption("One zip: a JSON file with your account, companions, documents' passages, conversations, ratings, "
               "journal entries and mood check-ins, your About me profile and activity, and the files you uploaded.")
    st.download_button("⬇️ Download my data", data=lambda: export_my_data(luna, user), file_name="luna-my-data.zip",
                       mime="application/zip", key="export_mine")


def password_panel() -> None:
    luna, user = common.luna(), common.user()
    st.subheader("Password and sessions")
    with st.form("change_my_password", clear_on_submit=True):
        current = st.text_input("Current password", type="password")
        new = st.text_input("New password", type="password")
        if st.form_submit_button("Change password"):
            try:
                luna.accounts.set_password(user, user.name, new, current=current)
            except LunaError as error:
                common.show_error(error)
            else:
                st.success("Password changed. Every session of yours has ended: please sign in again.", icon="🔑")
    token = st.session_state.get("session_token")
    if token and st.button("Sign out my other sessions", key="sign_out_others"):
        ended = luna.accounts.sign_out_others(user, token)
        st.success(f"Signed out {ended} other session{'s' if ended != 1 else ''}.", icon="✅")


def delete_panel() -> None:
    luna, user = common.luna(), common.user()
    st.subheader("Delete my account")
    st.caption("This removes your account and everything of yours: companions, documents and their files, "
               "conversations, ratings, journal, mood check-ins, profile and sessions. It cannot be undone; download your data first if you want it.")
    with st.form("delete_me"):
        password = st.text_input("Your password, to confirm", type="password")
        if st.form_submit_button("Delete my account and all my data", type="primary"):
            try:
                delete_account(luna, user, password)
            except LunaError as error:
                common.show_error(error)
                return
            for key in ("user", "session_token"):
                st.session_state.pop(key, None)
            st.session_state["signed_out"] = True
            st.rerun()


def render() -> None:
    common.note_wizard_left()
    st.title("🔐 My data")
    export_panel()
    password_panel()
    delete_panel()


render()
