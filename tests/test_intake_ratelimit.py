"""The in-memory per-address limiter: sliding window, bounded memory, threads."""

import threading

import pytest

from app.public.ratelimit import SlidingWindow


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_sliding_window_allows_limit_then_waits_for_the_oldest_hit():
    clock = Clock()
    window = SlidingWindow(3, 60, clock=clock)
    for _ in range(3):
        assert window.hit("a") == 0
        clock.now += 5
    assert window.hit("a") == pytest.approx(45)  # until the first hit is 60 s old
    assert window.hit("b") == 0  # another address has its own count
    clock.now += 45
    assert window.hit("a") == 0  # the first hit left the window
    assert window.hit("a") == pytest.approx(5)  # the second has not


def test_memory_is_bounded_and_idle_addresses_are_forgotten():
    clock = Clock()
    window = SlidingWindow(2, 60, max_keys=100, clock=clock)
    for i in range(1000):
        window.hit(f"10.0.{i // 256}.{i % 256}")
    assert len(window) == 100
    clock.now += 61
    window.hit("10.9.9.9")
    assert len(window) == 1


def test_threads_never_exceed_the_limit():
    window = SlidingWindow(50, 60)
    allowed = []
    lock = threading.Lock()

    def worker():
        for _ in range(20):
            ok = window.hit("same") == 0
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(allowed) == 50 and len(allowed) == 200


def test_ipv6_clients_count_per_64_network(app):
    from app.public.ratelimit import client_key

    with app.test_request_context(environ_base={"REMOTE_ADDR": "2001:db8:1:2::17"}):
        assert client_key() == "2001:db8:1:2::/64"
    with app.test_request_context(environ_base={"REMOTE_ADDR": "::ffff:10.0.0.5"}):
        assert client_key() == "10.0.0.5"
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.168.1.20"}):
        assert client_key() == "192.168.1.20"
