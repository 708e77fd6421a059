"""Compact encoding of shared records inside a batch (no signing here).

Format version 2 (current) stores each record kind as columns, because a
column of 10,000 categories or weeks compresses to almost nothing, while the
same values repeated row by row cost bytes in every record:

    skeleton = {"need": {"n": 3, "cols": {"age_band": COL, "seq": COL, ...}}, ...}
    COL      = {"d": [distinct values], "s": "index string"}  (one char per row)
             | {"v": [values]}                                  (raw)
             | {"delta": COL}                                   (ints: first value, then differences)
             | {"dec": COL}                                     (decimal strings stored as ints)

Free-text fields are not in the skeleton: there they hold 1 (a text follows)
or null, and the texts travel as a separate list in record order. That lets a
relay withhold texts while the origin's signature (over per-text digests)
still verifies.

Format version 1 (previous; still decoded) stored records row by row with
their texts inline: {"need": [record, ...], ...}.

Column validation uses the allow-list schemas of schema/shared.py field by
field, on distinct values only, so a parent validates 10,000 records in
milliseconds; unknown columns are refused.
"""

import itertools
import json

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from schema.fields import Locality
from schema.shared import KEY
from schema.shared import SCHEMAS as SHARED_SCHEMAS
from schema.weeks import valid_week

from .errors import CorruptBundle

ALPHABET = "".join(chr(c) for c in range(0x23, 0x7F) if c != 0x5C)  # no '"' or '\\'
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


class SharedEnrolmentSchema(Schema):
    """A parent vouches: "child node NODE_ID has key PUBLIC_KEY and LOCALITY".

    Forwarded up so a grandparent can verify the child's own batches."""

    class Meta:
        unknown = RAISE

    origin = fields.String(required=True)
    seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    key = fields.String(required=True, validate=KEY)  # child node id
    public_key = fields.String(required=True, validate=validate.Length(equal=44))
    locality = Locality(required=True)
    level = fields.String(
        required=True, validate=validate.OneOf(("community", "district", "region", "nation"))
    )


SCHEMAS = {**SHARED_SCHEMAS, "enrolment": SharedEnrolmentSchema}
KINDS = tuple(SCHEMAS)
MAX_NESTING = 3  # {"dec": {"delta": COL}} is the deepest column a node writes

# Free-text fields per kind, in traversal order; "progress" holds [{"week", "note"}].
TEXT_FIELDS = {
    "need": ("text",),
    "meeting": ("title",),
    "priority": ("title", "description"),
    "action": ("what", "responsible", "progress"),
}


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# ---------------------------------------------------------------- texts


def split_texts(kind: str, record: dict) -> tuple[dict, list[str]]:
    """(record with every text replaced by 1 or None, the texts in order)."""
    texts: list[str] = []
    out = dict(record)
    for name in TEXT_FIELDS.get(kind, ()):
        if name == "progress":
            notes = []
            for item in record.get("progress") or []:
                item = dict(item)
                if item.get("note") is not None:
                    texts.append(item["note"])
                    item["note"] = 1
                notes.append(item)
            out["progress"] = notes
        elif record.get(name) is not None:
            texts.append(record[name])
            out[name] = 1
    return out, texts


def join_texts(kind: str, record: dict, texts, pos: int) -> int:
    """Fill RECORD's text slots in place from TEXTS[pos:] (None when withheld);
    returns the next position."""
    for name in TEXT_FIELDS.get(kind, ()):
        if name == "progress":
            progress = record.get("progress") or []
            if not isinstance(progress, list) or not all(isinstance(i, dict) for i in progress):
                raise CorruptBundle("a progress list in the bundle is malformed.")
            for item in progress:
                if item.get("note") == 1:
                    item["note"] = texts[pos] if texts is not None else None
                    pos += 1
        elif record.get(name) == 1:
            record[name] = texts[pos] if texts is not None else None
            pos += 1
        elif record.get(name) is not None:
            raise CorruptBundle("a text slot in the bundle is malformed; the file is damaged.")
    return pos


# --------------------------------------------------------------- columns


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_decimal_str(v) -> bool:
    return (
        isinstance(v, str)
        and v.isascii()
        and v.isdigit()
        and len(v) < 18
        and (v == "0" or not v.startswith("0"))
    )


def encode_column(values: list) -> dict:
    if len(values) > 1 and all(_is_decimal_str(v) for v in values):
        return {"dec": encode_column([int(v) for v in values])}
    if len(values) > 2 and all(_is_int(v) for v in values):
        deltas = [values[0]] + [b - a for a, b in itertools.pairwise(values)]
        return {"delta": _plain(deltas)}
    return _plain(values)


def _plain(values: list) -> dict:
    index: dict[bytes, int] = {}
    distinct = []
    for v in values:
        k = canonical(v)
        if k not in index:
            if len(index) >= len(ALPHABET):
                return {"v": values}
            index[k] = len(distinct)
            distinct.append(v)
    if len(distinct) >= len(values) and len(values) > 1:
        return {"v": values}
    return {"d": distinct, "s": "".join(ALPHABET[index[canonical(v)]] for v in values)}


def decode_column(col, n: int, depth: int = 0) -> list:
    """The N values of a column. Every length is checked against N before a
    value is made, so a short column cannot expand into millions of rows."""
    if not isinstance(col, dict) or len(col) == 0 or depth >= MAX_NESTING:
        raise CorruptBundle("a column in the bundle is malformed; the file is damaged.")
    if "dec" in col:
        return [str(v) for v in decode_column(col["dec"], n, depth + 1)]
    if "delta" in col:
        deltas = decode_column(col["delta"], n, depth + 1)
        out, total = [], 0
        for d in deltas:
            if not _is_int(d):
                raise CorruptBundle("a number column in the bundle is malformed.")
            total += d
            out.append(total)
        return out
    if "v" in col:
        values = col["v"]
        if not isinstance(values, list) or len(values) != n:
            raise CorruptBundle("a column in the bundle has the wrong length; the file is damaged.")
    elif "d" in col and "s" in col:
        distinct, s = col["d"], col["s"]
        if not isinstance(s, str) or len(s) != n or not isinstance(distinct, list):
            raise CorruptBundle("a column in the bundle has the wrong length; the file is damaged.")
        try:
            values = [distinct[_INDEX[c]] for c in s]
        except (KeyError, IndexError, TypeError):
            raise CorruptBundle("a column index in the bundle is malformed.") from None
        # each row gets its own copy of list/dict values
        if any(isinstance(v, (list, dict)) for v in distinct):
            values = [_copy(v) for v in values]
    else:
        raise CorruptBundle("a column in the bundle is malformed; the file is damaged.")
    if not isinstance(values, list) or len(values) != n:
        raise CorruptBundle("a column in the bundle has the wrong length; the file is damaged.")
    return values


_SCALARS = (str, int, float, bool, type(None))


def _copy(value):
    """A row's own copy of a decoded JSON value (a list of scalars: a shallow copy)."""
    if isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value):
        return list(value)
    return json.loads(canonical(value))


def _validate_column(kind: str, name: str, values: list) -> None:
    schema_cls = SCHEMAS[kind]
    field = schema_cls._declared_fields.get(name)
    if field is None or name == "origin":
        raise CorruptBundle(f"field {name!r} of {kind} is not on the shared allow-list.")
    if name in TEXT_FIELDS.get(kind, ()):
        return  # checked when texts are joined
    seen = set()
    for v in values:
        key = (type(v), v) if isinstance(v, _SCALARS) else canonical(v)
        if key in seen:
            continue
        seen.add(key)
        try:
            field.deserialize(v)
        except ValidationError as exc:
            raise CorruptBundle(
                f"field {name!r} of a {kind} record is not valid: {exc.messages}"
            ) from None


def _check_texts(kind: str, records: list[dict]) -> None:
    for rec in records:
        for name in TEXT_FIELDS.get(kind, ()):
            if name == "progress":
                for item in rec.get("progress") or []:
                    if not isinstance(item, dict) or set(item) - {"week", "note"}:
                        raise CorruptBundle("a progress note is not on the allow-list.")
                    if item.get("note") is not None and not isinstance(item["note"], str):
                        raise CorruptBundle("a progress note is not text.")
                    if not valid_week(item.get("week")):
                        raise CorruptBundle("a progress note's week is not an ISO week.")
            elif rec.get(name) is not None and not isinstance(rec[name], str):
                raise CorruptBundle(f"field {name!r} of a {kind} record is not text.")


REQUIRED = {
    kind: {n for n, f in schema._declared_fields.items() if f.required and n != "origin"}
    for kind, schema in SCHEMAS.items()
}


# ---------------------------------------------------------- skeleton v2


def encode_records(records: list[tuple[str, dict]]) -> tuple[bytes, list[str]]:
    """(skeleton bytes, texts) for records [(kind, shared record)], version 2.

    Kinds are written in name order; texts follow the same order (kind by
    kind, record by record)."""
    by_kind: dict[str, list[dict]] = {}
    texts_by_kind: dict[str, list[str]] = {}
    for kind, rec in records:
        if kind not in SCHEMAS:
            raise ValueError(f"unknown record kind {kind!r}")
        skel, t = split_texts(kind, rec)
        skel.pop("origin", None)
        by_kind.setdefault(kind, []).append(skel)
        texts_by_kind.setdefault(kind, []).extend(t)
    texts: list[str] = []
    skeleton = {}
    for kind in sorted(by_kind):
        rows = by_kind[kind]
        names = sorted({k for r in rows for k in r})
        skeleton[kind] = {
            "n": len(rows),
            "cols": {name: encode_column([r.get(name) for r in rows]) for name in names},
        }
        texts += texts_by_kind[kind]
    return canonical(skeleton), texts


def decode_records(
    skeleton_bytes: bytes, texts, origin: str, counts: dict
) -> list[tuple[str, dict]]:
    """Records [(kind, record)] from a v2 skeleton; TEXTS is the list of texts or
    None when withheld (every text becomes None). COUNTS is the signed header's
    {kind: n}, already capped: each kind must hold exactly that many rows, checked
    before any row is made."""
    try:
        skeleton = json.loads(skeleton_bytes)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CorruptBundle("the bundle's records cannot be read; the file is damaged.") from None
    if not isinstance(skeleton, dict):
        raise CorruptBundle("the bundle's records cannot be read; the file is damaged.")
    out: list[tuple[str, dict]] = []
    pos = 0
    for kind in sorted(skeleton):
        if kind not in SCHEMAS:
            raise CorruptBundle(f"record kind {kind!r} is not on the shared allow-list.")
        part = skeleton[kind]
        if (
            not isinstance(part, dict)
            or not _is_int(part.get("n"))
            or not isinstance(part.get("cols"), dict)
        ):
            raise CorruptBundle("the bundle's records cannot be read; the file is damaged.")
        n, cols = part["n"], part["cols"]
        if n != counts.get(kind, 0):
            raise CorruptBundle("a batch holds more or fewer records than its header says.")
        missing = REQUIRED[kind] - set(cols)
        if missing:
            raise CorruptBundle(f"{kind} records lack required fields {sorted(missing)}.")
        columns = {}
        for name, col in cols.items():
            values = decode_column(col, n)
            _validate_column(kind, name, values)
            columns[name] = values
        names = list(columns)
        rows = [dict(zip(names, vals)) for vals in zip(*columns.values())] if names else []
        for rec in rows:
            rec["origin"] = origin
            try:
                pos = join_texts(kind, rec, texts, pos)
            except IndexError:
                raise CorruptBundle("the bundle has fewer texts than records need.") from None
        _check_texts(kind, rows)
        out += [(kind, r) for r in rows]
    if texts is not None and pos != len(texts):
        raise CorruptBundle("the bundle has more texts than records need.")
    return out


# ------------------------------------------------------------- rows v1


def encode_rows_v1(records: list[tuple[str, dict]]) -> bytes:
    body: dict[str, list] = {}
    for kind, rec in records:
        rec = dict(rec)
        rec.pop("origin", None)
        body.setdefault(kind, []).append(rec)
    return canonical(body)


def decode_rows_v1(body_bytes: bytes, origin: str, counts: dict) -> list[tuple[str, dict]]:
    try:
        body = json.loads(body_bytes)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CorruptBundle("the bundle's records cannot be read; the file is damaged.") from None
    if not isinstance(body, dict):
        raise CorruptBundle("the bundle's records cannot be read; the file is damaged.")
    out = []
    for kind in sorted(body):
        if kind not in SCHEMAS or not isinstance(body[kind], list):
            raise CorruptBundle(f"record kind {kind!r} is not on the shared allow-list.")
        rows = body[kind]
        if len(rows) != counts.get(kind, 0):
            raise CorruptBundle("a batch holds more or fewer records than its header says.")
        if not all(isinstance(r, dict) for r in rows):
            raise CorruptBundle("the bundle's records cannot be read; the file is damaged.")
        names = {k for r in rows for k in r}
        for name in names:
            _validate_column(kind, name, [r.get(name) for r in rows if name in r])
        for r in rows:
            missing = REQUIRED[kind] - set(r)
            if missing:
                raise CorruptBundle(f"{kind} records lack required fields {sorted(missing)}.")
            r["origin"] = origin
        _check_texts(kind, rows)
        out += [(kind, r) for r in rows]
    return out
