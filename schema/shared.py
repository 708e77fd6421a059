"""The shared (anonymized) form of records: what may cross a node boundary.

This is the allow-list. A field not declared here never leaves a node:
`unknown=RAISE` on load, and the anonymizer builds records only through
`dump` of these schemas. Respondent name and contact, client uuids, user
names and exact times have no field here. Every time is an ISO week.

Records are known by (origin, key): `origin` is the capturing node's id and
`key` the origin's own local record number as text (never a client uuid).
Each travels with the origin's event sequence number `seq`.
"""

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from . import vocab
from .fields import LanguageTag, Locality
from .weeks import FIRST_YEAR, LAST_YEAR, valid_week


def WEEK(value) -> None:  # noqa: N802 - used like the validators it replaced
    """An ISO week that exists, in the years every node accepts."""
    if not valid_week(value):
        raise ValidationError(
            f"Not an ISO week such as 2026-W09 between {FIRST_YEAR} and {LAST_YEAR}."
        )


KEY = validate.Length(min=1, max=40)
CATEGORY = validate.Regexp(vocab.CATEGORY_CODE)


class SharedBase(Schema):
    class Meta:
        unknown = RAISE

    origin = fields.String(required=True)
    seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    key = fields.String(required=True, validate=KEY)


class SharedNeedSchema(SharedBase):
    text = fields.String(allow_none=True, load_default=None)  # scrubbed, or None when withheld
    language = LanguageTag(required=True)
    category = fields.String(required=True, validate=CATEGORY)
    goals = fields.List(fields.Integer(strict=True, validate=validate.Range(1, 17)), required=True)
    locality = Locality(required=True)
    gender = fields.String(required=True, validate=validate.OneOf(vocab.GENDERS))
    age_band = fields.String(required=True, validate=validate.OneOf(vocab.AGE_BANDS))
    groups = fields.List(fields.String(validate=validate.OneOf(vocab.GROUPS)), required=True)
    channel = fields.String(required=True, validate=validate.OneOf(vocab.CHANNELS))
    supporters = fields.Integer(
        required=True, strict=True, validate=validate.Range(1, vocab.MAX_SUPPORTERS)
    )
    status = fields.String(required=True, validate=validate.OneOf(vocab.STATUSES))
    merged_into = fields.String(
        allow_none=True, load_default=None, validate=KEY
    )  # key of the surviving need
    week = fields.String(required=True, validate=WEEK)


class SharedRetractionSchema(SharedBase):
    """Removes a record (kind + key) at every level above."""

    kind = fields.String(
        required=True, validate=validate.OneOf(("need", "meeting", "priority", "action"))
    )
    reason = fields.String(
        required=True, validate=validate.OneOf(("spam", "erasure", "personal_data", "other"))
    )


class AttendanceSchema(Schema):
    class Meta:
        unknown = RAISE

    gender = fields.String(required=True, validate=validate.OneOf(vocab.GENDERS))
    age_band = fields.String(required=True, validate=validate.OneOf(vocab.AGE_BANDS))
    count = fields.Integer(
        required=True, strict=True, validate=validate.Range(0, vocab.MAX_ATTENDANCE)
    )


class SharedMeetingSchema(SharedBase):
    title = fields.String(allow_none=True, load_default=None)  # scrubbed, or None
    locality = Locality(required=True)
    week = fields.String(required=True, validate=WEEK)
    attendance = fields.List(fields.Nested(AttendanceSchema), required=True)


class SharedPrioritySchema(SharedBase):
    title = fields.String(allow_none=True, load_default=None)
    description = fields.String(allow_none=True, load_default=None)
    goals = fields.List(fields.Integer(strict=True, validate=validate.Range(1, 17)), required=True)
    locality = Locality(required=True)
    rank = fields.Integer(allow_none=True, load_default=None, strict=True)
    status = fields.String(
        required=True, validate=validate.OneOf(("open", "in_progress", "done", "dropped"))
    )
    needs = fields.List(fields.String(validate=KEY), required=True)  # keys of the needs it groups
    week = fields.String(required=True, validate=WEEK)


class SharedActionSchema(SharedBase):
    priority = fields.String(required=True, validate=KEY)  # key of the priority
    what = fields.String(allow_none=True, load_default=None)
    responsible = fields.String(
        allow_none=True, load_default=None
    )  # a role or office, never a person
    status = fields.String(
        required=True, validate=validate.OneOf(("planned", "in_progress", "done", "blocked"))
    )
    budget_amount = fields.Decimal(allow_none=True, load_default=None, as_string=True)
    budget_currency = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(equal=3)
    )
    start_week = fields.String(allow_none=True, load_default=None, validate=WEEK)
    due_week = fields.String(allow_none=True, load_default=None, validate=WEEK)
    done_week = fields.String(allow_none=True, load_default=None, validate=WEEK)
    progress = fields.List(
        fields.Dict(), load_default=list
    )  # [{"week", "note" (scrubbed or None)}]


SCHEMAS = {
    "need": SharedNeedSchema,
    "retraction": SharedRetractionSchema,
    "meeting": SharedMeetingSchema,
    "priority": SharedPrioritySchema,
    "action": SharedActionSchema,
}

# The fields of a shared record beyond origin, seq and key, in schema order: the
# one list the store's shared tables and the roll-ups follow.
BASE_FIELDS = tuple(SharedBase._declared_fields)
NEED_FIELDS = tuple(f for f in SharedNeedSchema._declared_fields if f not in BASE_FIELDS)
MEETING_FIELDS = tuple(f for f in SharedMeetingSchema._declared_fields if f not in BASE_FIELDS)
