"""Counts for the council dashboard, the meeting report and the public board.

Needs counted are the node's own visible needs (hidden kiosk needs waiting
for review are not); a merged need is not counted, its supporters are (in the
need it was merged into). A need counts once under each of its Goals and
groups (no group: "none"), as in the contract's aggregates.
"""

from schema.weeks import month_of

from .counting import NEEDS_COUNTED
from .db import all_rows

COUNTED = NEEDS_COUNTED.format(r="needs")

_DIMENSIONS = {
    "category": f"SELECT category AS key, count(*) AS needs, sum(supporters) AS supporters "
    f"FROM needs WHERE {COUNTED} GROUP BY category",
    "locality": f"SELECT locality AS key, count(*) AS needs, sum(supporters) AS supporters "
    f"FROM needs WHERE {COUNTED} GROUP BY locality",
    "gender": f"SELECT gender AS key, count(*) AS needs, sum(supporters) AS supporters "
    f"FROM needs WHERE {COUNTED} GROUP BY gender",
    "age_band": f"SELECT age_band AS key, count(*) AS needs, sum(supporters) AS supporters "
    f"FROM needs WHERE {COUNTED} GROUP BY age_band",
    "status": "SELECT status AS key, count(*) AS needs, sum(supporters) AS supporters "
    "FROM needs WHERE hidden = 0 GROUP BY status",
    "goal": f"SELECT g.value AS key, count(*) AS needs, sum(n.supporters) AS supporters "
    f"FROM needs n, json_each(n.goals) g WHERE {NEEDS_COUNTED.format(r='n')} "
    f"GROUP BY g.value",
    "group": f"SELECT coalesce(g.value, 'none') AS key, count(*) AS needs, "
    f"sum(n.supporters) AS supporters FROM needs n LEFT JOIN json_each(n.groups) g ON true "
    f"WHERE {NEEDS_COUNTED.format(r='n')} GROUP BY coalesce(g.value, 'none')",
}
DIMENSIONS = tuple(_DIMENSIONS)


def counts(db, dimension: str) -> list[dict]:
    """[{"key", "needs", "supporters"}] for one DIMENSION, largest first."""
    rows = all_rows(db, _DIMENSIONS[dimension])
    if dimension == "goal":  # JSON numbers: SQLite gives ints, PostgreSQL's jsonb text
        rows = [dict(r, key=int(r["key"])) for r in rows]
    rows.sort(key=lambda r: (-r["needs"], str(r["key"])))
    return rows


def by_month(db) -> list[dict]:
    """[{"key": "YYYY-MM", "needs", "supporters"}] in month order."""
    rows = all_rows(
        db,
        f"SELECT week, count(*) AS needs, sum(supporters) AS supporters FROM needs "
        f"WHERE {COUNTED} GROUP BY week",
    )
    months: dict[str, dict] = {}
    for row in rows:
        month = month_of(row["week"])
        cell = months.setdefault(month, {"key": month, "needs": 0, "supporters": 0})
        cell["needs"] += row["needs"]
        cell["supporters"] += row["supporters"]
    return [months[m] for m in sorted(months)]


def attendance(db, dimension: str) -> list[dict]:
    """Meeting attendance summed by "gender" or "age_band": [{"key", "people"}]."""
    column = {"gender": "gender", "age_band": "age_band"}[dimension]
    return all_rows(
        db,
        f"SELECT {column} AS key, sum(count) AS people FROM meeting_attendance "
        f"GROUP BY {column} HAVING sum(count) > 0 ORDER BY sum(count) DESC, {column}",
    )


def meetings_in(db, start: str, end: str) -> list[dict]:
    """Meetings dated START..END (YYYY-MM-DD, inclusive) with needs and attendance."""
    return all_rows(
        db,
        """SELECT m.id, m.title, m.locality, m.date, m.status,
                  (SELECT count(*) FROM needs WHERE meeting_id = m.id AND hidden = 0) AS needs,
                  (SELECT coalesce(sum(count), 0) FROM meeting_attendance
                   WHERE meeting_id = m.id) AS attendance
           FROM meetings m WHERE m.date BETWEEN ? AND ? ORDER BY m.date, m.id""",
        [start, end],
    )


def meeting_before(db, meeting: dict) -> dict | None:
    rows = all_rows(
        db,
        "SELECT * FROM meetings WHERE (date < ?) OR (date = ? AND id < ?) "
        "ORDER BY date DESC, id DESC LIMIT 1",
        [meeting["date"], meeting["date"], meeting["id"]],
    )
    return rows[0] if rows else None


def need_decisions(db, start: str, end: str) -> list[dict]:
    """Status changes of visible needs recorded between START and END (ISO times)."""
    rows = all_rows(
        db,
        "SELECT h.at, h.changes, n.ref, n.category FROM need_history h "
        "JOIN needs n ON n.id = h.need_id WHERE h.action = 'status' AND n.hidden = 0 "
        "AND h.at >= ? AND h.at < ? ORDER BY h.at, h.id",
        [start, end],
    )
    return rows


def priority_decisions(db, start: str, end: str) -> list[dict]:
    return all_rows(
        db,
        "SELECT h.at, h.action, h.changes, p.title, p.id AS priority_id FROM priority_history h "
        "JOIN priorities p ON p.id = h.priority_id WHERE h.at >= ? AND h.at < ? "
        "ORDER BY h.at, h.id",
        [start, end],
    )


def needs_with_status(db, *, page: int, per_page: int, ref: str | None = None):
    """Visible needs for the public board: (rows, total), newest first."""
    where, params = ["n.hidden = 0"], []
    if ref:
        where.append("n.ref = ?")
        params.append(ref)
    clause = " AND ".join(where)
    total = all_rows(db, f"SELECT count(*) AS n FROM needs n WHERE {clause}", params)[0]["n"]
    rows = all_rows(
        db,
        f"SELECT n.id, n.ref, n.text, n.text_checked, n.language, n.category, n.status, "
        f"n.respondent_name, n.respondent_contact, n.merged_into, m.ref AS merged_into_ref, pn.priority_id "
        f"FROM needs n LEFT JOIN needs m ON m.id = n.merged_into "
        f"LEFT JOIN priority_needs pn ON pn.need_id = n.id "
        f"WHERE {clause} ORDER BY n.id DESC LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    return rows, total


def respondent_names(db, priority_id: int) -> list[str]:
    """Respondent names of the needs a priority groups (and those merged into them),
    so that public texts of the priority can be scrubbed of them."""
    rows = all_rows(
        db,
        """WITH RECURSIVE ev(id) AS (
               SELECT need_id FROM priority_needs WHERE priority_id = ?
               UNION SELECT n.id FROM needs n JOIN ev ON n.merged_into = ev.id
           )
           SELECT DISTINCT n.respondent_name FROM ev JOIN needs n ON n.id = ev.id
           WHERE n.respondent_name IS NOT NULL AND n.respondent_name != ''""",
        [priority_id],
    )
    return [r["respondent_name"] for r in rows]


def all_respondent_names(db) -> list[str]:
    """Every distinct respondent name stored on the node."""
    rows = all_rows(
        db,
        "SELECT DISTINCT respondent_name AS name FROM needs "
        "WHERE respondent_name IS NOT NULL AND respondent_name != ''",
    )
    return [r["name"] for r in rows]
