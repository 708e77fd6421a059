"""The API's paths for the OpenAPI document, each naming schemas from schema/.

Each feature module of schema/ that has API paths defines `document(spec)`;
they are listed here once.
"""

from . import aggregate, api_more, need
from .errors import ErrorSchema

DOCUMENTED = [need, aggregate, api_more]


def document(spec) -> None:
    spec.components.schema("Error", schema=ErrorSchema)
    spec.path(
        path="/healthz",
        operations={"get": {"responses": {"200": {"description": "the node is up"}}}},
    )
    for module in DOCUMENTED:
        module.document(spec)
