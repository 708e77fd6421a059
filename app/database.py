"""The request's database connection.

Each server thread keeps one prepared connection to the node database and
reuses it across requests (opening and preparing a connection costs more than
a small query); teardown rolls back anything a failed request left open.
"""

import threading

from flask import current_app, g

_local = threading.local()


def get_db():
    if "db" not in g:
        node_home = current_app.extensions["sauti_home"]
        cached = getattr(_local, "db", None)
        if cached is None or _local.path != node_home.db_path or getattr(cached, "broken", False):
            if cached is not None:
                try:
                    cached.close()
                except Exception:  # a broken PostgreSQL connection: replaced below
                    pass
            cached = node_home.connect()
            _local.db, _local.path = cached, node_home.db_path
        g.db = cached
    return g.db


def close_db(_exc=None):
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def node():
    """The node's identity row, read once per process (it never changes)."""
    cached = current_app.extensions.get("sauti_node")
    if cached is None:
        from app.store import node as node_store

        cached = current_app.extensions["sauti_node"] = node_store.get(get_db())
    return cached
