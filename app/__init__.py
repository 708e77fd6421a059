"""Sauti: the Flask application and the node's local data layer.

Importing this package does not import Flask, so `sync/` can use the data layer
(`app.store`) without pulling in the web stack. Call `create_app()` for the app.
"""


def create_app(config=None):
    """Build the Flask application for one node home (see app.factory)."""
    from .factory import create_app as _create_app

    return _create_app(config)
