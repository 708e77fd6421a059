"""Batches: the signed unit an ORIGIN node makes of its records.

A batch is signed by its origin (the node that made the records) and never changes
afterwards; relays forward it as it is, inside their own bundles (sync.bundle), so
every record stays verifiable as its origin's all the way up.

Four length-prefixed parts (4-byte big-endian length): batch header JSON, origin
signature (64 bytes), records (skeleton, sync.codec), texts.

    batch header (v2) = {"v": 2, "origin", "key", "locality", "first", "last",
                         "counts": {kind: n}, "body": sha256 hex of the skeleton,
                         "texts": sha256 hex over the concatenated sha256 of every text,
                         "n_texts", "prev": previous batch hash or ""}
    texts part = JSON list of texts, or {"withheld": [sha256 hex, ...]} when a relay
                 whose share_text is "never" withheld them (the signature still verifies),
                 or {"withheld": [sha256 hex of every text], "texts": [text or null, ...]}
                 when only some texts were withheld (a retracted or corrected record's:
                 see sync.withhold). A reader that knows only the second form reads the
                 third as "all withheld", which is safe and still verifies.

Batch format 1 (older, still read): header without "locality", "texts" and "n_texts";
the records part holds rows with their texts inline (sync.codec.encode_rows_v1) and
the texts part is empty.

The origin signs b"sauti-batch\\0" + batch header JSON; the batch hash is
sha256(batch header JSON + signature). No wall-clock time is in any header.
"""

import base64
import hashlib
import itertools
import json
import struct
from dataclasses import dataclass, field

import nacl.exceptions
import nacl.signing

from . import codec
from .errors import BadSignature, CorruptBundle, UnsupportedVersion

BATCH_VERSION = 2  # batch format written
MAX_BATCH_RECORDS = 50_000  # records in one batch (a node seals at most this many events)
BATCH_SUPPORTED = (1, 2)  # batch formats read
_BATCH_CONTEXT = b"sauti-batch\x00"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def verify_key(public_key_b64: str) -> nacl.signing.VerifyKey:
    return nacl.signing.VerifyKey(base64.b64decode(public_key_b64))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def texts_digest(digests: list[bytes]) -> str:
    return hashlib.sha256(b"".join(digests)).hexdigest()


def _digests(texts: list[str]) -> list[bytes]:
    return [hashlib.sha256(t.encode()).digest() for t in texts]


# -------------------------------------------------------------------- batches


@dataclass
class Batch:
    header: dict
    header_bytes: bytes
    sig: bytes
    records_bytes: bytes  # v2 skeleton, or v1 rows
    texts: list[str | None] | None  # None when all withheld; None items when some are
    withheld: list[str] | None = None  # hex digests (of every text) when any is withheld
    hash: str = field(init=False)

    def __post_init__(self):
        self.hash = sha256_hex(self.header_bytes + self.sig)

    @property
    def origin(self) -> str:
        return self.header["origin"]

    @property
    def first(self) -> int:
        return self.header["first"]

    @property
    def last(self) -> int:
        return self.header["last"]

    def verify(self, public_key_b64: str) -> None:
        """Check the origin's signature and that records and texts match the header."""
        try:
            verify_key(public_key_b64).verify(_BATCH_CONTEXT + self.header_bytes, self.sig)
        except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
            raise BadSignature(
                f"a batch from node {self.origin} is not signed by its key; "
                "it was altered or forged and nothing was applied."
            ) from None
        if sha256_hex(self.records_bytes) != self.header["body"]:
            raise CorruptBundle("a batch's records do not match its signed hash; file damaged.")
        if self.header["v"] >= 2:
            if self.texts is not None and self.withheld is not None:
                if len(self.texts) != len(self.withheld):
                    raise CorruptBundle("a batch has the wrong number of texts; file damaged.")
                for text, digest in zip(self.texts, self.withheld):
                    if text is not None and sha256_hex(text.encode()) != digest:
                        raise CorruptBundle("a batch's texts do not match their digests.")
            if self.texts is not None and self.withheld is None:
                if len(self.texts) != self.header["n_texts"]:
                    raise CorruptBundle("a batch has the wrong number of texts; file damaged.")
                digests = _digests(self.texts)
            else:
                try:
                    digests = [bytes.fromhex(h) for h in self.withheld or []]
                except ValueError:
                    raise CorruptBundle("a batch's withheld text digests are malformed.") from None
                if len(digests) != self.header["n_texts"]:
                    raise CorruptBundle("a batch has the wrong number of text digests.")
            if texts_digest(digests) != self.header["texts"]:
                raise CorruptBundle("a batch's texts do not match their signed hash.")

    def records(self, withheld_as=None) -> list[tuple[str, dict]]:
        """Decoded, validated records. Withheld texts are None, or WITHHELD_AS(hex
        digest) when given (a receiver uses that for content hashes)."""
        counts = self.header["counts"]
        try:
            if self.header["v"] == 1:
                out = codec.decode_rows_v1(self.records_bytes, self.origin, counts)
            else:
                texts = self.texts
                if texts is None and withheld_as is not None:
                    texts = [withheld_as(h) for h in self.withheld or []]
                elif texts is not None and self.withheld is not None:
                    texts = [
                        t if t is not None else (withheld_as(h) if withheld_as else None)
                        for t, h in zip(texts, self.withheld)
                    ]
                out = codec.decode_records(self.records_bytes, texts, self.origin, counts)
        except RecursionError:
            raise CorruptBundle("a batch's records are nested too deeply; file damaged.") from None
        out.sort(key=lambda kr: kr[1]["seq"])
        seqs = [r["seq"] for _, r in out]
        if any(a == b for a, b in itertools.pairwise(seqs)):
            raise CorruptBundle("two records of a batch share one sequence number.")
        return out

    def digests(self) -> list[str]:
        """The hex digest of every text, withheld or not (v2)."""
        if self.withheld is not None:
            return list(self.withheld)
        return [d.hex() for d in _digests(self.texts or [])]

    def without_texts(self) -> "Batch":
        """The same batch with its texts withheld (digests kept): still verifiable."""
        if self.header["v"] < 2 or self.texts is None:
            return self
        return Batch(
            self.header, self.header_bytes, self.sig, self.records_bytes, None, self.digests()
        )

    def withholding(self, digests: set[str]) -> "Batch":
        """The same batch without the texts whose hex digest is in DIGESTS (the
        others kept): still verifiable. Self when none of them is here."""
        if self.header["v"] < 2 or self.texts is None:
            return self
        all_digests = self.digests()
        if not any(t is not None and d in digests for t, d in zip(self.texts, all_digests)):
            return self
        kept = [None if d in digests else t for t, d in zip(self.texts, all_digests)]
        if all(t is None for t in kept):
            return Batch(
                self.header, self.header_bytes, self.sig, self.records_bytes, None, all_digests
            )
        return Batch(self.header, self.header_bytes, self.sig, self.records_bytes, kept, all_digests)

    def texts_part(self) -> bytes:
        if self.header["v"] < 2:
            return b""
        if self.texts is None:
            return codec.canonical({"withheld": self.withheld or []})
        if self.withheld is not None:
            return codec.canonical({"withheld": self.withheld, "texts": self.texts})
        return codec.canonical(self.texts)

    def to_bytes(self) -> bytes:
        return b"".join(
            frame(p) for p in (self.header_bytes, self.sig, self.records_bytes, self.texts_part())
        )


def make_batch(
    records: list[tuple[str, dict]],
    *,
    signing_key: nacl.signing.SigningKey,
    origin: str,
    locality: str,
    first: int,
    last: int,
    prev: str = "",
    version: int = BATCH_VERSION,
) -> Batch:
    """Sign records [(kind, shared record)] covering event seqs FIRST..LAST, in batch
    format VERSION (sync.bundle.batch_format says which one a bundle format carries)."""
    if version not in BATCH_SUPPORTED:
        raise ValueError(f"cannot write batch format {version}")
    counts: dict[str, int] = {}
    for kind, _rec in records:
        counts[kind] = counts.get(kind, 0) + 1
    header = {
        "v": version,
        "origin": origin,
        "key": b64(bytes(signing_key.verify_key)),
        "first": first,
        "last": last,
        "counts": counts,
        "prev": prev,
    }
    if version == 1:
        body, texts = codec.encode_rows_v1(records), None
    elif version == 2:
        body, texts = codec.encode_records(records)
        header.update(locality=locality, texts=texts_digest(_digests(texts)), n_texts=len(texts))
    else:
        raise ValueError(f"cannot write bundle version {version}")
    header["body"] = sha256_hex(body)
    header_bytes = codec.canonical(header)
    sig = signing_key.sign(_BATCH_CONTEXT + header_bytes).signature
    return Batch(header, header_bytes, sig, body, texts if version >= 2 else None)


def _check_batch_header(h) -> dict:
    if not isinstance(h, dict) or h.get("v") not in BATCH_SUPPORTED:
        if isinstance(h, dict) and isinstance(h.get("v"), int):
            raise UnsupportedVersion(
                f"a batch uses format version {h['v']}, which this Sauti cannot read "
                f"(it reads {', '.join(map(str, BATCH_SUPPORTED))}); update Sauti on this node."
            )
        raise CorruptBundle("a batch header cannot be read; the file is damaged.")
    need = {"origin": str, "key": str, "first": int, "last": int, "counts": dict, "body": str}
    if h["v"] >= 2:
        need.update(locality=str, texts=str, n_texts=int)
    for name, typ in need.items():
        if not isinstance(h.get(name), typ) or isinstance(h.get(name), bool):
            raise CorruptBundle("a batch header lacks a field; the file is damaged.")
    if not 1 <= h["first"] <= h["last"]:
        raise CorruptBundle("a batch header has an impossible sequence range.")
    return h


def record_count(h: dict) -> int:
    """The records a batch header announces, checked before any is decoded: known
    kinds, whole numbers, at most one per sequence number and MAX_BATCH_RECORDS."""
    counts = h["counts"]
    if any(
        kind not in codec.SCHEMAS or not isinstance(n, int) or isinstance(n, bool) or n < 0
        for kind, n in counts.items()
    ):
        raise CorruptBundle("a batch header's record counts are malformed; file damaged.")
    total = sum(counts.values())
    if total > min(MAX_BATCH_RECORDS, h["last"] - h["first"] + 1):
        raise CorruptBundle(
            f"a batch announces {total} records, more than its sequence numbers allow or "
            f"the {MAX_BATCH_RECORDS} a batch may hold; nothing was applied."
        )
    return total


MAX_HEADER_BYTES = 64 * 1024
RECORD_BYTES = 64 * 1024  # room per announced record in a batch's records part (generous)


def records_budget(h: dict) -> int:
    """The most bytes the records part of a batch with header H may take."""
    return 1024 * 1024 + RECORD_BYTES * record_count(h)


def read_batch(buf: memoryview, pos: int) -> tuple[Batch, int]:
    parts = []
    for _ in range(4):
        part, pos = unframe(buf, pos)
        parts.append(part)
    return _parse_batch(*parts), pos


def read_batch_from(stream) -> Batch:
    """The next batch of a STREAM with read(n): each part's length is checked before
    it is read (the header against MAX_HEADER_BYTES, the records against what the
    signed header announces)."""

    def part(limit: int) -> bytes:
        (n,) = struct.unpack(">I", stream.read(4))
        if n > limit:
            raise CorruptBundle(
                "a batch is larger than the records it announces allow; nothing was applied."
            )
        return stream.read(n)

    header_bytes = part(MAX_HEADER_BYTES)
    header = _header(header_bytes)
    sig = part(64)
    records_bytes = part(records_budget(header))
    texts_bytes = part(1024 * 1024 + RECORD_BYTES * header.get("n_texts", 0))
    return _parse_batch(header_bytes, sig, records_bytes, texts_bytes, header)


def _header(header_bytes: bytes) -> dict:
    try:
        header = json.loads(header_bytes)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CorruptBundle("a batch header cannot be read; the file is damaged.") from None
    _check_batch_header(header)
    record_count(header)
    return header


def _parse_batch(header_bytes, sig, records_bytes, texts_bytes, header=None) -> Batch:
    if header is None:
        header = _header(header_bytes)
    if len(sig) != 64:
        raise CorruptBundle("a batch signature is truncated; the file is damaged.")
    texts, withheld = None, None
    if header["v"] >= 2:
        try:
            value = json.loads(texts_bytes)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise CorruptBundle("a batch's texts cannot be read; the file is damaged.") from None
        if codec.canonical(value) != texts_bytes or (
            isinstance(value, dict) and set(value) - {"withheld", "texts"}
        ):  # one spelling only: no bit of the texts part can change without notice
            raise CorruptBundle("a batch's texts cannot be read; the file is damaged.")
        if isinstance(value, list) and all(isinstance(t, str) for t in value):
            texts = value
        elif isinstance(value, dict) and isinstance(value.get("withheld"), list):
            withheld = [str(h) for h in value["withheld"]]
            kept = value.get("texts")
            if kept is not None:
                if not isinstance(kept, list) or not all(
                    t is None or isinstance(t, str) for t in kept
                ):
                    raise CorruptBundle("a batch's texts cannot be read; the file is damaged.")
                texts = kept
        else:
            raise CorruptBundle("a batch's texts cannot be read; the file is damaged.")
    return Batch(header, header_bytes, sig, records_bytes, texts, withheld)


def frame(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def unframe(buf: memoryview, pos: int) -> tuple[bytes, int]:
    if pos + 4 > len(buf):
        raise CorruptBundle("the bundle ends too early; the file is truncated or damaged.")
    (n,) = struct.unpack_from(">I", buf, pos)
    pos += 4
    if pos + n > len(buf):
        raise CorruptBundle("the bundle ends too early; the file is truncated or damaged.")
    return bytes(buf[pos : pos + n]), pos + n
