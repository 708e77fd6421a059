"""Scheduled sync work inside `sauti serve` (listed in app.node.scheduler.jobs).

push_job ticks every minute; it pushes when the next attempt is due: every
`push_interval_minutes` after a success, and after a failure with exponential
backoff (1, 2, 4 ... minutes, capped at max(interval, 60 minutes)) and jitter,
so a hundred communities coming back online do not all hit the region at once.
cleanup_job deletes stale partial uploads at a parent.
"""

import logging
import random
import time

from app.node import settings
from app.store import sync_state

from . import http_push, http_receive
from .errors import SyncError
from .local import Local

log = logging.getLogger(__name__)

_state = {"next_at": 0.0, "failures": 0}


def backoff_seconds(failures: int, interval_minutes: int, rng=random) -> float:
    """Delay before the next try after FAILURES consecutive failures (>= 1)."""
    cap = max(interval_minutes, 60) * 60
    base = min(60 * 2 ** (failures - 1), cap)
    return base * rng.uniform(0.5, 1.0)


def next_delay(ok: bool, failures: int, interval_minutes: int, rng=random) -> float:
    if ok:
        return interval_minutes * 60 * rng.uniform(0.9, 1.1)
    return backoff_seconds(failures, interval_minutes, rng)


def push_once(home, now: float | None = None) -> bool | None:
    """One scheduler tick: push if due. Returns True/False for an attempt, None if idle."""
    now = time.time() if now is None else now
    if now < _state["next_at"]:
        return None
    local = Local.open(home)
    try:
        if sync_state.parent(local.db) is None:
            return None
        interval = settings.get_int(local.db, "push_interval_minutes")
        try:
            http_push.push(local)
            ok = True
            _state["failures"] = 0
        except SyncError as exc:
            ok = False
            _state["failures"] += 1
            log.warning("scheduled push failed (%d in a row): %s", _state["failures"], exc.message)
        _state["next_at"] = now + next_delay(ok, _state["failures"], interval)
        return ok
    finally:
        local.close()


def sync_push(home) -> None:
    push_once(home)


def sync_cleanup(home) -> None:
    local = Local.open(home)
    try:
        removed = http_receive.cleanup(local)
        if removed:
            log.info("removed %d stale or old upload session(s)", removed)
    finally:
        local.close()
