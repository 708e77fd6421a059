"""The child's side of an HTTP push (stdlib urllib; no extra client library).

1. hello   (signed) -> the parent's signed welcome: its highest seq from us (a node
                       restored from a backup continues after it) and its max chunk;
2. start   (signed, bundle hash and size) -> upload id and bytes already received;
3. chunks  from that offset (an interrupted push resumes, it does not start over);
4. finish  -> the parent's signed acknowledgement, verified with the parent key set
              by `sauti parent set` before anything is marked delivered.
Repeats until nothing is pending. The bundle being sent is kept in the database
so a push killed mid-transfer resends the same bytes and resumes.
"""

import http.client
import json
import logging
import re
import socket
import threading
import time
import urllib.parse

from app.node.clock import now_iso
from app.store import sync_state

from . import messages, outbox
from .batch import sha256_hex
from .errors import BadAnswer, Busy, NoParent, ParentUnreachable, SyncError, by_code
from .local import Local

log = logging.getLogger(__name__)

DEFAULT_CHUNK = 64 * 1024
TIMEOUT = 120  # seconds for a whole push, every request and answer included
MAX_ANSWER = 1024 * 1024  # bytes read of any answer from the parent
MAX_RETRY_AFTER = 3600  # a parent cannot park a child longer than an hour
USER_AGENT = "sauti-sync/2"
_UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class Client:
    """HTTP to the parent with one deadline for everything (a parent that drips one
    byte at a time cannot hold a push past it) and at most MAX_ANSWER bytes read of
    any answer."""

    def __init__(self, base_url: str, timeout: float = TIMEOUT):
        self.base = base_url.rstrip("/") + "/api/v1/sync"
        self.url = urllib.parse.urlsplit(self.base)
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.bytes_out = 0

    def _unreachable(self, reason) -> ParentUnreachable:
        return ParentUnreachable(
            f"cannot reach the parent at {self.base.rsplit('/api/', 1)[0]} ({reason}); "
            "check the link and push again later; nothing was lost."
        )

    def post(self, path: str, body: bytes, content_type: str = "application/json") -> dict:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self._too_slow()
        cls = (
            http.client.HTTPSConnection
            if self.url.scheme == "https"
            else http.client.HTTPConnection
        )
        try:
            conn = cls(self.url.hostname, self.url.port, timeout=left)
        except (ValueError, http.client.HTTPException) as exc:
            raise self._unreachable(exc) from None
        # The watchdog closes the connection at the deadline, whatever it is waiting for.
        watchdog = threading.Timer(left, _shut, [conn])
        watchdog.daemon = True
        watchdog.start()
        try:
            conn.request(
                "POST",
                self.url.path + path,
                body=body,
                headers={"Content-Type": content_type, "User-Agent": USER_AGENT},
            )
            response = conn.getresponse()
            try:
                data = response.read(MAX_ANSWER + 1)
            finally:
                response.close()
            status, headers, reason = response.status, response.headers, response.reason
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if time.monotonic() >= self.deadline:
                raise self._too_slow() from None
            raise self._unreachable(getattr(exc, "reason", None) or exc) from None
        finally:
            watchdog.cancel()
            conn.close()
        if time.monotonic() >= self.deadline:  # the watchdog cut the answer short
            raise self._too_slow()
        if len(data) > MAX_ANSWER:
            raise BadAnswer(
                f"the parent's answer is larger than {MAX_ANSWER} bytes; is the URL a Sauti node?"
            )
        self.bytes_out += len(body)
        if status >= 400:
            raise _refusal(status, reason, headers, data)
        if status != 200:
            raise BadAnswer(f"the parent answered HTTP {status}; is the URL a Sauti node?")
        answer = _json(data)
        if answer is None:
            raise BadAnswer("the parent's answer is not JSON; is the URL a Sauti node?")
        return answer

    def _too_slow(self) -> ParentUnreachable:
        return ParentUnreachable(
            f"the parent did not finish answering within {self.timeout:g} s; "
            "push again later; nothing was lost."
        )

    def post_json(self, path: str, payload: dict) -> dict:
        return self.post(path, json.dumps(payload, ensure_ascii=False).encode())


def _shut(conn) -> None:
    sock = getattr(conn, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _json(data: bytes) -> dict | None:
    """A JSON object, or None (not JSON, nested too deeply, not an object)."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _plain(text, limit: int = 300) -> str:
    """A parent's words, safe to print: one line, printable, at most LIMIT characters."""
    text = "".join(c if c.isprintable() else " " for c in str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _retry_after(value) -> int:
    text = str(value or "").strip()
    seconds = int(text[:12]) if text.isascii() and text.isdigit() else 30
    return max(1, min(seconds, MAX_RETRY_AFTER))


def _refusal(status: int, reason, headers, data: bytes) -> SyncError:
    body = _json(data) or {}
    code = body.get("error") if isinstance(body.get("error"), str) else ""
    message = body.get("message")
    words = _plain(message) if isinstance(message, str) and message.strip() else None
    if status in (429, 503):
        retry = _retry_after(headers.get("Retry-After"))
        return Busy(
            f"the parent is busy ({words or status}); retry in {retry} s.", retry_after=retry
        )
    if status == 404 and not code:
        return BadAnswer("the parent does not offer sync at this URL; check 'sauti parent set'.")
    cls = by_code(code)
    error = cls(f"the parent refused: {words or _plain(reason) or status}")
    error.code = _plain(code, 40) or error.code
    return error


def _signed(local: Local, msg: dict) -> dict:
    msg = dict(msg, node_id=local.node_id, key=local.public_key, locality=local.node["locality"])
    return messages.sign(local.signing_key, msg)


def push(
    local: Local,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    progress=None,
    timeout: float = TIMEOUT,
    busy_retries: int = 2,
) -> dict:
    """Push everything pending; returns {"bundles", "new", "known", "bytes"}.
    Raises a SyncError subclass with a plain message on failure (recorded in
    sync_state last_error as well)."""
    db = local.db
    parent = sync_state.parent(db)
    if parent is None:
        raise NoParent(
            "this node has no parent; set one with 'sauti parent set URL --key PUBLIC_KEY'."
        )
    client = Client(parent["url"], timeout)
    sync_state.put(db, last_attempt=now_iso())
    totals = {"bundles": 0, "new": 0, "known": 0, "bytes": 0}
    try:
        welcome = messages.verify(
            client.post_json(
                "/hello",
                _signed(
                    local,
                    {
                        "type": "hello",
                        "batched": sync_state.batched_seq(db),
                        "restores": int(sync_state.get(db, "restores") or 0),
                    },
                ),
            ),
            parent["public_key"],
            "welcome",
        )
        if welcome.get("child") != local.node_id:
            raise BadAnswer("the parent's welcome is addressed to another node.")
        have, offered = welcome.get("have"), welcome.get("max_chunk")
        if not _whole(have) or not _whole(offered):
            raise BadAnswer("the parent's welcome is malformed.")
        outbox.learn_parent_state(local, have)
        outbox.recheck_unsent(local, have)
        max_chunk = max(1024, min(chunk_size, offered or DEFAULT_CHUNK))
        while True:
            pending = outbox.pending_outgoing(local)
            if pending is None:
                break
            raw, own, fwd = pending
            answer = _send(local, client, raw, max_chunk, progress, busy_retries)
            ack = messages.verify(answer, parent["public_key"], "ack")
            if ack.get("child") != local.node_id or ack.get("bundle") != sha256_hex(raw):
                raise BadAnswer("the parent's acknowledgement is for another bundle.")
            if not _ack_ok(ack):
                raise BadAnswer("the parent's acknowledgement is malformed.")
            outbox.apply_ack(local, ack, own, fwd)
            sync_state.clear_outgoing(db)
            totals["bundles"] += 1
            totals["new"] += ack["new"] if _whole(ack.get("new")) else 0
            totals["known"] += ack["known"] if _whole(ack.get("known")) else 0
    except SyncError as exc:
        sync_state.put(db, last_error=exc.message)
        raise
    finally:
        totals["bytes"] = client.bytes_out
        if client.bytes_out:
            sync_state.add_bytes_sent(db, client.bytes_out)
    sync_state.put(db, last_success=now_iso(), last_error=None)
    return totals


def _send(local, client, raw, max_chunk, progress, busy_retries) -> dict:
    bundle_hash = sha256_hex(raw)
    for attempt in range(busy_retries + 1):
        try:
            started = client.post_json(
                "/start", _signed(local, {"type": "start", "bundle": bundle_hash, "size": len(raw)})
            )
            break
        except Busy as exc:
            if attempt == busy_retries:
                raise
            time.sleep(max(0, min(exc.retry_after, 30, client.deadline - time.monotonic())))
    if started.get("done") is True:
        return started.get("answer")  # verified as the parent's signed ack by the caller
    upload, offset, offered = (
        started.get("upload"),
        started.get("received", 0),
        started.get("max_chunk", max_chunk),
    )
    if (
        not isinstance(upload, str)
        or not _UPLOAD_ID.match(upload)
        or not _whole(offset)
        or offset > len(raw)
        or not _whole(offered)
    ):
        raise BadAnswer("the parent's answer to the start of the upload is malformed.")
    max_chunk = max(1024, min(max_chunk, offered or max_chunk))
    if progress:
        progress(offset, len(raw))
    stalls = 0
    while offset < len(raw):
        piece = raw[offset : offset + max_chunk]
        got = client.post(f"/upload/{upload}?offset={offset}", piece, "application/octet-stream")
        new_offset = got.get("received")
        if not _whole(new_offset) or new_offset > len(raw):
            raise BadAnswer("the parent lost track of the upload; push again.")
        stalls = stalls + 1 if new_offset <= offset else 0
        if stalls > 3:
            raise BadAnswer("the parent does not accept more of the upload; push again later.")
        offset = new_offset
        if progress:
            progress(offset, len(raw))
    return client.post_json(f"/finish/{upload}", {})


def _whole(value) -> bool:
    """A whole number >= 0 (not a bool), as every count in a parent's answer is."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _ack_ok(ack: dict) -> bool:
    batches, have = ack.get("batches"), ack.get("have")
    return (
        isinstance(batches, list)
        and all(isinstance(h, str) for h in batches)
        and isinstance(have, dict)
        and all(isinstance(k, str) and _whole(v) for k, v in have.items())
    )
