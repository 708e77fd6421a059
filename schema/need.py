"""A need as captured (the POST /api/v1/needs contract) and as stored.

One schema validates API posts, form posts and imports alike. Node-dependent
rules (the node's locality and categories) come in through the constructor.
"""

import hashlib
import json

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from . import vocab
from .categories import DEFAULT_CATEGORIES, goals_for
from .fields import LanguageTag, Locality, Text, Timestamp, under

MAX_TEXT = 5000


class RespondentSchema(Schema):
    """Personal data: kept on the node, never shared."""

    name = Text(validate=validate.Length(max=200), load_default=None)
    contact = Text(validate=validate.Length(max=200), load_default=None)


class _NodeSchema(Schema):
    """A schema checked against one node: its locality and its categories."""

    def __init__(self, *, node_locality: str = "", categories=None, **kwargs):
        super().__init__(**kwargs)
        self.node_locality = node_locality
        self.categories = categories or DEFAULT_CATEGORIES


class NeedInSchema(_NodeSchema):
    uuid = fields.UUID(required=True, metadata={"description": "client-generated idempotency key"})
    text = Text(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    language = LanguageTag(
        required=True, metadata={"description": "BCP 47 tag, e.g. sw, ar, zh-Hans"}
    )
    category = fields.String(load_default="other")
    goals = fields.List(
        fields.Integer(strict=True, validate=validate.Range(1, 17)),
        load_default=None,
        metadata={"description": "SDG numbers; derived from the category when omitted"},
    )
    locality = Locality(load_default=None, metadata={"description": "defaults to the node's"})
    gender = fields.String(validate=validate.OneOf(vocab.GENDERS), load_default="undisclosed")
    age_band = fields.String(validate=validate.OneOf(vocab.AGE_BANDS), load_default="undisclosed")
    groups = fields.List(fields.String(validate=validate.OneOf(vocab.GROUPS)), load_default=list)
    channel = fields.String(validate=validate.OneOf(vocab.CHANNELS), load_default="facilitator")
    supporters = fields.Integer(
        strict=True, validate=validate.Range(1, vocab.MAX_SUPPORTERS), load_default=1
    )
    respondent = fields.Nested(RespondentSchema, load_default=None)
    consent = fields.Boolean(load_default=False)
    captured_at = Timestamp(load_default=None)

    @validates_schema(skip_on_field_errors=False)
    def _node_rules(self, data, **kwargs):
        errors = _node_errors(data, self.categories, self.node_locality)
        respondent = data.get("respondent")
        if respondent and any(respondent.values()) and not data.get("consent"):
            errors["consent"] = ["Must be true when respondent data is given."]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _defaults(self, data, **kwargs):
        data["uuid"] = str(data["uuid"])
        if data.get("goals") is None:
            data["goals"] = goals_for(data["category"], self.categories)
        data["goals"] = sorted(set(data["goals"]))
        data["groups"] = sorted(set(data["groups"]))
        data["locality"] = data.get("locality") or self.node_locality
        respondent = data.get("respondent")
        if respondent is not None and not any(respondent.values()):
            data["respondent"] = None
        return data


def _node_errors(data: dict, categories, node_locality: str) -> dict:
    """The node-dependent rules: a known category, a locality at or under the node's."""
    errors = {}
    if "category" in data and data["category"] not in categories:
        errors["category"] = [
            "Unknown category; use one of: " + ", ".join(sorted(categories)) + "."
        ]
    locality = data.get("locality")
    if locality and node_locality and not under(locality, node_locality):
        errors["locality"] = [f"Must be at or under this node's locality {node_locality}."]
    return errors


class NeedEditSchema(_NodeSchema):
    """The fields of a stored need that an edit may change (all optional), with
    the same rules as NeedInSchema. An empty goals list means "the category's
    goals". Status and merging are the council's (triage), not edits."""

    text = Text(validate=validate.Length(min=1, max=MAX_TEXT))
    category = fields.String()
    goals = fields.List(fields.Integer(strict=True, validate=validate.Range(1, 17)))
    locality = Locality()
    gender = fields.String(validate=validate.OneOf(vocab.GENDERS))
    age_band = fields.String(validate=validate.OneOf(vocab.AGE_BANDS))
    groups = fields.List(fields.String(validate=validate.OneOf(vocab.GROUPS)))
    supporters = fields.Integer(strict=True, validate=validate.Range(1, vocab.MAX_SUPPORTERS))

    @validates_schema(skip_on_field_errors=False)
    def _node_rules(self, data, **kwargs):
        errors = _node_errors(data, self.categories, self.node_locality)
        if errors:
            raise ValidationError(errors)

    @post_load
    def _normalize(self, data, **kwargs):
        if "goals" in data:
            if not data["goals"] and "category" in data:
                data["goals"] = goals_for(data["category"], self.categories)
            data["goals"] = sorted(set(data["goals"]))
        if "groups" in data:
            data["groups"] = sorted(set(data["groups"]))
        return data


def submission_hash(need: dict) -> str:
    """Fingerprint of a loaded submission, to tell a retry from a different need."""
    canonical = json.dumps(need, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class NeedOutSchema(Schema):
    """A stored need as the API shows it (respondent only where the role allows)."""

    uuid = fields.String()
    ref = fields.String(metadata={"description": "public reference code"})
    text = fields.String()
    language = fields.String()
    category = fields.String()
    goals = fields.List(fields.Integer())
    locality = fields.String()
    gender = fields.String()
    age_band = fields.String()
    groups = fields.List(fields.String())
    channel = fields.String()
    supporters = fields.Integer()
    respondent = fields.Nested(RespondentSchema, allow_none=True)
    consent = fields.Boolean()
    captured_at = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf(vocab.STATUSES))
    text_checked = fields.Boolean()
    meeting = fields.Integer(
        attribute="meeting_id", allow_none=True, metadata={"description": "meeting id, if any"}
    )
    received_at = fields.String()
    updated_at = fields.String()


class NeedPageSchema(Schema):
    items = fields.List(fields.Nested(NeedOutSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


def _errors(*codes: int) -> dict:
    text = {
        400: "malformed JSON",
        401: "missing or bad token",
        403: "role not allowed",
        404: "unknown",
        409: "uuid used for a different need",
        413: "body over 65,536 bytes",
        422: "field errors, field by field in details",
        429: "too many requests",
    }
    return {
        str(c): {"description": text[c], "content": {"application/json": {"schema": "Error"}}}
        for c in codes
    }


class NeedRemovalSchema(Schema):
    """DELETE /api/v1/needs/<uuid>: why the need is removed."""

    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.OneOf(("erasure", "spam")))


def document(spec) -> None:
    spec.components.schema("NeedIn", schema=NeedInSchema)
    spec.components.schema("Need", schema=NeedOutSchema)
    spec.components.schema("NeedPage", schema=NeedPageSchema)
    spec.components.schema("NeedRemoval", schema=NeedRemovalSchema)
    json_of = lambda name: {"application/json": {"schema": name}}
    spec.path(
        path="/api/v1/needs",
        operations={
            "post": {
                "summary": "Capture a need (idempotent by uuid)",
                "security": [{"bearer": []}],
                "requestBody": {"required": True, "content": json_of("NeedIn")},
                "responses": {
                    "201": {"description": "stored", "content": json_of("Need")},
                    "200": {
                        "description": "the same submission was already stored",
                        "content": json_of("Need"),
                    },
                    **_errors(400, 401, 403, 409, 413, 422, 429),
                },
            },
            "get": {
                "summary": "List needs (filters, full-text q, paginated)",
                "security": [{"bearer": []}],
                "parameters": [
                    {"in": "query", "name": name, "schema": {"type": kind}}
                    for name, kind in [
                        ("status", "string"),
                        ("category", "string"),
                        ("goal", "integer"),
                        ("locality", "string"),
                        ("channel", "string"),
                        ("language", "string"),
                        ("q", "string"),
                        ("meeting", "integer"),
                        ("origin", "string"),
                        ("page", "integer"),
                        ("per_page", "integer"),
                    ]
                ],
                "responses": {
                    "200": {"description": "one page", "content": json_of("NeedPage")},
                    **_errors(401, 403, 422),
                },
            },
        },
    )
    spec.path(
        path="/api/v1/needs/{uuid}",
        operations={
            "get": {
                "summary": "One need (respondent only for roles allowed to see it)",
                "security": [{"bearer": []}],
                "parameters": [
                    {"in": "path", "name": "uuid", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "the need", "content": json_of("Need")},
                    **_errors(401, 403, 404),
                },
            },
            "delete": {
                "summary": "Remove a need as spam or on the citizen's erasure request (council): "
                "its text, respondent and audio and every earlier version of them are erased "
                "here, and retracted at every level above with the next sync",
                "security": [{"bearer": []}],
                "parameters": [
                    {"in": "path", "name": "uuid", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {"required": True, "content": json_of("NeedRemoval")},
                "responses": {
                    "204": {"description": "removed; the need answers 404 from now on"},
                    **_errors(400, 401, 403, 404, 413, 422, 429),
                },
            },
        },
    )
    _document_audio(spec)


AUDIO_TYPES = ("audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav")


def _document_audio(spec) -> None:
    binary = {"type": "string", "format": "binary", "maxLength": 2_097_152}
    audio = {kind: {"schema": binary} for kind in AUDIO_TYPES}
    uuid = {"in": "path", "name": "uuid", "required": True, "schema": {"type": "string"}}
    errors = _errors(401, 403, 404, 422)
    errors["413"] = {**errors["404"], "description": "body over 2,097,152 bytes"}
    errors["415"] = {**errors["404"], "description": "not one of the audio types"}
    errors["422"] = {**errors["422"], "description": "the body is not of its declared type"}
    spec.path(
        path="/api/v1/needs/{uuid}/audio",
        operations={
            "put": {
                "summary": "Store the need's one audio note (a role that may capture; "
                "replacing a note needs the right to hear it). Never leaves the node.",
                "security": [{"bearer": []}],
                "parameters": [uuid],
                "requestBody": {"required": True, "content": audio},
                "responses": {"204": {"description": "stored"}, **errors},
            },
            "get": {
                "summary": "The need's audio note (roles that may see its respondent)",
                "security": [{"bearer": []}],
                "parameters": [uuid],
                "responses": {
                    "200": {"description": "the recording", "content": audio},
                    **_errors(401, 403, 404),
                },
            },
        },
    )


# What describes a need: the API's fields that a need row keeps as they came (the
# others are the idempotency key, the respondent and the capture time), and what an
# edit may change. The store's rows and forms follow these lists.
DESCRIBING_FIELDS = tuple(
    f
    for f in NeedInSchema._declared_fields
    if f not in ("uuid", "respondent", "consent", "captured_at")
)
EDITABLE_FIELDS = tuple(NeedEditSchema._declared_fields)

# The text of a need captured by an audio note alone (the API requires a text).
# It says nothing about the person: it is never shared and never shown as text;
# pages show a pictogram and "audio note" instead, until someone types what was said.
AUDIO_ONLY_TEXT = "[audio]"
