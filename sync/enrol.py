"""Enrolling a child node by its public key: the one rule that `sauti child add`
and the admin page share. Callers turn the refusal's code into their own words."""

import base64
import binascii
import sqlite3

from app.store import node as node_store
from app.store import sync_state


class EnrolRefused(Exception):
    """code: "bad_key" (not the base64 of 32 bytes), "no_name", "own_key" or
    "already_enrolled"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def public_key(text: str) -> str:
    """The standard base64 form of an Ed25519 public key, or EnrolRefused("bad_key")."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise EnrolRefused("bad_key")
    return base64.b64encode(raw).decode()


def enrol_child(db, name: str, key_text: str) -> str:
    """Enrol a child NAME with public key KEY_TEXT; returns the key's canonical form."""
    key = public_key(key_text)
    name = name.strip()
    if not name:
        raise EnrolRefused("no_name")
    if node_store.get(db)["public_key"] == key:
        raise EnrolRefused("own_key")
    if sync_state.child_by_key(db, key):
        raise EnrolRefused("already_enrolled")
    try:
        sync_state.add_child(db, name, key)
    except sqlite3.IntegrityError:  # the UNIQUE constraint decides races
        raise EnrolRefused("already_enrolled") from None
    return key
