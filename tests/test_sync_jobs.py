"""The scheduled push: backoff with jitter while the parent is unreachable."""

import random

from app.node import home
from app.store import sync_state
from sync import jobs
from tests.sync_helpers import Capturer, enrol, node


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    rng = random.Random(1)
    delays = [jobs.backoff_seconds(n, 15, rng) for n in range(1, 12)]
    assert 30 <= delays[0] <= 60 and 60 <= delays[1] <= 120 and 120 <= delays[2] <= 240
    assert all(d <= 3600 for d in delays) and delays[-1] >= 1800
    assert len({round(jobs.backoff_seconds(3, 15, rng)) for _ in range(20)}) > 5  # jitter
    ok = jobs.next_delay(True, 0, 15, rng)
    assert 810 <= ok <= 990


def test_scheduled_push_fails_then_waits(tmp_path, monkeypatch):
    parent = node(tmp_path / "p", "P", "region", "KE/47")
    child = node(tmp_path / "c", "C", "community", "KE/47/westlands/kangemi")
    enrol(parent, child, "C", "http://127.0.0.1:9")  # nothing listens there
    Capturer(child).need()
    monkeypatch.setattr(jobs, "_state", {"next_at": 0.0, "failures": 0})
    node_home = home.open_home(child)
    assert jobs.push_once(node_home, now=1000.0) is False
    assert jobs._state["failures"] == 1 and 1030 <= jobs._state["next_at"] <= 1060
    assert jobs.push_once(node_home, now=1001.0) is None  # not due yet
    db = node_home.connect()
    try:
        assert "cannot reach the parent" in sync_state.get(db, "last_error")
        assert sync_state.pending(db) == 1
    finally:
        db.close()
