"""File transport and receipts: what `sauti sync export|import|import-receipt` do."""

from pathlib import Path

from app.node.clock import now_iso
from app.store import sync_state

from . import file_seal, http_receive, inbox, messages, outbox
from .batch import sha256_hex
from .bundle import peek_header
from .errors import BadAnswer, CorruptBundle, NoParent, SyncError
from .local import Local


def export(local: Local, path: Path, *, to_key: str | None = None, progress=None) -> dict:
    """Seal everything not yet acknowledged into PATH (for the parent, or TO_KEY).
    Returns {"records", "batches", "bytes"}; bytes is 0 and no file is written when
    nothing is pending."""
    db = local.db
    parent = sync_state.parent(db)
    key = to_key or (parent or {}).get("public_key")
    if not key:
        raise NoParent(
            "this node has no parent to seal the file for; run 'sauti parent set URL --key KEY' "
            "or pass --to PUBLIC_KEY."
        )
    if progress:
        progress("preparing records")
    built = outbox.build(local)
    if built is None:
        return {"records": 0, "batches": 0, "bytes": 0}
    raw, own, fwd = built
    if progress:
        progress("sealing")
    sealed = file_seal.seal(raw, key)
    file_seal.write_atomic(Path(path), sealed)
    rows = sync_state.unacked_batches(db)
    records = sum(r["records"] for r in rows if r["hash"] in set(own))
    from app.store import sync_inbox
    records += sum(r["records"] for r in sync_inbox.unforwarded(db) if r["hash"] in set(fwd))
    return {"records": records, "batches": len(own) + len(fwd), "bytes": len(sealed)}


def import_file(local: Local, path: Path, *, receipt: Path | None = None, progress=None) -> dict:
    """Verify and apply a sealed bundle file; write the signed receipt next to it
    (or to RECEIPT). Returns {"new", "known", "sender", "receipt"}."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CorruptBundle(f"cannot read {path} ({exc.strerror}).") from None
    if progress:
        progress("opening")
    raw = file_seal.unseal(data, local.signing_key)
    header = peek_header(raw)[0]
    if progress:
        progress("verifying and applying")
    try:
        result = inbox.receive(local, raw)
    except SyncError as exc:
        sync_state.put(local.db, last_error=f"import of {Path(path).name} refused: {exc.message}")
        raise
    envelope = http_receive.ack(local, header["sender"], sha256_hex(raw), result)
    receipt = Path(receipt) if receipt else Path(str(path) + ".receipt")
    try:
        file_seal.write_receipt(receipt, envelope)
    except OSError:
        receipt = None
    return {
        "new": result["new"],
        "known": result["known"],
        "sender": header["sender"],
        "receipt": receipt,
    }


def import_receipt(local: Local, path: Path) -> int:
    """Advance what this node considers delivered from the parent's signed receipt;
    returns the acknowledged seq."""
    parent = sync_state.parent(local.db)
    if parent is None:
        raise NoParent("this node has no parent; set it with 'sauti parent set URL --key KEY'.")
    envelope = file_seal.read_receipt(path)
    try:
        msg = messages.verify(envelope, parent["public_key"], "ack")
    except BadAnswer:
        raise BadAnswer(
            "this receipt is not signed by this node's parent; nothing was changed."
        ) from None
    if msg.get("child") != local.node_id:
        raise BadAnswer("this receipt is for another node; nothing was changed.")
    acked = outbox.apply_ack(local, msg)
    sync_state.clear_outgoing(local.db) if _outgoing_done(local) else None
    sync_state.put(local.db, last_success=now_iso(), last_error=None)
    return acked


def _outgoing_done(local: Local) -> bool:
    import json

    row = sync_state.outgoing(local.db)
    if row is None:
        return False
    own = set(json.loads(row["own_hashes"]))
    open_hashes = {r["hash"] for r in sync_state.unacked_batches(local.db)}
    return not (own & open_hashes)


