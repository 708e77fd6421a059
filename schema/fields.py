"""Field types shared by the schemas: NFC text, BCP 47 tags, locality paths."""

import datetime as dt
import re
import unicodedata

from marshmallow import ValidationError, fields

from .weeks import FIRST_YEAR, LAST_YEAR, week_of, year_ok

BCP47_RE = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{3}){0,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?"
    r"(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$"
)
LOCALITY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)*$")


def normalize_text(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Text(fields.String):
    """A string stored as typed: NFC-normalized and trimmed; never a lone surrogate
    (JSON can carry one, UTF-8 cannot store it)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if LONE_SURROGATE.search(value):
            raise ValidationError("Not valid Unicode text (it holds a lone surrogate).")
        return normalize_text(value)


class LanguageTag(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        if not BCP47_RE.match(value):
            raise ValidationError("Not a BCP 47 language tag such as sw, ar or zh-Hans.")
        return value


class Locality(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip().strip("/")
        if not LOCALITY_RE.match(value):
            raise ValidationError("Not a locality code such as KE/47/westlands/kangemi.")
        return value


class Timestamp(fields.String):
    """An ISO 8601 time as sent, kept as text (device clocks may be off), in the
    years every node accepts (schema.weeks: 1900-2199); others are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                "Not an ISO 8601 time such as 2026-11-24T09:30:00+03:00."
            ) from None
        if not year_ok(moment.year) or week_of(value) is None:
            raise ValidationError(f"The year must lie between {FIRST_YEAR} and {LAST_YEAR}.")
        return value


def under(path: str, ancestor: str) -> bool:
    """True when locality PATH is at or under ANCESTOR, by whole segments."""
    a = ancestor.strip("/").split("/")
    return path.strip("/").split("/")[: len(a)] == a


def prefix(path: str, n: int) -> str:
    """Locality PATH cut to its first N segments (the whole path when it is shorter)."""
    return "/".join(path.split("/")[:n])


def iso_week(timestamp: str | None, fallback: dt.datetime) -> str:
    """The ISO week (YYYY-Www) of a timestamp, or of FALLBACK when it is missing."""
    return week_of(timestamp) or week_of(fallback)
