"""Checking the rows of a paper-forms file (plain functions, no request needed):
each row as an API body, validated with the need schema, and its state against
the database and the rows before it ("new", "known", "repeat", "invalid").

Rows are keyed by their uuid column, else by a uuid5 of the normalized row plus
its occurrence number in the file: importing the same file twice stores nothing
new, and two identical rows are two needs.
"""

import json
import re
import uuid as uuidlib

from flask_babel import gettext as _
from marshmallow import ValidationError

from app.store import intake
from schema.need import NeedInSchema, submission_hash

from .paper_csv import COLUMNS, clean_cell

NAMESPACE = uuidlib.UUID("5a0d1e2c-0b7e-4f51-9a43-706170657201")  # Sauti paper rows
YES = {"yes", "y", "true", "1", "x", "✓", "✔", "on"}
NO = {"no", "n", "false", "0", "off", "-"}
SPLIT = re.compile(r"[\s;,]+")


def _list(value: str) -> list[str]:
    return [v for v in SPLIT.split(value) if v]


def canonical_tag(tag: str) -> str:
    """A BCP 47 tag in its usual case: sw, zh-Hans, pt-BR (typed any way)."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _bool(value: str):
    low = value.lower()
    if low in YES or low == _("yes").lower():
        return True
    if not low or low in NO or low == _("no").lower():
        return False
    return value  # the schema reports it


def row_data(cells: dict[str, str], default_language: str) -> dict:
    """A row as an API body (without uuid when the row has none)."""
    c = {k: clean_cell(v) for k, v in cells.items() if k in COLUMNS}
    data = {
        "text": c.get("text", ""),
        "language": canonical_tag(c.get("language") or default_language),
    }
    if c.get("uuid"):
        data["uuid"] = c["uuid"].lower()
    for key in ("category", "gender", "age_band"):
        if c.get(key):
            data[key] = c[key].lower()
    if c.get("locality"):
        data["locality"] = c["locality"]
    if c.get("goals"):
        data["goals"] = [int(g) if g.isascii() and g.isdigit() else g for g in _list(c["goals"])]
    if c.get("groups"):
        data["groups"] = [g.lower() for g in _list(c["groups"])]
    if c.get("supporters"):
        s = c["supporters"]
        data["supporters"] = int(s) if s.isascii() and s.isdigit() else s
    respondent = {k: c[f"respondent_{k}"] for k in ("name", "contact") if c.get(f"respondent_{k}")}
    if respondent:
        data["respondent"] = respondent
    if "consent" in c:
        data["consent"] = _bool(c["consent"])
    if c.get("captured_at"):
        data["captured_at"] = c["captured_at"]
    data["channel"] = "paper"
    return data


def row_key(data: dict) -> str:
    """The normalized row (NFC, trimmed, codes lowercased) as one string."""
    keyed = {k: v for k, v in data.items() if k != "uuid"}
    keyed["language"] = str(keyed.get("language", "")).lower()
    return json.dumps(keyed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def assign_uuids(rows: list[dict]) -> None:
    """Give each row without a uuid one derived from its content and occurrence."""
    seen: dict[str, int] = {}
    for data in rows:
        if "uuid" in data:
            continue
        key = row_key(data)
        seen[key] = seen.get(key, 0) + 1
        data["uuid"] = str(uuidlib.uuid5(NAMESPACE, f"{key}\n{seen[key]}"))


def _flatten(messages, column: str = "") -> list[tuple[str, str]]:
    """Marshmallow's nested messages as [(CSV column, message)]."""
    if isinstance(messages, list):
        return [pair for item in messages for pair in _flatten(item, column)]
    if not isinstance(messages, dict):
        return [(column, str(messages))]
    out = []
    for key, value in messages.items():
        if isinstance(key, int) or key == "_schema":
            sub = column  # an item of a list, or the whole object
        elif column == "respondent":
            sub = f"respondent_{key}"
        else:
            sub = str(key)
        out += _flatten(value, sub)
    return out


def analyse(
    rows: list[tuple[int, dict]], db, node_locality: str, default_language: str, categories=None
):
    """Validate every row; returns a list of dicts: number, data, state
    ("new", "known", "repeat", "invalid"), errors [(column, message)], text."""
    schema = NeedInSchema(node_locality=node_locality, categories=categories)
    datas = [row_data(cells, default_language) for _n, cells in rows]
    assign_uuids(datas)
    loaded = []
    for (number, cells), data in zip(rows, datas, strict=True):
        result = {"number": number, "data": data, "errors": [], "state": "invalid"}
        result["text"] = data.get("text", "")
        result["category"] = data.get("category", "other")
        result["language"] = data.get("language", "")
        if "_extra" in cells:
            result["errors"].append(("", _("This row has more cells than the header row.")))
        try:
            need = schema.load(data)
        except ValidationError as exc:
            result["errors"] += _flatten(exc.messages)
            need = None
        result["hash"] = submission_hash(need) if need else None
        result["uuid"] = need["uuid"] if need else None
        loaded.append(result)
    stored = intake.submission_hashes(db, [r["uuid"] for r in loaded if r["uuid"]])
    first_in_file: dict[str, dict] = {}
    for r in loaded:
        if r["errors"]:
            continue
        uuid = r["uuid"]
        earlier = first_in_file.get(uuid)
        if earlier is not None:
            if earlier["hash"] == r["hash"]:
                r["state"] = "repeat"
                r["same_as"] = earlier["number"]
            else:
                r["errors"].append(
                    (
                        "uuid",
                        _(
                            "Row %(row)d has the same uuid with other content.",
                            row=earlier["number"],
                        ),
                    )
                )
            continue
        first_in_file[uuid] = r
        if uuid in stored:
            if stored[uuid] == r["hash"]:
                r["state"] = "known"
            else:
                r["errors"].append(("uuid", _("This uuid was already used for a different need.")))
        else:
            r["state"] = "new"
    return loaded
