"""Queries on the node's own identity (one row)."""

from .db import one, write


def get(db) -> dict | None:
    return one(db, "SELECT * FROM node WHERE id = 1")


def create(db, **fields) -> None:
    with write(db):
        db["node"].insert({"id": 1, **fields})
