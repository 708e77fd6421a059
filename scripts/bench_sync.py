"""Sync benchmark: bytes on the wire per need for a full HTTP sync of 10,000
multilingual needs, next to one JSON POST per need; sync wall time; parent
ingest rate next to a plain sqlite-utils bulk insert.

Bytes on the wire are TCP payload in both directions, counted by a small relay
on 127.0.0.1 between the child and the parent's real server (`sauti serve`).

    .venv/bin/python scripts/bench_sync.py [--needs 10000] [--posts 1000]

Prints a Markdown section and writes bench-results/sync.md.
"""

import argparse
import http.client
import json
import socket
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.demo import corpus
from app.node import home
from app.store import events, needs, sync_state
from sync import http_push, inbox
from sync.local import Local
from tests.conftest import LiveServer, add_token, make_home

LOCALITY = "KE/47/westlands/kangemi"


class Relay:
    """A TCP relay that counts payload bytes in both directions."""

    def __init__(self, upstream_port: int):
        self.upstream = upstream_port
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.up = self.down = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self):
        with self.lock:
            self.up = self.down = 0

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pump, args=(client, server, "up"), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, "down"), daemon=True).start()

    def _pump(self, src, dst, direction):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self.lock:
                    setattr(self, direction, getattr(self, direction) + len(data))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    @property
    def total(self):
        return self.up + self.down


def capture_all(path: Path, bodies: list[dict]) -> None:
    db = home.open_home(path).connect()
    try:
        for i, body in enumerate(bodies):
            need = dict(body, uuid=str(uuid.uuid4()), locality=LOCALITY, goals=[6])
            needs.insert(
                db,
                need,
                submission_hash=f"b{i}",
                on_insert=lambda d, row: events.append(d, "need", row["id"]),
            )
    finally:
        db.close()


def posts(port: int, token: str, bodies: list[dict]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for body in bodies:
        data = json.dumps(
            dict(body, uuid=str(uuid.uuid4()), locality=LOCALITY), ensure_ascii=False
        ).encode()
        conn.request(
            "POST",
            "/api/v1/needs",
            body=data,
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "User-Agent": "sauti-tablet/1",
            },
        )
        response = conn.getresponse()
        response.read()
        assert response.status == 201, response.status
    conn.close()


def ingest(tmp: Path, raw: bytes, child_key: str, rows_out: list) -> float:
    parent = make_home(tmp / "ingest-parent", name="P", level="region", locality="KE/47")
    local = Local.open(home.open_home(parent))
    try:
        sync_state.add_child(local.db, "C", child_key)
        receiver = inbox.Receiver(local)
        start = time.perf_counter()
        result = receiver.apply(receiver.check(raw))
        seconds = time.perf_counter() - start
        assert result["new"] > 0
        rows_out += list(local.db.query("SELECT * FROM shared_needs"))
        return seconds
    finally:
        local.close()


def bulk(tmp: Path, rows: list[dict]) -> float:
    target = make_home(tmp / "bulk", name="B", level="region", locality="KE/47")
    db = home.open_home(target).connect()
    try:
        start = time.perf_counter()
        db["shared_needs"].insert_all(rows, batch_size=1000)
        return time.perf_counter() - start
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument(
        "--posts",
        type=int,
        default=1_000,
        help="one-POST-per-need sample size (bytes per POST do not depend on n)",
    )
    args = parser.parse_args()
    n = args.needs
    bodies = corpus.needs(n)
    texts = [b["text"] for b in bodies]
    floor = len(zstandard.ZstdCompressor(level=19).compress("\n".join(texts).encode())) / n

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        parent = make_home(tmp / "parent", name="Region", level="region", locality="KE/47")
        child = make_home(tmp / "child", name="Community", locality=LOCALITY)
        cdb = home.open_home(child).connect()
        from app.node import settings

        settings.set_value(cdb, "share_text", "scrubbed")
        cdb.close()
        capture_all(child, bodies)
        server = LiveServer(parent).start()
        try:
            relay = Relay(server.port)
            child_key = (child / "node.pub").read_text().strip()
            pdb = home.open_home(parent).connect()
            sync_state.add_child(pdb, "Community", child_key)
            pdb.close()
            local = Local.open(home.open_home(child))
            sync_state.set_parent(
                local.db,
                f"http://127.0.0.1:{relay.port}",
                (parent / "node.pub").read_text().strip(),
            )
            start = time.perf_counter()
            result = http_push.push(local)
            wall = time.perf_counter() - start
            time.sleep(0.2)
            sync_bytes = relay.total
            raw = local.db.execute("SELECT data FROM sync_outbox").fetchone()
            local.close()
            assert result["new"] == n, result

            relay.reset()
            token = add_token(parent, "bench-facilitator", "facilitator")
            sample = bodies[: args.posts]
            posts(relay.port, token, sample)
            time.sleep(0.2)
            post_per_need = relay.total / len(sample)
        finally:
            server.stop()
        del raw

        # ingest: the same bundle applied at a fresh parent vs a plain bulk insert
        local = Local.open(home.open_home(child))
        from sync import outbox

        sync_state.put(local.db, acked_seq=0)
        local.db.execute("UPDATE sync_outbox SET acked = 0")
        local.db.execute("DELETE FROM sync_outbox")
        sync_state.put(local.db, batched_floor=0)
        built = outbox.build(local)
        local.close()
        rows: list = []
        ingest_s = ingest(tmp, built[0], child_key, rows)
        bulk_s = bulk(tmp, rows)

    per_need = sync_bytes / n
    target_bytes = floor + 24
    ratio_post = post_per_need / per_need
    ingest_rate, bulk_rate = n / ingest_s, n / bulk_s
    lines = [
        "## Sync (scripts/bench_sync.py)",
        "",
        (
            f"{n:,} needs of generated multilingual text (app/demo/corpus.py, seeded; "
            "8 languages), one community pushing to a region over HTTP through a byte-counting "
            "TCP relay on 127.0.0.1 (TCP payload, both directions)."
        ),
        "",
        "| measure | value | target | met |",
        "| --- | --- | --- | --- |",
        (
            f"| bytes on the wire per need, full sync | {per_need:.1f} B | "
            f"≤ floor + 24 = {target_bytes:.1f} B | {'yes' if per_need <= target_bytes else 'no'} |"
        ),
        f"| floor: all texts zstd-19 together / n | {floor:.1f} B | | |",
        (
            f"| one JSON POST per need (HTTP/1.1, keep-alive, {len(sample):,} sampled) | "
            f"{post_per_need:.0f} B | | |"
        ),
        (
            f"| one-POST-per-need ÷ sync | {ratio_post:.1f}× | ≥ 10× | "
            f"{'yes' if ratio_post >= 10 else 'no'} |"
        ),
        f"| sync wall time (seal, scrub, sign, compress, upload, verify, apply) | {wall:.1f} s | | |",
        (
            f"| parent ingest (verify + decode + apply, one transaction) | {ingest_rate:,.0f} records/s"
            " | | |"
        ),
        f"| plain sqlite-utils insert_all, same table and indexes | {bulk_rate:,.0f} records/s | | |",
        (
            f"| ingest ÷ bulk insert | {ingest_rate / bulk_rate:.0%} | ≥ 25% | "
            f"{'yes' if ingest_rate / bulk_rate >= 0.25 else 'no'} |"
        ),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "sync.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
