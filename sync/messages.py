"""Small signed JSON messages between a child and its parent (hello, start,
acknowledgements, receipts): {"msg": {...}, "sig": base64 Ed25519 signature over
b"sauti-msg\\0" + the canonical JSON of msg}."""

import base64
import binascii

import nacl.exceptions
import nacl.signing

from .batch import verify_key
from .codec import canonical
from .errors import BadAnswer

_CONTEXT = b"sauti-msg\x00"


def sign(signing_key: nacl.signing.SigningKey, msg: dict) -> dict:
    sig = signing_key.sign(_CONTEXT + canonical(msg)).signature
    return {"msg": msg, "sig": base64.b64encode(sig).decode()}


def verify(envelope, public_key_b64: str, expected_type: str, *, error=BadAnswer) -> dict:
    """The message, if ENVELOPE is signed by PUBLIC_KEY_B64 and has the expected type."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("msg"), dict):
        raise error("the message is malformed.")
    msg = envelope["msg"]
    try:
        sig = base64.b64decode(str(envelope.get("sig", "")), validate=True)
        verify_key(public_key_b64).verify(_CONTEXT + canonical(msg), sig)
    except (
        nacl.exceptions.BadSignatureError, binascii.Error, ValueError, TypeError, RecursionError
    ):
        raise error("the message is not signed by the expected key.") from None
    if msg.get("type") != expected_type:
        raise error(f"expected a {expected_type!r} message, got {msg.get('type')!r}.")
    return msg
