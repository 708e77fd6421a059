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


def parent_url(text: str) -> str:
    """A parent's base URL (http://host:port) in its stored form, or EnrolRefused("bad_url")."""
    from urllib.parse import urlsplit

    url = text.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018  (a bad port raises ValueError)
    except ValueError:
        ok = False
    if not ok or len(url) > 500 or any(c.isspace() or ord(c) < 32 for c in url):
        raise EnrolRefused("bad_url")
    return url


def set_parent(db, url_text: str, key_text: str) -> tuple[str, str]:
    """Set this node's parent; returns (url, key) in their stored forms."""
    key = public_key(key_text)
    url = parent_url(url_text)
    if node_store.get(db)["public_key"] == key:
        raise EnrolRefused("own_key")
    sync_state.set_parent(db, url, key)
    return url, key
