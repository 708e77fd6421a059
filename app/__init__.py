"""Sauti: the Flask application (app.factory.create_app) and the node's local data layer.

Importing this package, or any of its feature packages, imports no Flask and
registers nothing: `sync/` uses the data layer (`app.store`), the node (`app.node`)
and the privacy rules (`app.privacy`) without the web stack.
"""
