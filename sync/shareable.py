"""The one check of a shared record, used by both sides: a node runs it before it
seals a record into a batch (a record that fails is held back, with an alert,
and everything else keeps flowing), a parent runs it on every record a child
sends (a failure refuses the bundle whole).

The check is the shared allow-list schema (schema/shared.py, plus the enrolment
record), field by field on distinct values (a column of 10,000 weeks is checked
once), and the tree: the locality of a need, meeting or priority lies at or
under the locality its origin was enrolled with.
"""

from marshmallow import ValidationError

from schema.fields import under

from .codec import REQUIRED, SCHEMAS, TEXT_FIELDS, canonical
from .errors import CorruptBundle

PLACED = ("need", "meeting", "priority")  # kinds that carry a locality


class Checker:
    """Checks records of one origin; remembers the field values it already checked."""

    def __init__(self, origin_locality: str | None):
        self.origin_locality = origin_locality
        self._seen: dict[tuple, str | None] = {}

    def problem(self, kind: str, rec: dict) -> str | None:
        """None when REC may cross a node boundary, else what is wrong (one line)."""
        schema = SCHEMAS.get(kind)
        if schema is None:
            return f"record kind {kind!r} is not on the shared allow-list"
        missing = REQUIRED[kind] - set(rec)
        if missing:
            return f"{kind} {rec.get('key')} lacks {', '.join(sorted(missing))}"
        for name, value in rec.items():
            if name == "origin":
                continue
            field = schema._declared_fields.get(name)
            if field is None:
                return f"field {name!r} of {kind} is not on the shared allow-list"
            if name in TEXT_FIELDS.get(kind, ()):
                if name == "progress":
                    bad = _progress_problem(value)
                    if bad:
                        return f"{kind} {rec.get('key')}: {bad}"
                elif value is not None and not isinstance(value, str):
                    return f"field {name!r} of {kind} {rec.get('key')} is not text"
                continue
            bad = self._field(kind, name, field, value)
            if bad:
                return f"field {name!r} of {kind} {rec.get('key')}: {bad}"
        return self.tree_problem(kind, rec)

    def tree_problem(self, kind: str, rec: dict) -> str | None:
        """The tree part alone (a parent's codec already checked the schema)."""
        locality = rec.get("locality")
        if kind not in PLACED or not self.origin_locality or not isinstance(locality, str):
            return None
        memo = ("tree", locality)
        if memo not in self._seen:
            self._seen[memo] = (
                None
                if under(locality, self.origin_locality)
                else f"outside its node's locality {self.origin_locality}"
            )
        bad = self._seen[memo]
        return f"{kind} {rec.get('key')} is filed in {locality}, {bad}" if bad else None

    def _field(self, kind, name, field, value) -> str | None:
        try:
            memo = (kind, name, canonical(value))
        except (TypeError, ValueError, RecursionError):
            return "not a plain value"
        if memo not in self._seen:
            try:
                field.deserialize(value)
                self._seen[memo] = None
            except ValidationError as exc:
                self._seen[memo] = _one_line(exc.messages)
        return self._seen[memo]

    def check_tree(self, records) -> None:
        """Raise CorruptBundle for the first record of [(kind, rec)] placed outside
        its origin's locality."""
        for kind, rec in records:
            bad = self.tree_problem(kind, rec)
            if bad:
                raise CorruptBundle(
                    f"a record fails the shared schema ({bad}); nothing was applied."
                )


def _progress_problem(value) -> str | None:
    from schema.weeks import valid_week

    if not isinstance(value, list):
        return "progress is not a list"
    for item in value:
        if not isinstance(item, dict) or set(item) - {"week", "note"}:
            return "a progress note is not on the allow-list"
        if item.get("note") is not None and not isinstance(item["note"], str):
            return "a progress note is not text"
        if not valid_week(item.get("week")):
            return "a progress note's week is not an ISO week"
    return None


def _one_line(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {_one_line(v)}" for k, v in messages.items())
    if isinstance(messages, list):
        return " ".join(_one_line(m) for m in messages)
    return str(messages)
