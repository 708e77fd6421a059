"""Bundles: what one node sends to its parent, over HTTP or in a file.

A bundle carries batches (sync.batch: each signed by its origin, forwarded
unchanged by relays) under the sender's signature over a header that lists them,
plus one zstd-compressed body holding them.

Bundle bytes (the same for HTTP and files; a file is this, sealed):

    b"SAUTI" | version (1 byte) | header length (4 bytes, big-endian) | header JSON
    | Ed25519 signature of the sender over b"sauti-bundle\\0" + header JSON (64 bytes)
    | zstd frame of the body

    header = {"v", "sender", "key", "locality", "level", "batches": [batch hash, ...],
              "size": body bytes, "body": sha256 hex of the body,
              "zstd": sha256 hex of the exact compressed bytes (the zstd frame)}

Body: the batches, one after the other, in sync.batch's framing.

Version 3 (current) signs "zstd", the digest of the compressed bytes as sent, and a
receiver checks it before it decompresses anything: zstd frames have bits that can
change without changing what they unpack to (frame header flags, window size, unused
bits of entropy-coded streams), so only a digest of the bytes themselves makes every
bit count. Versions 3 and 2 carry the same body and the same batches (batch format 2).

Version 2 (the previous format, still accepted): the same without "zstd"; its body
is still checked against the signed "body" digest after a capped decompression.
Version 1 (older, still accepted): batches in batch format 1.
"""

import hashlib
import io
import json
import struct
from dataclasses import dataclass

import nacl.exceptions
import nacl.signing
import zstandard

from . import codec
from .batch import Batch, b64, read_batch_from, record_count, sha256_hex, verify_key
from .errors import BadSignature, CorruptBundle, UnsupportedVersion

MAGIC = b"SAUTI"
VERSION = 3  # bundle format written
SUPPORTED = (1, 2, 3)  # bundle formats read; a parent accepts the previous ones too
BATCH_FORMAT = {1: 1, 2: 2, 3: 2}  # bundle format -> the batch format it carries
MAX_BODY = 64 * 1024 * 1024  # cap on the decompressed body
MAX_RECORDS = 500_000  # cap on the records of one bundle, checked before any is decoded
ZSTD_LEVEL = 19
_BUNDLE_CONTEXT = b"sauti-bundle\x00"


def batch_format(version: int) -> int:
    """The batch format that bundle format VERSION carries; ValueError for a version
    this node cannot write."""
    if version not in BATCH_FORMAT:
        raise ValueError(f"cannot write bundle version {version}")
    return BATCH_FORMAT[version]


class _Body:
    """The decompressed body, read as a stream of at most SIZE bytes and hashed as
    it goes: a batch whose announced parts are too large is refused before they
    are unpacked."""

    def __init__(self, compressed: bytes, size: int):
        self.reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(compressed))
        self.size = size
        self.pos = 0
        self.digest = hashlib.sha256()

    def left(self) -> int:
        return self.size - self.pos

    def read(self, n: int) -> bytes:
        if n > self.left():
            raise CorruptBundle("the bundle ends too early; the file is truncated or damaged.")
        data = self.reader.read(n)
        while len(data) < n:
            more = self.reader.read(n - len(data))
            if not more:
                raise CorruptBundle("the bundle body is truncated or damaged; nothing was applied.")
            data += more
        self.pos += n
        self.digest.update(data)
        return data

    def complete(self) -> bool:
        return self.pos == self.size and not self.reader.read(1)

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


@dataclass
class Bundle:
    header: dict
    batches: list[Batch]
    raw: bytes

    @property
    def hash(self) -> str:
        return sha256_hex(self.raw)

    @property
    def sender(self) -> str:
        return self.header["sender"]

    @property
    def key(self) -> str:
        return self.header["key"]


def make_bundle(
    batches: list[Batch],
    *,
    signing_key: nacl.signing.SigningKey,
    sender: str,
    locality: str,
    level: str,
    version: int = VERSION,
    level_zstd: int = ZSTD_LEVEL,
) -> bytes:
    batch_format(version)  # ValueError for a version this node cannot write
    body = b"".join(b.to_bytes() for b in batches)
    compressed = zstandard.ZstdCompressor(level=level_zstd).compress(body)
    header = {
        "v": version,
        "sender": sender,
        "key": b64(bytes(signing_key.verify_key)),
        "locality": locality,
        "level": level,
        "batches": [b.hash for b in batches],
        "size": len(body),
        "body": sha256_hex(body),
    }
    if version >= 3:
        header["zstd"] = sha256_hex(compressed)
    header_bytes = codec.canonical(header)
    sig = signing_key.sign(_BUNDLE_CONTEXT + header_bytes).signature
    return (
        MAGIC
        + bytes([version])
        + struct.pack(">I", len(header_bytes))
        + header_bytes
        + sig
        + compressed
    )


def peek_header(raw: bytes) -> tuple[dict, bytes, bytes, int]:
    """(header, header bytes, signature, body offset) without verifying anything."""
    if len(raw) < 10 or raw[:5] != MAGIC:
        raise CorruptBundle("this is not a Sauti bundle, or its start is damaged.")
    version = raw[5]
    if version not in SUPPORTED:
        raise UnsupportedVersion(
            f"the bundle uses format version {version}, which this Sauti cannot read "
            f"(it reads {', '.join(map(str, SUPPORTED))}); update Sauti on this node."
        )
    (n,) = struct.unpack_from(">I", raw, 6)
    if 10 + n + 64 > len(raw):
        raise CorruptBundle("the bundle ends too early; the file is truncated or damaged.")
    header_bytes = raw[10 : 10 + n]
    sig = raw[10 + n : 10 + n + 64]
    try:
        header = json.loads(header_bytes)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CorruptBundle("the bundle header cannot be read; the file is damaged.") from None
    need = {"v": int, "sender": str, "key": str, "batches": list, "size": int, "body": str}
    if version >= 3:
        need["zstd"] = str
    if not isinstance(header, dict) or any(
        not isinstance(header.get(k), t) for k, t in need.items()
    ):
        raise CorruptBundle("the bundle header lacks a field; the file is damaged.")
    if header["v"] != version:
        raise CorruptBundle("the bundle header does not match its version byte.")
    header.setdefault("locality", None)
    header.setdefault("level", None)
    return header, header_bytes, sig, 10 + n + 64


def verify_sender(header_bytes: bytes, sig: bytes, public_key_b64: str) -> None:
    try:
        verify_key(public_key_b64).verify(_BUNDLE_CONTEXT + header_bytes, sig)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        raise BadSignature(
            "the bundle is not signed by the sender's enrolled key; "
            "it was altered or forged, and nothing was applied."
        ) from None


def open_bundle(raw: bytes, sender_key: str, *, max_body: int = MAX_BODY) -> Bundle:
    """Verify the sender's signature and (version 3 on) the signed digest of the
    compressed bytes, then decompress (capped) and split into batches.

    Batch signatures are checked by the receiver, which knows the origins' keys."""
    header, header_bytes, sig, offset = peek_header(raw)
    verify_sender(header_bytes, sig, sender_key)
    if header["v"] >= 3 and sha256_hex(raw[offset:]) != header["zstd"]:
        raise CorruptBundle(
            "the bundle's compressed body does not match its signed hash; "
            "the file is damaged and nothing was applied."
        )
    if header["size"] > max_body:
        raise CorruptBundle(
            f"the bundle would unpack to {header['size']} bytes, more than this node accepts "
            f"({max_body}); send smaller bundles."
        )
    if len(header["batches"]) > MAX_RECORDS:
        raise CorruptBundle("the bundle lists more batches than a bundle may hold.")
    body = _Body(raw[offset:], header["size"])
    batches, records = [], 0
    try:
        while body.left():
            batch = read_batch_from(body)
            records += record_count(batch.header)
            if records > MAX_RECORDS:
                raise CorruptBundle(
                    f"the bundle holds more than {MAX_RECORDS} records; send smaller bundles."
                )
            batches.append(batch)
    except zstandard.ZstdError:
        raise CorruptBundle("the bundle body cannot be unpacked; the file is damaged.") from None
    if not body.complete() or body.hexdigest() != header["body"]:
        raise CorruptBundle("the bundle body is truncated or damaged; nothing was applied.")
    if [b.hash for b in batches] != header["batches"]:
        raise CorruptBundle("the bundle's batches do not match its signed list.")
    return Bundle(header, batches, raw)
