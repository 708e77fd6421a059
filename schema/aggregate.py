"""The aggregates answer (contract "Aggregates") for the OpenAPI document."""

from marshmallow import Schema, fields

from .need import _errors

DIMENSIONS = (
    "locality",
    "locality:N",
    "category",
    "goal",
    "gender",
    "age_band",
    "group",
    "channel",
    "status",
    "week",
    "month",
)


class AggregateAnswerSchema(Schema):
    k = fields.Integer(metadata={"description": "smallest published count"})
    by = fields.List(fields.String())
    as_of = fields.String(
        metadata={"description": "ISO week of the data (snapshot week when public)"}
    )
    rows = fields.List(
        fields.Dict(),
        metadata={
            "description": "one object per published cell: the dimension values, needs, supporters"
        },
    )
    suppressed = fields.Integer(
        metadata={"description": "cells hidden, complementary ones included"}
    )


def document(spec) -> None:
    spec.components.schema("AggregateAnswer", schema=AggregateAnswerSchema)
    spec.path(
        path="/api/v1/aggregates",
        operations={
            "get": {
                "summary": "Counts of needs and supporters by one or two dimensions, with suppression",
                "description": "Council, analyst or admin token; public from the latest weekly "
                "snapshot when the open_data setting is on. Dimensions: " + ", ".join(DIMENSIONS),
                "security": [{"bearer": []}, {}],
                "parameters": [
                    {
                        "in": "query",
                        "name": "by",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "one or two dimensions separated by a comma, e.g. goal,gender",
                    }
                ],
                "responses": {
                    "200": {
                        "description": "the table",
                        "content": {"application/json": {"schema": "AggregateAnswer"}},
                    },
                    **_errors(401, 403, 404, 422),
                },
            }
        },
    )
