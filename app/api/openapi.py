"""The OpenAPI 3 document, generated from the marshmallow schemas in schema/."""

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

_cache: dict | None = None


def spec() -> dict:
    global _cache
    if _cache is None:
        doc = APISpec(
            title="Sauti node API",
            version="1",
            openapi_version="3.0.3",
            plugins=[MarshmallowPlugin()],
            info={"description": "Capture, read and aggregate needs on a Sauti node."},
        )
        doc.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
        from schema import api_paths

        api_paths.document(doc)
        _cache = doc.to_dict()
    return _cache
