"""What an attacker holding an enrolled node's key can sign: batches and bundles
with any records, built from the real sync code (no mocks)."""

import hashlib
import json
from pathlib import Path

from app.node import home
from app.store import node as node_store
from sync import bundle, codec
from sync.batch import Batch, b64, make_batch, sha256_hex


def identity(path: Path) -> dict:
    """{"key": signing key, "node_id", "locality", "level"} of a node home."""
    h = home.open_home(path)
    db = h.connect()
    try:
        row = node_store.get(db)
    finally:
        db.close()
    return {
        "key": h.signing_key(),
        "node_id": row["node_id"],
        "locality": row["locality"],
        "level": row["level"],
    }


def need(seq: int, locality: str, **fields) -> dict:
    rec = {
        "origin": "",
        "seq": seq,
        "key": str(seq),
        "text": None,
        "language": "sw",
        "category": "water",
        "goals": [6],
        "locality": locality,
        "gender": "female",
        "age_band": "25-34",
        "groups": [],
        "channel": "facilitator",
        "supporters": 1,
        "status": "new",
        "merged_into": None,
        "week": "2026-W10",
    }
    rec.update(fields)
    return rec


def batch(me: dict, records, *, first=1, last=None, prev="") -> Batch:
    last = last or max([r["seq"] for _, r in records] or [first])
    return make_batch(
        records,
        signing_key=me["key"],
        origin=me["node_id"],
        locality=me["locality"],
        first=first,
        last=last,
        prev=prev,
    )


def raw_batch(me: dict, skeleton: bytes, counts: dict, *, first=1, last=1) -> Batch:
    """A batch whose records part is SKELETON as given (validly signed)."""
    header = {
        "v": 2,
        "origin": me["node_id"],
        "key": b64(bytes(me["key"].verify_key)),
        "first": first,
        "last": last,
        "counts": counts,
        "prev": "",
        "locality": me["locality"],
        "texts": hashlib.sha256(b"").hexdigest(),
        "n_texts": 0,
        "body": sha256_hex(skeleton),
    }
    header_bytes = codec.canonical(header)
    sig = me["key"].sign(b"sauti-batch\x00" + header_bytes).signature
    return Batch(header, header_bytes, sig, skeleton, [])


def bundle_of(me: dict, batches, **kwargs) -> bytes:
    return bundle.make_bundle(
        batches,
        signing_key=me["key"],
        sender=me["node_id"],
        locality=me["locality"],
        level=me["level"],
        **kwargs,
    )


def column_bomb(me: dict, rows: int) -> bytes:
    """The hostile bundle of issue 10, item 2: every need column one distinct value
    and an index string of ROWS characters; compresses to about a kilobyte."""
    sample = need(1, me["locality"])
    cols = {}
    for name, value in sample.items():
        if name in ("origin", "text"):
            continue
        cols[name] = {"d": [value], "s": "#" * rows}
    skeleton = json.dumps({"need": {"cols": cols, "n": rows}}, separators=(",", ":")).encode()
    return bundle_of(me, [raw_batch(me, skeleton, {"need": 1})])
