"""Sign-in throttling that a stranger cannot turn against a council member.

Failed sign-ins are counted per key in `login_failures`; a key that has failed
more than its free budget must wait, doubling up to 15 minutes. Which keys an
attempt counts against:

- from a browser that has signed in as this user before (a signed *device
  cookie* naming the user): only that device's own key. Nobody else's failures
  slow it down, so a member signing in from their own phone is never locked out.
- from anywhere else: the (user, address) pair, the address over all users
  (one machine guessing many names) and the user over all addresses with a
  larger budget (many machines guessing one name).

Claiming an attempt is one write transaction (app.store.users.claim_attempt):
after a delay, a burst of parallel attempts gets exactly one password check.
A correct password forgets the user's keys and gives back the address's count.
"""

import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

FREE_FAILURES = 3  # per (user, address), per address, per device
USER_FREE_FAILURES = 10  # per user over all addresses
MAX_DELAY = 900
DEVICE_COOKIE = "sauti_device"
DEVICE_USERS = 8  # users remembered by one shared tablet


def delay_for(failures: int, free: int = FREE_FAILURES) -> int:
    """Seconds a key must wait after FAILURES failed sign-ins in a row."""
    if failures < free:
        return 0
    return min(2 ** min(failures - free + 1, 20), MAX_DELAY)


@dataclass
class Attempt:
    budgets: dict[str, int]  # key -> free failures
    clear: list[str]  # forgotten after a correct password
    refund: list[str]  # given back one attempt after a correct password


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="sauti-device")


def device_users(cookie: str | None) -> dict[str, str]:
    """{user name (casefolded): device nonce} from the device cookie, or {}."""
    if not cookie or len(cookie) > 4096:
        return {}
    try:
        value = _serializer().loads(cookie)
    except BadSignature:
        return {}
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def device_cookie(known: dict[str, str], username: str) -> str:
    """The device cookie after USERNAME signed in here (their nonce kept or made)."""
    name = username.casefold()
    nonce = known.get(name) or secrets.token_urlsafe(12)
    others = [(k, v) for k, v in known.items() if k != name][: DEVICE_USERS - 1]
    return _serializer().dumps(dict([*others, (name, nonce)]))


def attempt(username: str, address: str | None, known: dict[str, str]) -> Attempt:
    name = username.casefold()
    nonce = known.get(name)
    if nonce:
        key = f"dev:{nonce}"
        return Attempt({key: FREE_FAILURES}, clear=[key], refund=[])
    address = address or "unknown"
    pair, addr, user = f"ua:{name}|{address}", f"addr:{address}", f"user:{name}"
    return Attempt(
        {pair: FREE_FAILURES, addr: FREE_FAILURES, user: USER_FREE_FAILURES},
        clear=[pair, user],
        refund=[addr],
    )
