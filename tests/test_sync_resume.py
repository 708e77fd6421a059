"""A push killed mid-transfer (SIGKILL) resumes from the last confirmed chunk."""

import os
import pty
import random
import re
import select
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, LiveServer
from tests.engines import ENGINES
from tests.sync_helpers import Capturer, counts, enrol, node, query, sauti

pytestmark = [pytest.mark.slow, *ENGINES]
WORDS = [
    "maji",
    "shule",
    "barabara",
    "afya",
    "chakula",
    "kazi",
    "nyumba",
    "umeme",
    "usalama",
    "mazingira",
]


def _text(rng: random.Random) -> str:
    # random letters do not compress, so the bundle spans many small chunks
    noise = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(160))
    return f"{rng.choice(WORDS)} {noise}"


def _push_on_a_terminal(child) -> tuple[int, str]:
    """`sauti sync push` with stderr on a terminal (where it shows its byte counter)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "sync", "push", "--chunk-size", "1024",
         "--home", str(child)],
        stdout=subprocess.DEVNULL, stderr=follower, cwd=ROOT,
    )  # fmt: skip
    os.close(follower)
    shown, deadline = b"", time.monotonic() + 150  # the push gives itself 120 s
    while time.monotonic() < deadline:
        if not select.select([leader], [], [], 1)[0]:
            continue
        try:
            piece = os.read(leader, 4096)
        except OSError:  # the push ended: the terminal is closed
            break
        if not piece:
            break
        shown += piece
    os.close(leader)
    return proc.wait(timeout=120), shown.decode("utf-8", "replace")


def test_killed_push_resumes_and_counts_exactly(tmp_path):
    region = node(tmp_path / "region", "Nairobi", "region", "KE/47")
    child = node(
        tmp_path / "c", "Kangemi", "community", "KE/47/westlands/kangemi", share_text="scrubbed"
    )
    server = LiveServer(region).start()
    try:
        enrol(region, child, "Kangemi", server.url)
        capturer = Capturer(child)
        rng = random.Random(5)
        for _ in range(250):
            capturer.need(text=_text(rng), supporters=rng.randint(1, 4))
        want = query(child, "SELECT count(*), sum(supporters) FROM needs")[0]

        # stderr on a terminal: the push shows its byte counter there (never in a log)
        leader, follower = pty.openpty()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app.cli",
                "sync",
                "push",
                "--chunk-size",
                "1024",
                "--home",
                str(child),
            ],
            stdout=subprocess.DEVNULL,
            stderr=follower,
            cwd=ROOT,
        )
        os.close(follower)
        seen, deadline = b"", time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                piece = os.read(leader, 64)
            except OSError:  # the push ended: the terminal is closed
                piece = b""
            if not piece:
                break
            seen += piece
            sent = [int(x.replace(b",", b"")) for x in re.findall(rb"sending ([\d,]+)/", seen)]
            if sent and sent[-1] >= 8 * 1024:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        os.close(leader)
        [(size, got, state)] = query(region, "SELECT size, received, state FROM sync_uploads")
        assert state == "open" and 0 < got < size, (got, size)
        assert counts(region)["need"] == 0  # nothing applied from a partial upload

        code, shown = _push_on_a_terminal(child)
        assert code == 0, shown
        first = re.search(r"sending ([\d,]+)/", shown).group(1)
        assert int(first.replace(",", "")) >= got  # resumed, did not start over
        got_counts = counts(region)
        assert (got_counts["need"], got_counts["supporters"]) == tuple(want)
        assert query(region, "SELECT count(*) FROM sync_upload_chunks") == [(0,)]
        assert "nothing to push" in sauti("sync", "push", "--home", child).stdout
        assert counts(region)["need"] == want[0]
    finally:
        server.stop()
