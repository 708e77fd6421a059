"""The receiving side: verify a bundle completely, then apply it in one transaction.

Verification, before anything is written:
1. the sender is an enrolled child (by public key), its node id and locality match
   what this node saw before (else: unknown sender / key changed / identity conflict);
2. the sender's signature over the bundle header, the body hash, the size cap;
3. every batch's origin signature, against the sender's key or a key vouched for by
   a signed enrolment record of a node already trusted (a region vouches for its
   communities, so a nation can verify a community's batch forwarded by the region);
4. every record against the shared allow-list schemas.

Applying (all or nothing): a batch already stored (same hash) is skipped; per
(origin, seq) the content hash is stored under a PRIMARY KEY: the same hash again
is "known", a different hash is an identity conflict (a cloned or wrongly restored
node) and the whole bundle is refused. New records update the shared tables
(highest seq wins; retractions leave tombstones); the texts that a retraction or a
newer version replaced are withheld in the stored batches (sync.withhold).
"""

import hashlib
import logging
from dataclasses import dataclass, field

from app.node import faults
from app.store import events, sync_alerts, sync_inbox, sync_shared, sync_state
from app.store.db import checkpoint, write
from schema.fields import under

from . import bundle, codec, withhold
from .errors import CorruptBundle, IdentityConflict, KeyChanged, SyncError, UnknownSender
from .local import Local
from .shareable import Checker

LEVELS = ("community", "district", "region", "nation")  # bottom to top

log = logging.getLogger(__name__)


class Withheld(str):
    """A text a relay withheld: only its digest travelled. Counts as present for
    the record's content hash, is stored as null."""


def record_hash(kind: str, rec: dict) -> bytes:
    skel, texts = codec.split_texts(kind, rec)
    skel.pop("origin", None)
    digests = b"".join(
        bytes.fromhex(t) if isinstance(t, Withheld) else hashlib.sha256(t.encode()).digest()
        for t in texts
    )
    return hashlib.sha256(codec.canonical(skel) + digests).digest()[:16]


def _strip_withheld(kind: str, rec: dict) -> None:
    for name in codec.TEXT_FIELDS.get(kind, ()):
        if name == "progress":
            for item in rec.get("progress") or []:
                if isinstance(item.get("note"), Withheld):
                    item["note"] = None
        elif isinstance(rec.get(name), Withheld):
            rec[name] = None


@dataclass
class Checked:
    """A verified bundle, ready to apply."""

    bundle: bundle.Bundle
    child: dict
    bind: bool  # first contact: bind the child's node id
    batches: list = field(default_factory=list)  # [(Batch, [(kind, rec, hash)])]
    vouched: list = field(default_factory=list)  # [(node_id, key, locality, level, by)]


class Receiver:
    def __init__(self, local: Local):
        self.local = local
        self.db = local.db

    # ----------------------------------------------------------- identify

    def identify(self, sender: str, key: str, locality: str | None) -> tuple[dict, bool]:
        """(enrolled child row, first contact?) for a sender, or a clear error; an
        identity problem of an enrolled child is also an alert."""
        try:
            return self._identify(sender, key, locality)
        except (IdentityConflict, KeyChanged) as exc:
            child = sync_state.child_by_key(self.db, key) or sync_inbox.child_by_node_id(
                self.db, sender
            )
            alert(self.db, exc, child["name"] if child else None)
            raise

    def _identify(self, sender: str, key: str, locality: str | None) -> tuple[dict, bool]:
        db = self.db
        bound = sync_inbox.child_by_node_id(db, sender)
        if bound is not None and bound["public_key"] != key:
            raise KeyChanged(
                f"node {sender} ({bound['name']}) now signs with a different key than the one "
                "enrolled; if it was reinstalled, enrol its new key with 'sauti child add'."
            )
        child = sync_state.child_by_key(db, key)
        if child is None:
            known = sync_inbox.node(db, sender)
            if known is not None and known["public_key"] != key:
                raise KeyChanged(
                    f"node {sender} signs with a different key than the one this node knows."
                )
            raise UnknownSender(
                "the sender is not enrolled here; enrol it first with "
                "'sauti child add NAME --key ITS_PUBLIC_KEY'."
            )
        if child["node_id"] and child["node_id"] != sender:
            raise IdentityConflict(
                f"the key enrolled for {child['name']} now claims to be node {sender}, "
                f"not {child['node_id']}: a cloned or reinstalled node. Give the clone a "
                "fresh identity with 'sauti init' and enrol it."
            )
        node = sync_inbox.node(db, sender)
        if node is not None and node["public_key"] != key:
            raise IdentityConflict(
                f"node {sender}, enrolled here as {child['name']}, was claimed earlier with "
                f"another key by node {node['vouched_by']}: a forged enrolment. Nothing from "
                f"{child['name']} is applied until an admin looks into it."
            )
        if node is not None and locality and node["locality"] != locality:
            raise IdentityConflict(
                f"node {sender} ({child['name']}) now reports locality {locality}, not "
                f"{node['locality']}: the same identity is used in two places (a cloned box)."
            )
        if (
            child["node_id"] is None
            and locality
            and not under(locality, self.local.node["locality"])
        ):
            raise UnknownSender(
                f"the sender's locality {locality} is not under this node's locality "
                f"{self.local.node['locality']}; enrol it at the right parent."
            )
        return child, child["node_id"] is None

    # ------------------------------------------------------------- verify

    def check(self, raw: bytes, *, max_body: int = bundle.MAX_BODY) -> Checked:
        header, _hb, _sig, _off = bundle.peek_header(raw)
        child, bind = self.identify(header["sender"], header["key"], header.get("locality"))
        try:
            return self._check(raw, header, child, bind, max_body)
        except SyncError as exc:
            alert(self.db, exc, child["name"])
            raise

    def _check(self, raw, header, child, bind, max_body) -> Checked:
        opened = bundle.open_bundle(raw, child["public_key"], max_body=max_body)
        checked = Checked(opened, child, bind)
        sender = header["sender"]
        sender_locality = header.get("locality") or (
            (sync_inbox.node(self.db, sender) or {}).get("locality") or self.local.node["locality"]
        )
        sender_level = (sync_inbox.node(self.db, sender) or {}).get("level") or header.get("level")
        keys: dict[str, tuple] = {sender: (child["public_key"], sender_locality, sender_level)}
        todo = list(opened.batches)
        # every origin's known key in one query (a round trip per batch is what a
        # database server makes costly)
        origins = sorted({b.origin for b in todo} - set(keys) - {self.local.node_id})
        for origin, row in sync_inbox.nodes_by_id(self.db, origins).items():
            keys[origin] = (row["public_key"], row["locality"], row["level"], row["vouched_by"])
        while todo:
            waiting = []
            for batch in todo:
                known = self._key_for(batch.origin, keys)
                if known is None:
                    waiting.append(batch)
                    continue
                checked.batches.append((batch, self._verify_batch(batch, known, keys, checked)))
            if len(waiting) == len(todo):
                raise UnknownSender(
                    f"a batch comes from node {waiting[0].origin}, which no enrolled node has "
                    "vouched for; nothing was applied."
                )
            todo = waiting
        return checked

    def _key_for(self, origin: str, keys: dict) -> tuple[str, str] | None:
        if origin in keys:
            return keys[origin]
        if origin == self.local.node_id:
            return (self.local.public_key, self.local.node["locality"], self.local.node["level"])
        row = sync_inbox.node(self.db, origin)
        if row is None:
            return None
        keys[origin] = (row["public_key"], row["locality"], row["level"], row["vouched_by"])
        return keys[origin]

    def _verify_batch(self, batch, known, keys, checked) -> list:
        key, locality, level = known[:3]
        if batch.header["key"] != key:
            raise KeyChanged(f"node {batch.origin} signs with a different key than it used to.")
        batch.verify(key)
        if batch.header["v"] >= 2 and batch.header["locality"] != locality:
            raise IdentityConflict(
                f"node {batch.origin} reports locality {batch.header['locality']}, not "
                f"{locality}: the same identity is used in two places (a cloned box)."
            )
        records = batch.records(withheld_as=Withheld)
        Checker(locality).check_tree(records)
        out = []
        for kind, rec in records:
            if rec["seq"] < batch.first or rec["seq"] > batch.last:
                raise CorruptBundle("a record's seq lies outside its batch; nothing was applied.")
            if kind == "enrolment":
                self._vouch(rec, batch.origin, locality, level, keys, checked)
            h = record_hash(kind, rec)
            _strip_withheld(kind, rec)
            out.append((kind, rec, h))
        return out

    def _vouch(self, rec, by, by_locality, by_level, keys, checked) -> None:
        """A node BY vouches for a node of its own subtree: one level below it or more,
        in a locality under its own. A node id or key enrolled at this node, this
        node's own id, or a node another voucher already vouched for is not BY's to
        claim."""
        node_id, key = rec["key"], rec["public_key"]

        def refuse(why: str):
            raise IdentityConflict(
                f"node {by} vouches for node {node_id} ({rec['locality']}), {why}; "
                "nothing was applied."
            )

        if not under(rec["locality"], by_locality):
            refuse(f"which is not under its own locality {by_locality}")
        if by_level not in LEVELS or LEVELS.index(rec["level"]) >= LEVELS.index(by_level):
            refuse(f"a {rec['level']} that cannot be below a {by_level or 'node of unknown level'}")
        if node_id == self.local.node_id:
            refuse("which is this node's own id")
        enrolled = sync_inbox.child_by_node_id(self.db, node_id) or sync_state.child_by_key(
            self.db, key
        )
        if enrolled is not None:
            refuse(f"which is enrolled at this node as {enrolled['name']}")
        existing = self._key_for(node_id, keys)
        if existing is not None:
            if existing[0] != key:
                raise KeyChanged(
                    f"node {by} vouches for node {node_id} with a different key than this node "
                    "knows; nothing was applied."
                )
            if len(existing) > 3 and existing[3] not in (by, self.local.node_id):
                refuse(f"already vouched for by node {existing[3]}")
            return
        keys[node_id] = (key, rec["locality"], rec["level"], by)
        checked.vouched.append((node_id, key, rec["locality"], rec["level"], by))

    # -------------------------------------------------------------- apply

    def apply(self, checked: Checked, *, finish=None) -> dict:
        """Apply a verified bundle in one transaction; FINISH(result) runs inside it.
        Returns {"new", "known", "batches", "have"}."""
        db = self.db
        sender = checked.bundle.sender
        new = known = 0
        by_kind: dict[str, list] = {}
        fresh: dict[str, list] = {}  # origin -> new (kind, record)
        withheld: set[str] = set()
        every_record: list[tuple] = []
        try:
            with write(db):
                if checked.bind:
                    sync_inbox.bind_child(db, checked.child["id"], sender)
                if sync_inbox.node(db, sender) is None:
                    sync_inbox.add_node(
                        db,
                        sender,
                        checked.child["public_key"],
                        checked.bundle.header.get("locality") or self.local.node["locality"],
                        checked.bundle.header.get("level"),
                        self.local.node_id,
                        direct=True,
                    )
                    events.append(db, "enrolment", sender)
                for node_id, key, locality, level, by in checked.vouched:
                    if sync_inbox.node(db, node_id) is None:
                        sync_inbox.add_node(db, node_id, key, locality, level, by, direct=False)
                todo, known = self._new_batches(checked.batches)
                stored = sync_inbox.record_hashes(
                    db, [(b.origin, b.first, b.last) for b, _ in todo]
                )
                for batch, records in todo:
                    for kind, rec, h in records:
                        old = stored.get((batch.origin, rec["seq"]))
                        if old is None:
                            every_record.append((batch.origin, rec["seq"], kind, rec["key"], h))
                            by_kind.setdefault(kind, []).append(rec)
                            fresh.setdefault(batch.origin, []).append((kind, rec))
                            new += 1
                        elif old == h:
                            known += 1
                        else:
                            raise IdentityConflict(
                                f"node {batch.origin} sent different content for sequence "
                                f"number {rec['seq']} than before: a cloned or wrongly restored "
                                "node. The whole bundle was refused."
                            )
                sync_inbox.insert_batches(
                    db,
                    [
                        (b.origin, b.first, b.last, b.hash, b.to_bytes(), len(recs), sender)
                        for b, recs in todo
                    ],
                )
                # one insert of every new record's hash (one COPY on PostgreSQL); a record
                # twice in this bundle fails the primary key and the whole bundle
                sync_inbox.insert_records(db, every_record)
                for kind in ("need", "meeting", "priority", "action"):
                    sync_shared.upsert(db, kind, by_kind.get(kind, []))
                sync_shared.retract(db, by_kind.get("retraction", []))
                withheld = withhold.after_receive(db, fresh)
                sync_inbox.touch_child(db, checked.child["id"], new)
                result = {
                    "new": new,
                    "known": known,
                    "batches": [b.hash for b, _ in checked.batches],
                    "have": {sender: sync_inbox.highest_seq(db, sender)},
                }
                if finish is not None:
                    finish(result)
                faults.point("inbox.apply")
        except SyncError as exc:
            alert(db, exc, checked.child["name"])
            raise
        if withheld:  # retracted or replaced texts: out of the WAL file too
            checkpoint(db)
        return result

    def _new_batches(self, batches: list) -> tuple[list, int]:
        """(the batches of BATCHES not stored yet, records in the others), each
        batch once; refuses the bundle when a new batch overlaps another batch of
        its origin, stored or in this bundle (a query per bundle, not per batch)."""
        known, todo, seen = 0, [], set()
        stored = sync_inbox.known_batches(self.db, [b.hash for b, _ in batches])
        for batch, records in batches:
            if batch.origin == self.local.node_id or batch.hash in stored or batch.hash in seen:
                known += len(records)
                continue
            seen.add(batch.hash)
            todo.append((batch, records))
        ranges = sorted((b.origin, b.first, b.last, b.hash) for b, _ in todo)
        clash = sync_inbox.first_overlap(self.db, ranges)
        if clash is None:  # two different batches of this bundle overlap
            clash = next(
                (
                    {"origin": b[0], "first_seq": b[1], "last_seq": b[2]}
                    for a, b in zip(ranges, ranges[1:])
                    if a[0] == b[0] and b[1] <= a[2]
                ),
                None,
            )
        if clash is not None:
            raise IdentityConflict(
                f"node {clash['origin']} sent different content for sequence numbers "
                f"{clash['first_seq']}-{clash['last_seq']} than before: a cloned or wrongly "
                "restored node. The whole bundle was refused."
            )
        return todo, known


def alert(db, error, child: str | None = None) -> None:
    """Record a problem an admin must see until cleared (sync page, `sauti node show`
    `alerts`): ERROR is a SyncError or a sentence; CHILD the name of the child."""
    kind = getattr(error, "code", "sync_error")
    message = getattr(error, "message", str(error))
    if child:
        message = f"refused what {child} sent: {message}"
    log.error("sync alert: %s", message)
    try:
        sync_alerts.add(db, kind, message, child)
    except Exception:  # pragma: no cover - never hide the original error
        log.exception("could not record the sync alert")


def receive(local: Local, raw: bytes, *, finish=None) -> dict:
    receiver = Receiver(local)
    return receiver.apply(receiver.check(raw), finish=finish)
