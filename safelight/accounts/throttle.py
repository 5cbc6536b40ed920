"""How often one may try to sign in (issue 20): counted atomically, so parallel tries get no more.

* One client (a keyed hash of its address), whatever the accounts: SIGN_IN_LIMIT_PER_CLIENT
  failed tries per window. An outsider stops only itself.
* One account from one client: BACKOFF_FREE_FAILURES tries are free, then each further try
  waits longer (1, 2, 4 ... seconds, at most the window) and only one runs at a time. Keyed on
  the account and the client together, so nobody can slow down, let alone lock, a handler from
  elsewhere: there is no lock per account at all.
* One account from anywhere: after ALERT_AFTER_FAILURES failures in the window the handler is
  told (once).

Every try is counted before it is tried (safelight.ratelimit: cache add + incr, atomic on every
cache backend), and a try that turns out right, or that is refused, is given back: of N
parallel wrong tries exactly the limit get to try the password.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache

from safelight import ratelimit

SIGN_IN_WINDOW = 15 * 60
SIGN_IN_LIMIT_PER_CLIENT = 10
BACKOFF_FREE_FAILURES = 3
ALERT_AFTER_FAILURES = 10
# How long a try in progress holds the account-and-client's turn if its worker dies mid-way.
TURN_TIMEOUT = 60


@dataclass
class Admission:
    """One sign-in try: `allowed`, or refused for the client (`too_many`) or for `wait` seconds."""

    allowed: bool
    client: str
    account: str
    pair: str
    too_many: bool = False
    wait: int = 0
    holds_turn: bool = False
    number: int = 0  # this try's place among the account-and-client's tries


def _turn(pair: str) -> str:
    return f"sign-in-turn:{pair}"


def _until(pair: str) -> str:
    return f"sign-in-until:{pair}"


def admit(client: str, username: str) -> Admission:
    """Count this try against the client's budget and the account-and-client's back-off."""
    account = ratelimit.name_token(username)
    pair = ratelimit.name_token(f"{account}:{client}")
    found = Admission(allowed=False, client=client, account=account, pair=pair)
    if not ratelimit.take("sign-in", client, limit=SIGN_IN_LIMIT_PER_CLIENT,
                          window=SIGN_IN_WINDOW):
        ratelimit.give_back("sign-in", client, window=SIGN_IN_WINDOW)  # refused: not a try
        found.too_many = True
        return found
    number = ratelimit.count("sign-in-tries", pair, window=SIGN_IN_WINDOW)
    if number > BACKOFF_FREE_FAILURES:
        # Past the free tries, one at a time and only once the last failure's wait is over:
        # the first to claim the turn holds it; a failure keeps it taken for the wait.
        if not ratelimit.claim(_turn(pair), timeout=TURN_TIMEOUT):
            ratelimit.give_back("sign-in-tries", pair, window=SIGN_IN_WINDOW)
            ratelimit.give_back("sign-in", client, window=SIGN_IN_WINDOW)
            found.wait = max(1, math.ceil((cache.get(_until(pair)) or 0) - time.time()))
            return found
        found.holds_turn = True
    found.number = number
    found.allowed = True
    return found


def succeeded(admission: Admission) -> None:
    """A right password and code: the try costs nothing and the back-off starts again."""
    ratelimit.give_back("sign-in", admission.client, window=SIGN_IN_WINDOW)
    ratelimit.reset("sign-in-tries", admission.pair, window=SIGN_IN_WINDOW)
    cache.delete_many([_turn(admission.pair), _until(admission.pair)])


def stopped(admission: Admission) -> None:
    """Right credentials, but the account may not open yet (a reset waits for confirmation):
    not a failure, so it costs nothing; the turn is free again."""
    ratelimit.give_back("sign-in", admission.client, window=SIGN_IN_WINDOW)
    ratelimit.give_back("sign-in-tries", admission.pair, window=SIGN_IN_WINDOW)
    if admission.holds_turn:
        cache.delete(_turn(admission.pair))


def failed(admission: Admission) -> int:
    """A wrong try: it stays counted. Past the free tries the turn stays taken for the wait
    (1, 2, 4 ... seconds). Returns how many tries of this account from anywhere failed in the
    window."""
    if admission.holds_turn:
        over = admission.number - BACKOFF_FREE_FAILURES
        wait = min(2 ** (over - 1), SIGN_IN_WINDOW)
        cache.set(_until(admission.pair), time.time() + wait, timeout=wait)
        cache.set(_turn(admission.pair), 1, timeout=wait)
    return ratelimit.count("sign-in-account", admission.account, window=SIGN_IN_WINDOW)
