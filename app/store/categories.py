"""The node's need categories: code, linked SDG goals, pictogram.

Defaults (schema/categories.py) are seeded by the capture migration; a node
may add its own, which carry their own label (defaults are translated from
app.i18n.labels.CATEGORIES instead). A category is never deleted, only retired
(active = 0): old needs keep pointing at it.
"""

import json
import re

from schema.categories import Category

from .db import all_rows, one, write

CODE_RE = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
ICON_RE = re.compile(r"^[a-z0-9-]{1,40}\.svg$")
MAX_LABEL = 60


def _row(row: dict) -> dict:
    row["goals"] = json.loads(row["goals"])
    row["labels"] = json.loads(row.get("labels") or "{}")
    row["active"] = bool(row["active"])
    return row


def rows(db, *, include_retired: bool = False) -> list[dict]:
    """Every category as a dict (code, goals, icon, label, position, active), in order."""
    where = "" if include_retired else "WHERE active = 1"
    return [
        _row(r) for r in all_rows(db, f"SELECT * FROM categories {where} ORDER BY position, code")
    ]


def table(db) -> dict[str, Category]:
    """The active categories as the schema wants them (code -> Category)."""
    return {r["code"]: Category(r["code"], tuple(r["goals"]), r["icon"]) for r in rows(db)}


def get(db, code: str) -> dict | None:
    row = one(db, "SELECT * FROM categories WHERE code = ?", [code])
    return _row(row) if row else None


def save(
    db,
    code: str,
    *,
    goals: list[int],
    label: str | None = None,
    icon: str = "cat-other.svg",
    active: bool = True,
) -> dict:
    """Add a category or change one (goals, label, icon, active)."""
    if not CODE_RE.match(code):
        raise ValueError("a category code is 2-32 lower-case letters, digits, - or _")
    if any(not isinstance(g, int) or not 1 <= g <= 17 for g in goals):
        raise ValueError("goals are SDG numbers from 1 to 17")
    if not ICON_RE.match(icon):
        raise ValueError("an icon is one of the pictograms in app/static/icons")
    with write(db):
        position = one(db, "SELECT coalesce(max(position), -1) + 1 AS p FROM categories")["p"]
        db.execute(
            """INSERT INTO categories(code, goals, icon, label, position, active)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(code) DO UPDATE SET goals = excluded.goals, icon = excluded.icon,
                   label = excluded.label, active = excluded.active""",
            [code, json.dumps(sorted(set(goals))), icon, label, position, int(active)],
        )
    return get(db, code)


def set_labels(db, code: str, labels: dict[str, str]) -> None:
    """Set the category's name per language (an empty name removes that language)."""
    clean = {lang: text.strip() for lang, text in labels.items() if text and text.strip()}
    if any(len(text) > MAX_LABEL for text in clean.values()):
        raise ValueError(f"a category name is at most {MAX_LABEL} characters")
    with write(db):
        db.execute(
            "UPDATE categories SET labels = ? WHERE code = ?",
            [json.dumps(clean, ensure_ascii=False, sort_keys=True), code],
        )


def set_icon(db, code: str, icon: str) -> None:
    if not ICON_RE.match(icon):
        raise ValueError("an icon is one of the pictograms in app/static/icons")
    with write(db):
        db.execute("UPDATE categories SET icon = ? WHERE code = ?", [icon, code])


def set_active(db, code: str, active: bool) -> None:
    """Retire (or bring back) a category: it is never deleted, needs keep it."""
    with write(db):
        db.execute("UPDATE categories SET active = ? WHERE code = ?", [int(active), code])


def in_use(db, code: str) -> int:
    """How many needs point at CODE."""
    return one(db, "SELECT count(*) AS n FROM needs WHERE category = ?", [code])["n"]
