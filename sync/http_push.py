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

import json
import logging
import time
import urllib.error
import urllib.request

from app.node.clock import now_iso
from app.store import sync_state

from . import messages, outbox
from .batch import sha256_hex
from .errors import BadAnswer, Busy, NoParent, ParentUnreachable, SyncError, by_code
from .local import Local

log = logging.getLogger(__name__)

DEFAULT_CHUNK = 64 * 1024
TIMEOUT = 60
USER_AGENT = "sauti-sync/2"


class Client:
    def __init__(self, base_url: str, timeout: float = TIMEOUT):
        self.base = base_url.rstrip("/") + "/api/v1/sync"
        self.timeout = timeout
        self.bytes_out = 0

    def post(self, path: str, body: bytes, content_type: str = "application/json") -> dict:
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method="POST",
            headers={"Content-Type": content_type, "User-Agent": USER_AGENT},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read()
        except urllib.error.HTTPError as exc:
            raise _refusal(exc) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ParentUnreachable(
                f"cannot reach the parent at {self.base.rsplit('/api/', 1)[0]} ({reason}); "
                "check the link and push again later; nothing was lost."
            ) from None
        self.bytes_out += len(body)
        try:
            return json.loads(data)
        except ValueError:
            raise BadAnswer("the parent's answer is not JSON; is the URL a Sauti node?") from None

    def post_json(self, path: str, payload: dict) -> dict:
        return self.post(path, json.dumps(payload, ensure_ascii=False).encode())


def _refusal(exc: urllib.error.HTTPError) -> SyncError:
    try:
        body = json.loads(exc.read() or b"{}")
    except ValueError:
        body = {}
    code = body.get("error", "") if isinstance(body, dict) else ""
    message = body.get("message") if isinstance(body, dict) else None
    cls = by_code(code)
    if exc.code in (429, 503):
        retry = exc.headers.get("Retry-After", "30")
        error = Busy(
            f"the parent is busy ({message or exc.code}); retry in {retry} s.",
            retry_after=int(retry) if str(retry).isdigit() else 30,
        )
        return error
    if exc.code == 404 and not code:
        return BadAnswer("the parent does not offer sync at this URL; check 'sauti parent set'.")
    error = cls(f"the parent refused: {message or exc.reason}")
    error.code = code or error.code
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
                _signed(local, {"type": "hello", "batched": sync_state.batched_seq(db)}),
            ),
            parent["public_key"],
            "welcome",
        )
        if welcome.get("child") != local.node_id:
            raise BadAnswer("the parent's welcome is addressed to another node.")
        outbox.learn_parent_state(local, welcome.get("have"))
        max_chunk = max(1024, min(chunk_size, int(welcome.get("max_chunk") or DEFAULT_CHUNK)))
        while True:
            pending = outbox.pending_outgoing(local)
            if pending is None:
                break
            raw, own, fwd = pending
            answer = _send(local, client, raw, max_chunk, progress, busy_retries)
            ack = messages.verify(answer, parent["public_key"], "ack")
            if ack.get("child") != local.node_id or ack.get("bundle") != sha256_hex(raw):
                raise BadAnswer("the parent's acknowledgement is for another bundle.")
            outbox.apply_ack(local, ack, own, fwd)
            sync_state.clear_outgoing(db)
            totals["bundles"] += 1
            totals["new"] += int(ack.get("new") or 0)
            totals["known"] += int(ack.get("known") or 0)
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
            time.sleep(min(exc.retry_after, 30))
    if started.get("done"):
        return started["answer"]
    upload, offset = started["upload"], int(started.get("received") or 0)
    max_chunk = min(max_chunk, int(started.get("max_chunk") or max_chunk))
    if progress:
        progress(offset, len(raw))
    stalls = 0
    while offset < len(raw):
        piece = raw[offset : offset + max_chunk]
        got = client.post(f"/upload/{upload}?offset={offset}", piece, "application/octet-stream")
        new_offset = int(got.get("received", -1))
        if new_offset < 0 or new_offset > len(raw):
            raise BadAnswer("the parent lost track of the upload; push again.")
        stalls = stalls + 1 if new_offset <= offset else 0
        if stalls > 3:
            raise BadAnswer("the parent does not accept more of the upload; push again later.")
        offset = new_offset
        if progress:
            progress(offset, len(raw))
    return client.post_json(f"/finish/{upload}", {})


