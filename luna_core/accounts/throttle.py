"""Slowing repeated failed sign-ins, per client and per account, with the ``limits`` library.

A client (an address) that fails too often in a moving window is refused for a while: that stops
one machine guessing fast and only ever affects that machine. An account that is guessed at is
never locked (anyone could lock a real person out by failing on purpose): past a few failures
each further attempt on it simply waits a few seconds first, from any client.
"""

from __future__ import annotations

import time

from limits import parse, storage, strategies

CLIENT_FAILURES = parse("20/10 minutes")  # then this client is refused until the window moves on
ACCOUNT_FAILURES = parse("5/15 minutes")  # then every attempt on this account waits
ACCOUNT_DELAY_SECONDS = 3.0


class SignInThrottle:
    def __init__(self, client_limit=CLIENT_FAILURES, account_limit=ACCOUNT_FAILURES,
                 delay: float = ACCOUNT_DELAY_SECONDS) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self.client_limit, self.account_limit, self.delay = client_limit, account_limit, delay

    def client_wait(self, client: str) -> float:
        """Seconds until ``client`` may try again; 0 when it may now."""
        if self._limiter.test(self.client_limit, "client", client):
            return 0.0
        reset, _ = self._limiter.get_window_stats(self.client_limit, "client", client)
        return max(1.0, reset - time.time())

    def account_delay(self, name: str) -> float:
        """Seconds an attempt on ``name`` waits before it is checked (0 for an account nobody is guessing)."""
        return 0.0 if self._limiter.test(self.account_limit, "account", name.strip().lower()) else self.delay

    def failed(self, client: str, name: str) -> None:
        self._limiter.hit(self.client_limit, "client", client)
        self._limiter.hit(self.account_limit, "account", name.strip().lower())
