"""The API's paths for the OpenAPI document, each naming schemas from schema/."""

from .errors import ErrorSchema


def document(spec) -> None:
    spec.components.schema("Error", schema=ErrorSchema)
    spec.path(
        path="/healthz",
        operations={"get": {"responses": {"200": {"description": "the node is up"}}}},
    )
