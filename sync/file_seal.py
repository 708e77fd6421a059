"""Bundles on a USB stick: sealed to the receiving node's key, plus signed receipts.

A sealed file is b"SAUTI-SEALED\\x01" followed by a PyNaCl SealedBox of the bundle
bytes, encrypted to the receiver's Curve25519 key (converted from its Ed25519
key), so a lost stick reveals nothing. The bundle inside is the same signed
bundle an HTTP push sends. A receipt is the receiver's signed acknowledgement
(JSON), which the sender imports to learn what was applied.
"""

import json
import os
from pathlib import Path

import nacl.exceptions
import nacl.public
import nacl.signing

from .batch import verify_key
from .errors import CorruptBundle, NotForThisNode

SEALED_MAGIC = b"SAUTI-SEALED\x01"


def seal(raw: bytes, receiver_public_key_b64: str) -> bytes:
    curve = verify_key(receiver_public_key_b64).to_curve25519_public_key()
    return SEALED_MAGIC + nacl.public.SealedBox(curve).encrypt(raw)


def unseal(data: bytes, signing_key: nacl.signing.SigningKey) -> bytes:
    if not data.startswith(SEALED_MAGIC):
        if data.startswith(b"SAUTI-SEALED"):
            raise CorruptBundle("this sealed file uses a format this Sauti cannot read.")
        raise CorruptBundle("this is not a Sauti bundle file, or its start is damaged.")
    box = nacl.public.SealedBox(signing_key.to_curve25519_private_key())
    try:
        return box.decrypt(data[len(SEALED_MAGIC) :])
    except nacl.exceptions.CryptoError:
        raise NotForThisNode(
            "this file cannot be opened here: it was sealed for another node, or it is "
            "damaged or truncated; nothing was applied."
        ) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write DATA to PATH so a power cut leaves either the old file or the new one."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_receipt(path: Path, envelope: dict) -> None:
    write_atomic(path, json.dumps(envelope, ensure_ascii=False, indent=1).encode())


def read_receipt(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise CorruptBundle("this receipt file cannot be read; it is damaged.") from None
