from marshmallow import Schema, fields


class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"description": "stable error code"})
    message = fields.String(required=True, metadata={"description": "translated sentence"})
    details = fields.Dict(metadata={"description": "field errors, field by field"})
