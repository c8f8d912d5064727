"""Slowing repeated failed sign-ins, per client and per account, with the ``limits`` library.

A client (an address) that fails too often in a moving window is refused for a while: that stops
one machine guessing fast and only ever affects that machine. An account that is guessed at is
never locked (anyone could lock a real person out by failing on purpose): past a few failures
each further attempt on it simply waits a few seconds first, from any client.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

from limits import parse, storage, strategies

CLIENT_FAILURES = parse("20/10 minutes")  # then this client is refused until the window moves on
ACCOUNT_FAILURES = parse("5/15 minutes")  # then every attempt on this account waits
ACCOUNT_DELAY_SECONDS = 3.0


class SignInThrottle:
    def __init__(self, client_limit=CLIENT_FAILURES, account_limit=ACCOUNT_FAILURES,
                 delay: float = ACCOUNT_DELAY_SECONDS) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self.client_limit, self.account_limit, self.delay = client_limit, account_limit, delay
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def lock(self, name: str) -> asyncio.Lock:
        """Attempts on one account run one at a time, so parallel requests cannot share one delay."""
        return self._locks[name.strip().lower()]

    def attempt(self, client: str, name: str) -> tuple[float, float]:
        """Count an attempt before it is checked (a burst of parallel requests is counted as it
        arrives): (seconds this client must wait first, 0 when it may go on; seconds to wait
        before checking the password). ``succeeded`` takes a successful attempt back."""
        key = name.strip().lower()
        account_delay = 0.0 if self._limiter.test(self.account_limit, "account", key) else self.delay
        if not self._limiter.hit(self.client_limit, "client", client):
            reset, _ = self._limiter.get_window_stats(self.client_limit, "client", client)
            return max(1.0, reset - time.time()), account_delay
        self._limiter.hit(self.account_limit, "account", key)
        return 0.0, account_delay

    def succeeded(self, client: str, name: str) -> None:
        """A right password: this attempt does not count against the client or the account."""
        self._limiter.clear(self.client_limit, "client", client)
        self._limiter.clear(self.account_limit, "account", name.strip().lower())

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
        """Count a failure for checks that are not sign-ins (the setup code)."""
        self._limiter.hit(self.client_limit, "client", client)
        self._limiter.hit(self.account_limit, "account", name.strip().lower())
