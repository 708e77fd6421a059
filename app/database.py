"""The request's database connection: opened on first use, closed at teardown."""

from flask import current_app, g


def get_db():
    if "db" not in g:
        g.db = current_app.extensions["sauti_home"].connect()
    return g.db


def close_db(_exc=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def node():
    """The node's identity row, read once per process (it never changes)."""
    cached = current_app.extensions.get("sauti_node")
    if cached is None:
        from app.store import node as node_store

        cached = current_app.extensions["sauti_node"] = node_store.get(get_db())
    return cached
