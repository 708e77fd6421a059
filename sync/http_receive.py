"""The parent's side of an HTTP push, without Flask (app/api/sync.py wraps it).

    hello   signed by the child   -> signed welcome: the highest seq the parent holds
                                     from the child, the largest chunk it accepts
    start   signed by the child   -> an upload id and how many bytes are already
            (bundle hash and size)   received (resume), or the stored signed answer
                                     when that bundle was already applied
    chunk   raw bytes at an offset   -> bytes received so far
    finish                         -> verify, apply in one transaction, signed ack

Uploads are accepted only after a signed start from an enrolled child, within a
per-child byte quota and a bound on concurrent uploads; partial uploads idle for
longer than STALE_SECONDS are deleted.
"""

import json
import os
import secrets
import time

from app.store import sync_inbox

from . import inbox, messages
from .errors import (
    Busy,
    CorruptBundle,
    IdentityConflict,
    Incomplete,
    TooLarge,
    UnknownSender,
    UnknownUpload,
)
from .local import Local


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


MAX_CHUNK = 64 * 1024  # the app refuses bodies over 64 KB; advertised to children
QUOTA_BYTES = _env_int("SAUTI_SYNC_QUOTA_BYTES", 64 * 1024 * 1024)  # per child, in flight
MAX_UPLOADS = _env_int("SAUTI_SYNC_MAX_UPLOADS", 4)  # concurrent uploads served
STALE_SECONDS = _env_int("SAUTI_SYNC_STALE_SECONDS", 6 * 3600)
DONE_KEEP_SECONDS = 14 * 24 * 3600  # answers kept for children that lost theirs


def _child_of(local: Local, envelope) -> tuple[dict, dict]:
    """(verified message, child row) of a message signed by an enrolled child."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("msg"), dict):
        raise CorruptBundle("the message is malformed.")
    msg = envelope["msg"]
    key, node_id = msg.get("key"), msg.get("node_id")
    if not isinstance(key, str) or not isinstance(node_id, str):
        raise CorruptBundle("the message lacks the sender's node id and key.")
    child, _first = inbox.Receiver(local).identify(node_id, key, msg.get("locality"))
    messages.verify(envelope, key, msg.get("type"), error=_bad_signature)
    return msg, child


def _bad_signature(message: str):
    from .errors import BadSignature

    return BadSignature(f"the sender's message could not be verified: {message}")


def hello(local: Local, envelope) -> dict:
    msg, child = _child_of(local, envelope)
    if msg.get("type") != "hello":
        raise CorruptBundle("expected a hello message.")
    have = sync_inbox.highest_seq(local.db, msg["node_id"])
    sealed, restores = msg.get("batched"), msg.get("restores", 0)
    # A child behind what we hold from it: restored from a backup with 'sauti restore'
    # (it says so: its count of restores went up), or a second box sharing its
    # identity (a cloned SD card), refused from its first push.
    if (
        isinstance(sealed, int)
        and have > sealed
        and not (
            isinstance(restores, int)
            and sync_inbox.note_restore(local.db, msg["node_id"], restores)
        )
    ):
        error = IdentityConflict(
            f"{child['name']} ({msg['node_id']}) came back behind the records already "
            f"received from it (up to seq {have}) without having been restored with "
            "'sauti restore': two boxes share one identity (a cloned SD card). Give the "
            "copy a fresh identity with 'sauti init' and enrol it; nothing was applied."
        )
        inbox.alert(local.db, error, child["name"])
        raise error
    return messages.sign(
        local.signing_key,
        {
            "type": "welcome",
            "parent": local.node_id,
            "child": msg["node_id"],
            "have": sync_inbox.highest_seq(local.db, msg["node_id"]),
            "max_chunk": MAX_CHUNK,
            "quota": QUOTA_BYTES,
        },
    )


def cleanup(local: Local, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return sync_inbox.cleanup_uploads(
        local.db, stale_before=now - STALE_SECONDS, done_before=now - DONE_KEEP_SECONDS
    )


def start(local: Local, envelope) -> dict:
    msg, child = _child_of(local, envelope)
    if msg.get("type") != "start":
        raise CorruptBundle("expected a start message.")
    bundle_hash, size = msg.get("bundle"), msg.get("size")
    if not isinstance(bundle_hash, str) or len(bundle_hash) != 64 or not isinstance(size, int):
        raise CorruptBundle("the start message lacks the bundle's hash and size.")
    cleanup(local)
    existing = sync_inbox.upload_for(local.db, child["public_key"], bundle_hash)
    if existing is not None and existing["state"] == "done":
        return {"done": True, "answer": json.loads(existing["answer"])}
    if size < 1 or size > QUOTA_BYTES:
        raise TooLarge(
            f"the bundle is {size} bytes; this parent accepts at most {QUOTA_BYTES} bytes "
            "per child at a time. Push more often, or export to a file."
        )
    if existing is None:
        # A child sends one bundle at a time: a new one replaces its unfinished ones,
        # so its open uploads (finished sending or not) never hold more than its quota
        # and one child holds at most one of the MAX_UPLOADS places.
        sync_inbox.drop_open_uploads(local.db, child["public_key"])
        active = sync_inbox.active_uploads(local.db, time.time() - STALE_SECONDS)
        others = {u["child_key"] for u in active if u["child_key"] != child["public_key"]}
        if len(others) >= MAX_UPLOADS:
            raise Busy("the parent is receiving other uploads; retry later.", retry_after=30)
    upload = sync_inbox.start_upload(
        local.db, secrets.token_urlsafe(18), child["public_key"], bundle_hash, size
    )
    return {
        "done": False,
        "upload": upload["id"],
        "received": upload["received"],
        "max_chunk": MAX_CHUNK,
    }


def chunk(local: Local, upload_id: str, offset: int, data: bytes) -> dict:
    upload = sync_inbox.upload(local.db, upload_id)
    if upload is None:
        raise UnknownUpload("no such upload (it may have been cleaned up); start again.")
    if len(data) > MAX_CHUNK:
        raise TooLarge(f"a chunk may hold at most {MAX_CHUNK} bytes.")
    got = sync_inbox.add_chunk(local.db, upload_id, offset, data)
    if got < 0:
        got = upload["size"]
    return {"received": got, "size": upload["size"]}


def finish(local: Local, upload_id: str) -> dict:
    upload = sync_inbox.upload(local.db, upload_id)
    if upload is None:
        raise UnknownUpload("no such upload (it may have been cleaned up); start again.")
    if upload["state"] == "done":
        return json.loads(upload["answer"])
    if upload["received"] != upload["size"]:
        raise Incomplete(
            f"the upload is incomplete ({upload['received']} of {upload['size']} bytes).",
            received=upload["received"],
        )
    raw = sync_inbox.upload_bytes(local.db, upload_id)
    from .batch import sha256_hex

    if sha256_hex(raw) != upload["bundle_hash"]:
        sync_inbox.drop_upload(local.db, upload_id)
        raise CorruptBundle("the uploaded bytes do not match the signed start; send it again.")
    receiver = inbox.Receiver(local)
    checked = receiver.check(raw)
    if checked.child["public_key"] != upload["child_key"]:
        raise UnknownSender("this upload was started by another node.")
    answer: dict = {}

    def done(result):
        answer.update(ack(local, checked.bundle.sender, upload["bundle_hash"], result))
        sync_inbox.finish_upload(local.db, upload_id, json.dumps(answer, ensure_ascii=False))

    receiver.apply(checked, finish=done)
    return answer


def ack(local: Local, child_id: str, bundle_hash: str, result: dict) -> dict:
    return messages.sign(
        local.signing_key,
        {
            "type": "ack",
            "parent": local.node_id,
            "child": child_id,
            "bundle": bundle_hash,
            "batches": result["batches"],
            "new": result["new"],
            "known": result["known"],
            "have": result["have"],
        },
    )
