"""Texts that must leave the stored batches: a retracted record's, and a corrected
record's older texts (CONTRACT "Needs", DELETE; "A council edit of a shared text
works the same way for the old text").

Batches are signed by their origin and forwarded unchanged, so their bytes cannot
be edited; but the batch format lets any holder withhold a text and keep its
digest (sync.batch, `Batch.withholding`): the batch still verifies as the origin's,
and every record keeps its content hash. So

* a parent, when a bundle brings a retraction or a newer version of a record,
  rewrites every stored batch (`received_batches.data`) that holds an older
  version: the texts that the record's newest state no longer carries are
  withheld (all of them after a retraction). What it forwards afterwards is these
  rewritten bytes, so forwarding never brings a text back; a batch arriving late
  with an older version is rewritten as it is stored.
* the origin, when a need is erased, withholds its texts in its own batches that
  the parent has not acknowledged yet (`erase_need`).

Batches of the old format 1 carry texts inside their signed records and cannot
withhold one: such a batch that holds a text to withhold loses its bytes (it is
not forwarded any more; its records were applied here already).

After rewriting, the caller checkpoints the WAL (app.store.db.checkpoint); with
secure_delete on, the old bytes are then in no file of the node's home.
"""

import hashlib
import logging

from app.store import needs as needs_store
from app.store import sync_withhold as store
from app.store.db import checkpoint, write

from .anonymize import Anonymizer
from .batch import Batch, read_batch
from .codec import split_texts

log = logging.getLogger(__name__)


class _Marker(str):
    """A text already withheld: only its digest is known."""


def _digest(text: str) -> str:
    if isinstance(text, _Marker):
        return str(text)
    return hashlib.sha256(text.encode()).hexdigest()


def _load(data: bytes) -> Batch:
    return read_batch(memoryview(data), 0)[0]


def _texts(kind: str, rec: dict) -> set[str]:
    """Digests of the texts RECORD still carries (not those already withheld)."""
    return {_digest(t) for t in split_texts(kind, rec)[1] if not isinstance(t, _Marker)}


def _records(batch: Batch) -> list[tuple[str, dict]]:
    return batch.records(withheld_as=_Marker)


def _version_texts(batch: Batch, kind: str, key: str, seq: int | None = None) -> set[str]:
    return {
        d
        for k, rec in _records(batch)
        if k == kind and rec["key"] == key and (seq is None or rec["seq"] == seq)
        for d in _texts(k, rec)
    }


# ------------------------------------------------------------------ a parent


class _Stored:
    """Stored batches of one apply, each read and decoded at most once, with an
    index {(kind, key, seq): digests of the texts that record still carries}."""

    def __init__(self, db):
        self.db = db
        self.by_id: dict[int, tuple[dict, Batch | None, dict]] = {}

    def at(self, origin: str, seq: int):
        row = store.received_batch_at(self.db, origin, seq)
        if row is None:
            return None, None, {}
        if row["id"] not in self.by_id:
            batch = _load(row["data"]) if row["data"] else None
            index: dict[tuple, set[str]] = {}
            for kind, rec in _records(batch) if batch is not None else []:
                index[(kind, rec["key"], rec["seq"])] = _texts(kind, rec)
            self.by_id[row["id"]] = (row, batch, index)
        return self.by_id[row["id"]]


def after_receive(db, records: dict[str, list[tuple[str, dict]]]) -> set[str]:
    """Inside the apply transaction, after the shared tables were updated: withhold
    in the stored batches every text of a record that a retraction or a newer
    version replaced. RECORDS: {origin: [(kind, record)]} new in this bundle.
    Returns the hashes of the rewritten batches."""
    stored = _Stored(db)
    drops: dict[int, set[str]] = {}  # batch id -> digests to withhold
    touched: dict[str, set[tuple[str, str]]] = {}  # kind -> {(origin, key)}
    for origin, recs in records.items():
        for kind, rec in recs:
            if kind == "retraction":
                touched.setdefault(rec["kind"], set()).add((origin, rec["key"]))
            elif kind in ("need", "meeting", "priority", "action"):
                touched.setdefault(kind, set()).add((origin, rec["key"]))
    for kind, pairs in touched.items():
        pairs = sorted(pairs)
        seqs = store.versions(db, kind, pairs)
        stones = store.tombstones(db, kind, pairs)
        for origin, key in pairs:
            versions = sorted(seqs.get((origin, key), []))
            _plan_key(stored, drops, origin, kind, key, versions, stones.get((origin, key), 0))
    rewritten: set[str] = set()
    for batch_id, drop in drops.items():
        row, batch, index = stored.by_id[batch_id]
        if batch is None or not drop:
            continue
        if batch.header["v"] < 2:
            log.warning("dropped an old-format batch of %s holding a retracted text", batch.origin)
            store.put_received(db, row["id"], b"", forwarded=True)
            rewritten.add(row["hash"])
            continue
        changed = batch.withholding(drop)
        if changed is not batch:
            store.put_received(db, row["id"], changed.to_bytes())
            rewritten.add(row["hash"])
    if rewritten:
        store.drop_outgoing_with(db, rewritten)
    return rewritten


def _plan_key(stored: _Stored, drops: dict, origin: str, kind: str, key: str, seqs: list,
              tombstone: int):  # fmt: skip
    """Note, per stored batch, the texts of KEY's replaced versions (all of them
    after a retraction: TOMBSTONE, its seq or 0) that its newest version no longer carries."""
    if not seqs:
        return
    retracted = tombstone >= seqs[-1]
    if not retracted and len(seqs) == 1:
        return  # one version, still current: nothing to withhold
    keep: set[str] = set()
    if not retracted:
        keep = stored.at(origin, seqs[-1])[2].get((kind, key, seqs[-1]), set())
    old = seqs if retracted else seqs[:-1]
    found = []
    for seq in old:
        row, _batch, index = stored.at(origin, seq)
        digests = index.get((kind, key, seq), set()) - keep
        if row is not None and digests:
            found.append((row["id"], digests))
    every = set().union(*(d for _i, d in found)) if found else set()
    if not every:
        return
    # the same text may sit in any batch of this origin that holds a version
    for batch_id, _digests in found:
        drops.setdefault(batch_id, set()).update(every)


# ------------------------------------------------------------------ the origin


def erase_need(db, need_id: int, *, reason: str, user_id=None, role=None) -> dict | None:
    """Remove a need (app.store.needs.remove: text, respondent and their history
    erased, a retraction logged), withhold its texts in this node's batches not yet
    acknowledged, and checkpoint the WAL so no old page stays in it."""
    need = needs_store.remove(db, need_id, reason=reason, user_id=user_id, role=role)
    if need is None:
        return None
    key = Anonymizer(db).key("need", need_id)
    with write(db):
        rewritten = set()
        for row in store.unacked_own(db):
            batch = _load(row["data"])
            drop = _version_texts(batch, "need", key) if batch.header["v"] >= 2 else set()
            if drop:
                store.put_own(db, row["id"], batch.withholding(drop).to_bytes())
                rewritten.add(row["hash"])
        if rewritten:
            store.drop_outgoing_with(db, rewritten)
    checkpoint(db)
    return need
