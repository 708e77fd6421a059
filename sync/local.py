"""This node as sync sees it: database, signing key, identity row."""

from dataclasses import dataclass

import nacl.signing

from app.node.home import Home
from app.store import node as node_store


@dataclass
class Local:
    db: object
    signing_key: nacl.signing.SigningKey
    node: dict

    @property
    def node_id(self) -> str:
        return self.node["node_id"]

    @property
    def public_key(self) -> str:
        return self.node["public_key"]

    @classmethod
    def open(cls, home: Home, db=None) -> "Local":
        db = db if db is not None else home.connect()
        return cls(db, home.signing_key(), node_store.get(db))

    def close(self) -> None:
        self.db.close()
