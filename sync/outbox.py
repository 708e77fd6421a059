"""The sending side: seal new events into origin-signed batches, build the bundle
for the parent (own batches first, then batches received from children), and
act on the parent's signed acknowledgement.

Batches are immutable once signed: an unacknowledged batch is sent again byte
for byte, so the same (origin, seq) always has the same content hash and a
parent can tell a repeat (skip) from a clone (conflict).
"""

import json
import logging
import sqlite3

from app.node import settings
from app.store import events, sync_alerts, sync_inbox, sync_state
from app.store.db import write

from . import anonymize, bundle
from .batch import MAX_BATCH_RECORDS, Batch, make_batch, read_batch, sha256_hex
from .errors import CorruptBundle
from .local import Local
from .shareable import Checker

log = logging.getLogger(__name__)

MAX_BATCH_EVENTS = MAX_BATCH_RECORDS  # a batch never holds more records than a parent reads
MAX_BUNDLE_BYTES = 32 * 1024 * 1024  # uncompressed; below the receiver's cap


def seal_pending(local: Local, *, version: int = bundle.VERSION) -> list[Batch]:
    """Turn events not yet in a batch into signed batches; returns the new ones."""
    db = local.db
    made = []
    while True:
        start = sync_state.batched_seq(db)
        pending = events.since(db, start, limit=MAX_BATCH_EVENTS)
        if not pending:
            return made
        records, held = _shareable(local, anonymize.shared_records(db, pending))
        batch = make_batch(
            records,
            signing_key=local.signing_key,
            origin=local.node_id,
            locality=local.node["locality"],
            first=start + 1,
            last=pending[-1]["seq"],
            prev=sync_state.last_batch_hash(db),
            version=bundle.batch_format(version),
        )
        try:
            with write(db):
                if sync_state.batched_seq(db) != start:
                    continue  # another process sealed these events first
                sync_state.add_batch(
                    db,
                    first=batch.first,
                    last=batch.last,
                    batch_hash=batch.hash,
                    data=batch.to_bytes(),
                    records=len(records),
                )
                for kind, rec, reason in held:
                    sync_alerts.hold(db, rec["seq"], kind, str(rec.get("key")), reason)
        except sqlite3.IntegrityError:
            continue
        for kind, rec, reason in held:
            log.error("held back %s %s (seq %s): %s", kind, rec.get("key"), rec["seq"], reason)
            sync_alerts.add(
                db,
                "held_back",
                f"A {kind} (local number {rec.get('key')}) was not sent up because its parent "
                f"would refuse it: {reason}. Correct it (an edit sends it again); everything "
                "else keeps flowing.",
            )
        made.append(batch)


def _shareable(local: Local, records):
    """(records that pass the shared check, [(kind, rec, reason)] held back)."""
    checker = Checker(local.node["locality"])
    good, held = [], []
    for kind, rec in records:
        reason = checker.problem(kind, rec)
        if reason is None:
            good.append((kind, rec))
        else:
            held.append((kind, rec, reason))
    return good, held


def recheck_unsent(local: Local, have: int) -> int:
    """The way out for a node that sealed a record its parent refuses (sealed by an
    older Sauti, before this check existed): own batches the parent holds nothing
    of (all above HAVE, the parent's highest seq from this node) are checked again;
    from the first one that holds a failing record on, they are dropped and their
    events sealed again, so the failing record is held back and the rest flows.
    Returns how many batches were dropped."""
    db = local.db
    checker = Checker(local.node["locality"])
    for row in sync_state.unacked_batches(db):
        if row["first_seq"] <= have:
            continue
        try:
            records = _load(row["data"]).records()
        except CorruptBundle:  # the parent's own decoder refuses it
            records = None
        if records is not None and all(checker.problem(k, r) is None for k, r in records):
            continue
        dropped = sync_state.drop_unacked_from(db, row["first_seq"])
        log.warning(
            "%d unsent batch(es) from seq %d held a record the parent refuses; sealing again",
            dropped,
            row["first_seq"],
        )
        return dropped
    return 0


def _load(data: bytes) -> Batch:
    batch, _ = read_batch(memoryview(data), 0)
    return batch


def build(local: Local, *, max_bytes: int = MAX_BUNDLE_BYTES, version: int = bundle.VERSION):
    """(bundle bytes, own batch hashes, forwarded batch hashes) of everything not yet
    acknowledged (up to MAX_BYTES), or None when nothing is pending."""
    db = local.db
    seal_pending(local, version=version)
    own = _within_records(sync_state.unacked_batches(db, limit_bytes=max_bytes), 0)
    used = sum(len(r["data"]) for r in own)
    fwd = (
        sync_inbox.unforwarded(db, limit_bytes=max(max_bytes - used, 1)) if used < max_bytes else []
    )
    fwd = _within_records(fwd, sum(r["records"] for r in own), keep_one=not own)
    if not own and not fwd:
        return None
    batches = [_load(r["data"]) for r in own]
    withhold = settings.get(db, "share_text") == "never"
    for r in fwd:
        b = _load(r["data"])
        batches.append(b.without_texts() if withhold else b)
    raw = bundle.make_bundle(
        batches,
        signing_key=local.signing_key,
        sender=local.node_id,
        locality=local.node["locality"],
        level=local.node["level"],
        version=version,
    )
    return raw, [r["hash"] for r in own], [r["hash"] for r in fwd]


def _within_records(rows: list[dict], used: int, keep_one: bool = True) -> list[dict]:
    """The leading ROWS whose records fit, with USED, in what a parent reads of one
    bundle (bundle.MAX_RECORDS); a batch alone always fits (it holds at most
    MAX_BATCH_RECORDS)."""
    out = []
    for row in rows:
        if used + row["records"] > bundle.MAX_RECORDS and (out or not keep_one):
            break
        out.append(row)
        used += row["records"]
    return out


def pending_outgoing(local: Local):
    """The bundle an interrupted push was sending (same bytes, so it resumes),
    else a new one; None when nothing is pending."""
    row = sync_state.outgoing(local.db)
    if row is not None:
        return row["data"], json.loads(row["own_hashes"]), json.loads(row["forwarded_ids"])
    built = build(local)
    if built is None:
        return None
    raw, own, fwd = built
    sync_state.set_outgoing(local.db, sha256_hex(raw), raw, own, fwd)
    return raw, own, fwd


def learn_parent_state(local: Local, have: int) -> int:
    """The parent already holds this node's records up to seq HAVE. When that is
    beyond what this node ever sealed (it was restored from a backup), continue
    after HAVE: events that would reuse those numbers are logged again with new
    ones. Returns how many events were renumbered."""
    db = local.db
    if not isinstance(have, int) or have <= sync_state.batched_seq(db):
        return 0
    dropped = sync_state.skip_to(db, have)
    sync_state.add_key_epoch(db)
    seen = set()
    with write(db):
        for kind, record, payload in dropped:
            if (kind, record, payload) in seen:
                continue
            seen.add((kind, record, payload))
            events.append(db, kind, record, payload)
    log.warning(
        "the parent already holds this node's records up to seq %d (restored from a backup?); "
        "continuing after it, %d change(s) logged again",
        have,
        len(seen),
    )
    return len(seen)


def apply_ack(local: Local, msg: dict, own: list[str] | None = None, fwd: list[str] | None = None):
    """Act on a parent-signed acknowledgement (already verified): advance acked_seq
    over own batches it lists, mark forwarded batches delivered."""
    db = local.db
    listed = set(msg.get("batches") or [])
    own_hashes = [h for h in (own if own is not None else listed) if h in listed]
    fwd_hashes = [h for h in (fwd if fwd is not None else listed) if h in listed]
    acked = sync_state.ack_batches(db, own_hashes)
    sync_inbox.mark_forwarded(db, fwd_hashes)
    have = (msg.get("have") or {}).get(local.node_id)
    if isinstance(have, int):
        learn_parent_state(local, have)
    return acked
