"""Per-address rate limits for the public entry points (kiosk, status lookup,
SMS webhook): an in-memory sliding-window log, thread-safe, bounded in memory.

    @bp.route("/status")
    @public
    @rate_limited("status", limit=10, per=60, when=lambda: bool(request.args.get("ref")))
    def status(): ...

A limited request answers 429 (AppError "too_many_requests") with a
Retry-After header. Counts live in the process (waitress runs one process
with threads), so a restart forgets them: fine for spam control, not an
accounting record. IPv6 clients are counted per /64 network, since one
device usually owns a whole /64.

Limits can be changed per app with the config key RATELIMITS, e.g.
`{"kiosk": (20, 600)}` (requests, seconds).
"""

import ipaddress
import math
import threading
import time
from collections import OrderedDict, deque

from flask import current_app, request

from app.auth.permissions import wraps_marks
from app.errors import AppError

MAX_KEYS = 10_000  # addresses remembered at most; the least recently seen go first


class SlidingWindow:
    """At most LIMIT hits per PER seconds for each key."""

    def __init__(self, limit: int, per: float, max_keys: int = MAX_KEYS, clock=time.monotonic):
        if limit < 1 or per <= 0:
            raise ValueError("limit must be >= 1 and per > 0")
        self.limit = limit
        self.per = per
        self.max_keys = max_keys
        self.clock = clock
        self._hits: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Count one hit for KEY; 0 when allowed, else seconds until the next is allowed."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            hits = self._hits.get(key)
            if hits is None:
                hits = self._hits[key] = deque()
            else:
                self._hits.move_to_end(key)
            while hits and hits[0] <= now - self.per:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(hits[0] + self.per - now, 0.001)
            hits.append(now)
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
            return 0.0

    def _expire(self, now: float) -> None:
        # Keys are kept in least-recently-hit order: drop those whose newest hit
        # has left the window (they have nothing left to count).
        while self._hits:
            key, hits = next(iter(self._hits.items()))
            if hits and hits[-1] > now - self.per:
                break
            del self._hits[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._hits)


_create_lock = threading.Lock()


def client_key() -> str:
    """The caller's address (an IPv6 address counts as its /64 network)."""
    addr = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return addr
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def limiter(name: str, limit: int, per: float) -> SlidingWindow:
    """The app's limiter called NAME (created on first use)."""
    store = current_app.extensions.setdefault("sauti_ratelimits", {})
    found = store.get(name)
    if found is None:
        with _create_lock:
            found = store.get(name)
            if found is None:
                limit, per = current_app.config.get("RATELIMITS", {}).get(name, (limit, per))
                found = store[name] = SlidingWindow(limit, per)
    return found


def wait_for(name: str, limit: int, per: float, key: str | None = None) -> int:
    """Count one request of KEY (the caller's address when None) against limit
    NAME: 0 when allowed, else the whole seconds until the next one is."""
    wait = limiter(name, limit, per).hit(key or client_key())
    return max(1, math.ceil(wait)) if wait else 0


def check(name: str, limit: int, per: float) -> None:
    """Count one request of the caller against limit NAME; AppError 429 when over it."""
    wait = wait_for(name, limit, per)
    if wait:
        error = AppError(429)
        error.retry_after = wait
        raise error


def rate_limited(name: str, *, limit: int, per: float, methods=None, when=None):
    """View decorator: at most LIMIT requests per PER seconds per address.

    Only requests with a method in METHODS (all when None) and for which
    WHEN() is true (always when None) are counted."""

    def decorate(view):
        @wraps_marks(view)
        def wrapper(*args, **kwargs):
            counted = (methods is None or request.method in methods) and (when is None or when())
            if counted:
                check(name, limit, per)
            return view(*args, **kwargs)

        return wrapper

    return decorate
