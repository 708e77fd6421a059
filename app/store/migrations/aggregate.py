"""Tables of the aggregate feature area (migration set 'sauti-aggregate').

agg_cells            the maintained roll-up: needs and supporters for every value of
                     every base dimension (d2 = 0) and every pair of dimensions
                     (d1 < d2), over the node's own needs (hidden ones left out) and
                     the shared needs received from the subtree. Merged needs add
                     nothing: the need they were merged into already carries their
                     supporters. Kept exact by triggers on needs and shared_needs.
agg_snapshots        dated weekly snapshots (what the public sees when open_data is on)
agg_snapshot_cells   a copy of agg_cells per snapshot
agg_snapshot_fine    per snapshot, needs by locality, week, category, gender and age band
agg_levels           (PostgreSQL only) the locality cells of agg_cells (d1 = 1) summed at
                     every coarser level of their path: (level N, the path cut to N
                     segments, d2, v2) for N below the path's own depth. A national
                     node's district tables then read a hundred rows, not the
                     10^5-10^6 community cells; SQLite sums those at read time
                     (app.store.aggregates.cells).
agg_paths            (PostgreSQL only) every locality path counted since the last
                     rebuild, with its depth: the paths no deeper than a level, whose
                     cells a level's table takes from agg_cells as they are.
localities           the locality register: names per language, population, validity
"""

import sqlite_utils

from app.store.counting import NEEDS_COUNTED, SHARED_COUNTED
from app.store.db import is_postgres, run_script
from app.store.levels import add_paths, fold_levels

migrations = sqlite_utils.Migrations("sauti-aggregate")


def _values(r: str) -> str:
    """A subquery of (d, v): every dimension value of row R (NEW or OLD)."""
    return f"""(
        SELECT 1 AS d, {r}.locality AS v
        UNION ALL SELECT 2, {r}.category
        UNION ALL SELECT 3, CAST(value AS TEXT) FROM json_each({r}.goals)
        UNION ALL SELECT 4, {r}.gender
        UNION ALL SELECT 5, {r}.age_band
        UNION ALL SELECT 6, value FROM json_each(
            CASE WHEN json_array_length({r}.groups) = 0 THEN '["none"]' ELSE {r}.groups END)
        UNION ALL SELECT 7, {r}.channel
        UNION ALL SELECT 8, {r}.status
        UNION ALL SELECT 9, {r}.week)"""


def _apply(r: str, sign: str) -> str:
    """Statements adding (sign '+') or removing (sign '-') row R from agg_cells."""
    return f"""
        INSERT INTO agg_dims(d, v) SELECT d, v FROM {_values(r)};
        INSERT INTO agg_cells(d1, v1, d2, v2, needs, supporters)
            SELECT d1, v1, d2, v2, {sign}1, {sign}{r}.supporters FROM (
                SELECT a.d AS d1, a.v AS v1, b.d AS d2, b.v AS v2
                FROM agg_dims a JOIN agg_dims b ON a.d < b.d
                UNION ALL SELECT d, v, 0, '' FROM agg_dims)
            WHERE true
            ON CONFLICT(d1, d2, v1, v2) DO UPDATE SET
                needs = needs + excluded.needs, supporters = supporters + excluded.supporters;
        DELETE FROM agg_dims;"""


def _triggers(table: str, counted: str) -> str:
    """Triggers keeping agg_cells exact for TABLE; COUNTED(r) says if row r counts."""
    bulk = "NOT EXISTS (SELECT 1 FROM agg_bulk)"
    new, old = f"{counted.format(r='NEW')} AND {bulk}", f"{counted.format(r='OLD')} AND {bulk}"
    cols = "goals, groups, locality, category, gender, age_band, channel, supporters, status, week"
    if table == "needs":
        cols += ", hidden"
    return f"""
        CREATE TRIGGER agg_{table}_insert AFTER INSERT ON {table} WHEN {new}
        BEGIN {_apply("NEW", "+")} END;
        CREATE TRIGGER agg_{table}_delete AFTER DELETE ON {table} WHEN {old}
        BEGIN {_apply("OLD", "-")} END;
        CREATE TRIGGER agg_{table}_update_old AFTER UPDATE OF {cols} ON {table} WHEN {old}
        BEGIN {_apply("OLD", "-")} END;
        CREATE TRIGGER agg_{table}_update_new AFTER UPDATE OF {cols} ON {table} WHEN {new}
        BEGIN {_apply("NEW", "+")} END;
    """


def _pg_delta(signed: str, *, levels: bool) -> str:
    """PostgreSQL: one statement folding the rows of SIGNED (a SELECT of transition
    table rows with a sign column) into agg_cells, set-based (same values as
    _values), and into agg_levels when LEVELS (migration m003 on)."""
    fold = f"""
        WITH r AS (
            SELECT row_number() OVER () AS i, s.* FROM ({signed}) s
        ), v AS (
            SELECT i, 1 AS d, locality AS v FROM r
            UNION ALL SELECT i, 2, category FROM r
            UNION ALL SELECT i, 3, g FROM r, jsonb_array_elements_text(r.goals::jsonb) g
            UNION ALL SELECT i, 4, gender FROM r
            UNION ALL SELECT i, 5, age_band FROM r
            UNION ALL SELECT i, 6, g FROM r, jsonb_array_elements_text(
                CASE WHEN jsonb_array_length(r.groups::jsonb) = 0 THEN '["none"]'::jsonb
                     ELSE r.groups::jsonb END) g
            UNION ALL SELECT i, 7, channel FROM r
            UNION ALL SELECT i, 8, status FROM r
            UNION ALL SELECT i, 9, week FROM r
        ), cells AS (
            SELECT a.i, a.d AS d1, a.v AS v1, b.d AS d2, b.v AS v2
                FROM v a JOIN v b ON a.i = b.i AND a.d < b.d
            UNION ALL SELECT i, d, v, 0, '' FROM v
        ), delta AS (
            SELECT c.d1, c.v1, c.d2, c.v2, sum(r.sign) AS needs,
                   sum(r.sign * r.supporters) AS supporters
            FROM cells c JOIN r USING (i) GROUP BY c.d1, c.v1, c.d2, c.v2
        )"""
    into_cells = """
        INSERT INTO agg_cells(d1, v1, d2, v2, needs, supporters)
            SELECT d1, v1, d2, v2, needs, supporters FROM delta
        ON CONFLICT(d1, d2, v1, v2) DO UPDATE SET
            needs = agg_cells.needs + excluded.needs,
            supporters = agg_cells.supporters + excluded.supporters"""
    if not levels:
        return fold + into_cells
    return (
        f"{fold}, base AS ({into_cells} RETURNING 1), paths AS ({add_paths('delta')} RETURNING 1)"
        f"\n{fold_levels('delta')}"
    )


def _pg_functions(table: str, counted: str, *, levels: bool) -> dict[str, str]:
    """PostgreSQL: {operation: the statement trigger's function} for TABLE."""
    rows = "SELECT {sign} AS sign, {t}.* FROM {t} WHERE " + counted.format(r="{t}")
    signed = {
        "insert": rows.format(sign=1, t="new_rows"),
        "delete": rows.format(sign=-1, t="old_rows"),
        "update": rows.format(sign=-1, t="old_rows") + " UNION ALL "
                  + rows.format(sign=1, t="new_rows"),
    }  # fmt: skip
    return {
        op: f"""
        CREATE OR REPLACE FUNCTION agg_{table}_{op}() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM agg_bulk) THEN
                {_pg_delta(rows, levels=levels)};
            END IF;
            RETURN NULL;
        END $body$;"""
        for op, rows in signed.items()
    }


def _pg_triggers(table: str, counted: str) -> str:
    """PostgreSQL: the same roll-up kept by statement-level triggers over transition
    tables, so a COPY or an INSERT ... ON CONFLICT of many rows is folded in one pass."""
    referencing = {
        "insert": ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
        "delete": ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
        "update": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    }
    out = []
    for op, function in _pg_functions(table, counted, levels=False).items():
        event, ref = referencing[op]
        out.append(f"""{function}
        CREATE TRIGGER agg_{table}_{op} AFTER {event} ON {table} {ref}
            FOR EACH STATEMENT EXECUTE FUNCTION agg_{table}_{op}();""")
    return "\n".join(out)


@migrations()
def m001_rollups_snapshots_localities(db):
    run_script(
        db,
        """
        CREATE TABLE agg_cells (
            d1 INTEGER NOT NULL,
            v1 TEXT NOT NULL,
            d2 INTEGER NOT NULL,               -- 0: a one-dimension cell
            v2 TEXT NOT NULL,
            needs INTEGER NOT NULL,
            supporters INTEGER NOT NULL,
            PRIMARY KEY (d1, d2, v1, v2)
        ) WITHOUT ROWID;
        CREATE TABLE agg_dims (d INTEGER NOT NULL, v TEXT);  -- scratch space of the triggers
        -- A row here (only ever inside a bulk-load transaction) pauses the triggers;
        -- the bulk loader folds its rows in itself before it commits.
        CREATE TABLE agg_bulk (id INTEGER PRIMARY KEY CHECK (id = 1));
        CREATE TABLE agg_snapshots (
            as_of TEXT PRIMARY KEY,            -- ISO week YYYY-Www
            taken_at TEXT NOT NULL,
            k INTEGER NOT NULL,
            first_week TEXT,
            last_week TEXT,
            origins INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE agg_snapshot_cells (
            as_of TEXT NOT NULL REFERENCES agg_snapshots(as_of),
            d1 INTEGER NOT NULL,
            v1 TEXT NOT NULL,
            d2 INTEGER NOT NULL,
            v2 TEXT NOT NULL,
            needs INTEGER NOT NULL,
            supporters INTEGER NOT NULL,
            PRIMARY KEY (as_of, d1, d2, v1, v2)
        ) WITHOUT ROWID;
        CREATE TABLE localities (
            code TEXT NOT NULL,
            valid_from TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD or '' (always)
            valid_to TEXT,                        -- YYYY-MM-DD (exclusive) or NULL
            population INTEGER,
            names TEXT NOT NULL DEFAULT '{}',     -- JSON {language: name}
            imported_at TEXT NOT NULL,
            PRIMARY KEY (code, valid_from)
        );
        CREATE INDEX shared_needs_origin_agg ON shared_needs(origin);
        """,
    )
    triggers = _pg_triggers if is_postgres(db) else _triggers
    run_script(db, triggers("needs", NEEDS_COUNTED) + triggers("shared_needs", SHARED_COUNTED))
    # Existing rows: fold them in once (same rules as the triggers).
    from app.store.aggregates import rebuild

    rebuild(db)


@migrations()
def m002_snapshot_breakdowns(db):
    """The finest published grain per snapshot (locality, week, category, gender,
    age band), frozen with the snapshot so the national-system exports of a
    snapshot (app.exports) agree with its aggregates; `fine` marks snapshots
    that have it (ones taken before this migration do not)."""
    run_script(
        db,
        """
        ALTER TABLE agg_snapshots ADD COLUMN fine INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE agg_snapshot_fine (
            as_of TEXT NOT NULL REFERENCES agg_snapshots(as_of),
            locality TEXT NOT NULL,
            week TEXT NOT NULL,
            category TEXT NOT NULL,
            gender TEXT NOT NULL,
            age_band TEXT NOT NULL,
            needs INTEGER NOT NULL,
            supporters INTEGER NOT NULL,
            PRIMARY KEY (as_of, locality, week, category, gender, age_band)
        ) WITHOUT ROWID;
        """,
    )


@migrations()
def m003_locality_levels(db):
    """PostgreSQL: agg_levels, filled from agg_cells and kept by the same statement
    triggers. SQLite keeps no such table: its per-row triggers would do half as
    much work again on every need, and it sums the levels at read time."""
    if not is_postgres(db):
        return
    run_script(
        db,
        """
        CREATE FUNCTION sauti_prefix(path TEXT, n INTEGER) RETURNS TEXT
            IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
            AS $$ SELECT array_to_string((string_to_array($1, '/'))[1 : $2], '/') $$;
        CREATE TABLE agg_paths (path TEXT PRIMARY KEY, depth INTEGER NOT NULL);
        CREATE TABLE agg_levels (
            level INTEGER NOT NULL,            -- N: v1 is a locality path cut to N segments
            v1 TEXT NOT NULL,
            d2 INTEGER NOT NULL,
            v2 TEXT NOT NULL,
            needs INTEGER NOT NULL,
            supporters INTEGER NOT NULL,
            PRIMARY KEY (level, d2, v1, v2)
        );
        """
        + fold_levels("agg_cells")
        + ";"
        + add_paths("agg_cells")
        + ";"
        + "".join(
            function
            for table, counted in (("needs", NEEDS_COUNTED), ("shared_needs", SHARED_COUNTED))
            for function in _pg_functions(table, counted, levels=True).values()
        ),
    )
