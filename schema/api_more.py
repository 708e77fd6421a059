"""The API paths outside needs and aggregates, for the OpenAPI document: the SMS
webhook, the four sync endpoints between nodes, the document itself and the
Open311 GeoReport v2 subset (contract "Open311")."""

from marshmallow import Schema, fields

from .need import _errors


class SmsInSchema(Schema):
    secret = fields.String(metadata={"description": "the sms_secret setting (or X-Sauti-Secret)"})
    from_ = fields.String(data_key="from", required=True, metadata={"description": "sender number"})
    text = fields.String(required=True, metadata={"description": "the message"})
    sent_at = fields.String(metadata={"description": "ISO 8601 or Unix seconds/milliseconds"})
    id = fields.String(metadata={"description": "the gateway's message id (idempotency)"})


class SmsAnswerSchema(Schema):
    ref = fields.String(metadata={"description": "the need's public reference code"})
    reply = fields.String(metadata={"description": "a text the gateway may send back"})


class SyncAnswerSchema(Schema):
    class Meta:
        unknown = "include"


class AttendanceAnswerSchema(Schema):
    k = fields.Integer()
    by = fields.List(fields.String())
    rows = fields.List(fields.Dict(), metadata={"description": "{locality, gender or age_band, people}"})
    suppressed = fields.Integer()


class ActionProgressSchema(Schema):
    rows = fields.List(fields.Dict(), metadata={
        "description": "{locality, status, actions, done_on_time}"})


class Open311ServiceSchema(Schema):
    service_code = fields.String()
    service_name = fields.String()
    description = fields.String()
    metadata = fields.Boolean()
    type = fields.String()
    keywords = fields.String()
    group = fields.String()


class Open311RequestSchema(Schema):
    service_request_id = fields.String(metadata={"description": "the need's reference code"})
    status = fields.String(metadata={"description": "open or closed"})
    status_notes = fields.String()
    service_code = fields.String()
    description = fields.String(metadata={"description": "the public form of the text, or empty"})
    requested_datetime = fields.String(metadata={"description": "a date (YYYY-MM-DD)"})
    updated_datetime = fields.String(metadata={"description": "a date (YYYY-MM-DD)"})
    address = fields.String(metadata={"description": "the locality's name"})


class Open311ErrorSchema(Schema):
    code = fields.Integer()
    description = fields.String()


def _json(name: str, many: bool = False) -> dict:
    schema = {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}} if many else name
    return {"application/json": {"schema": schema}}


def _o311_errors(*codes: int) -> dict:
    return {str(c): {"description": "Open311 error list", "content": _json("Open311Error", True)}
            for c in codes}  # fmt: skip


def _sync(path: str, summary: str, body: str, params=()) -> None:
    return path, {
        "post": {
            "summary": summary,
            "description": "Between nodes: authenticated by Ed25519 signatures, not tokens.",
            "parameters": list(params),
            "requestBody": {"required": True, "content": {body: {"schema": {"type": "object"}
                            if body == "application/json" else {"type": "string",
                                                                "format": "binary"}}}},
            "responses": {"200": {"description": "accepted", "content": _json("SyncAnswer")},
                          **_errors(400, 404, 409, 413, 429)},
        }
    }  # fmt: skip


def document(spec) -> None:
    for name, schema in [
        ("SmsIn", SmsInSchema), ("SmsAnswer", SmsAnswerSchema), ("SyncAnswer", SyncAnswerSchema),
        ("Open311Service", Open311ServiceSchema), ("Open311Request", Open311RequestSchema),
        ("Open311Error", Open311ErrorSchema), ("AttendanceAnswer", AttendanceAnswerSchema),
        ("ActionProgress", ActionProgressSchema),
    ]:  # fmt: skip
        spec.components.schema(name, schema=schema)
    spec.path(
        path="/api/v1/openapi.json",
        operations={"get": {"summary": "This document",
                            "responses": {"200": {"description": "OpenAPI 3"}}}},
    )  # fmt: skip
    spec.path(
        path="/api/v1/sms",
        operations={"post": {
            "summary": "Inbound SMS webhook (off until sms_secret is set)",
            "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": "SmsIn"},
                "application/json": {"schema": "SmsIn"}}},
            "responses": {"201": {"description": "stored", "content": _json("SmsAnswer")},
                          "200": {"description": "already stored", "content": _json("SmsAnswer")},
                          **_errors(400, 403, 404, 422, 429)},
        }},
    )  # fmt: skip
    by = {"in": "query", "name": "by", "schema": {"type": "string", "enum": ["gender", "age_band"]}}
    spec.path(
        path="/api/v1/participation/attendance",
        operations={"get": {
            "summary": "People at meetings by locality and gender or age band (suppressed with k)",
            "security": [{"bearer": []}], "parameters": [by],
            "responses": {"200": {"description": "the table", "content": _json("AttendanceAnswer")},
                          **_errors(401, 403, 422)}}},
    )  # fmt: skip
    spec.path(
        path="/api/v1/participation/actions",
        operations={"get": {
            "summary": "Action plans' progress by locality and status",
            "security": [{"bearer": []}],
            "responses": {"200": {"description": "the table", "content": _json("ActionProgress")},
                          **_errors(401, 403)}}},
    )  # fmt: skip
    upload_id = {"in": "path", "name": "upload_id", "required": True, "schema": {"type": "string"}}
    offset = {"in": "query", "name": "offset", "required": True, "schema": {"type": "integer"}}
    for path, ops in [
        _sync("/api/v1/sync/hello", "A child introduces itself (signed)", "application/json"),
        _sync("/api/v1/sync/start", "Open an upload (signed start)", "application/json"),
        _sync("/api/v1/sync/upload/{upload_id}", "One chunk of a bundle at an offset",
              "application/octet-stream", [upload_id, offset]),
        _sync("/api/v1/sync/finish/{upload_id}", "Verify and apply the uploaded bundle",
              "application/json", [upload_id]),
    ]:  # fmt: skip
        spec.path(path=path, operations=ops)
    code = {"in": "query", "name": "service_code", "schema": {"type": "string"}}
    spec.path(
        path="/open311/v2/services.json",
        operations={"get": {"summary": "Open311: the node's categories",
                            "responses": {"200": {"description": "services",
                                                  "content": _json("Open311Service", True)}}}},
    )  # fmt: skip
    filters = [code] + [{"in": "query", "name": n, "schema": {"type": "string"}}
                        for n in ("status", "start_date", "end_date")]  # fmt: skip
    spec.path(
        path="/open311/v2/requests.json",
        operations={
            "get": {"summary": "Open311: the needs the public board shows", "parameters": filters,
                    "responses": {"200": {"description": "requests",
                                          "content": _json("Open311Request", True)},
                                  **_o311_errors(400)}},
            "post": {"summary": "Open311: report a need (api_key, or none while the kiosk is on)",
                     "requestBody": {"required": True, "content": {
                         "application/x-www-form-urlencoded": {"schema": {
                             "type": "object", "required": ["service_code", "description"],
                             "properties": {n: {"type": "string"} for n in (
                                 "api_key", "service_code", "description", "first_name",
                                 "last_name", "email", "phone")}}}}},
                     "responses": {"200": {"description": "[{service_request_id}]",
                                           "content": _json("Open311Request", True)},
                                   **_o311_errors(400, 401, 403, 404, 413, 429)}},
        },
    )  # fmt: skip
    ref = {"in": "path", "name": "ref", "required": True, "schema": {"type": "string"}}
    spec.path(
        path="/open311/v2/requests/{ref}.json",
        operations={"get": {"summary": "Open311: one need by its reference code",
                            "parameters": [ref],
                            "responses": {"200": {"description": "a one-element list",
                                                  "content": _json("Open311Request", True)},
                                          **_o311_errors(404)}}},
    )  # fmt: skip
