"""Accounts: passwords (argon2id), browser sessions, invites, the first-start setup code, the
slow-down of repeated failed sign-ins, and the sign-in HTTP routes the app serves."""

from luna_core.accounts.service import SIGN_IN_FAILED, AccountService, SignInError

__all__ = ["SIGN_IN_FAILED", "AccountService", "SignInError"]
