"""Attack 6: a hostile or broken parent (or anyone on the plain-HTTP path). Answers
are read up to 1 MiB, a push gets one deadline in all (a drip cannot outlive it),
every answer that steers the child is signed or type-checked, Retry-After is clamped,
and each misbehaviour is one sentence in last_error, never a traceback."""

import http.server
import json
import threading
import time

import nacl.signing
import pytest

from app.node import home
from app.store import sync_state
from sync import http_push, messages
from sync.batch import b64
from sync.errors import SyncError
from tests.sync_helpers import Capturer, cli

KEY = nacl.signing.SigningKey(bytes(range(32)))


class Hostile(http.server.BaseHTTPRequestHandler):
    behaviour = "huge"
    child = ""

    def log_message(self, *args):
        pass

    def _answer(self, body: bytes, status=200, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        how = self.behaviour
        if how == "huge":
            return self._answer(b" " * (3 * 1024 * 1024))
        if how == "deep":
            return self._answer(b"[" * 100_000 + b"]" * 100_000)
        if how == "busy":
            return self._answer(b"{}", 503, [("Retry-After", "99999999999999999999")])
        if how == "drip":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(40):  # bounded: at most 40 bytes, 0.1 s apart
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
            return
        if self.path.endswith("/hello"):
            welcome = {"type": "welcome", "parent": "p", "child": self.child, "have": 0,
                       "max_chunk": 65536, "quota": 1}
            if how == "ill-typed-welcome":
                welcome["have"] = [1]
            return self._answer(json.dumps(messages.sign(KEY, welcome)).encode())
        if how == "ill-typed-start":
            return self._answer(json.dumps({"done": False, "upload": ["../x"], "received": "a"}).encode())
        if how == "unsigned-done":
            return self._answer(json.dumps({"done": True, "answer": {"msg": {"type": "ack"}}}).encode())
        return self._answer(b"{}")


@pytest.fixture
def parent():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = False  # server_close() waits for the (bounded) handlers
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def push(tmp_path, parent, behaviour, timeout=http_push.TIMEOUT):
    from tests.sync_helpers import node, node_id

    child = node(tmp_path / "c", "Kangemi", "community", "KE/47/westlands/kangemi")
    Capturer(child).need(text="Maji")
    url = f"http://127.0.0.1:{parent.server_address[1]}"
    cli("parent", "set", url, "--key", b64(bytes(KEY.verify_key)), "--home", child)
    Hostile.behaviour, Hostile.child = behaviour, node_id(child)
    local = http_push.Local.open(home.open_home(child))
    try:
        with pytest.raises(SyncError) as caught:
            http_push.push(local, timeout=timeout, busy_retries=0)
        assert sync_state.get(local.db, "last_error") == caught.value.message
        assert sync_state.pending(local.db) > 0
    finally:
        local.close()
    return caught.value.message


@pytest.mark.parametrize(
    "behaviour, words",
    [
        ("huge", "larger than 1048576 bytes"),
        ("deep", "not JSON"),
        ("ill-typed-welcome", "welcome is malformed"),
        ("ill-typed-start", "start of the upload is malformed"),
        ("unsigned-done", "not signed"),
        ("busy", "retry in 3600 s"),
    ],
)
def test_a_misbehaving_parent_is_one_sentence_in_last_error(tmp_path, parent, behaviour, words):
    message = push(tmp_path, parent, behaviour)
    assert words in message and "Traceback" not in message


def test_a_drip_cannot_outlive_the_push_deadline(tmp_path, parent):
    message = push(tmp_path, parent, "drip", timeout=1)
    assert "within 1 s" in message
