"""PostgreSQL's locality levels of the roll-up (agg_levels, agg_paths: migration
sauti-aggregate m003): the SQL that folds cells into them, shared by the statement
triggers, the migration and aggregates.rebuild, and the SQL that reads one level.
SQLite keeps no levels: it cuts the paths at read time (db.path_prefix)."""


def add_paths(source: str) -> str:
    """PostgreSQL: the locality paths of SOURCE's cells into agg_paths."""
    return f"""
        INSERT INTO agg_paths(path, depth)
            SELECT DISTINCT v1, cardinality(string_to_array(v1, '/')) FROM {source}
            WHERE d1 = 1 AND d2 = 0
        ON CONFLICT (path) DO NOTHING"""


def fold_levels(source: str) -> str:
    """PostgreSQL: add the locality cells of SOURCE (d1, v1, d2, v2, needs,
    supporters) to agg_levels at every level above their own. Each path is cut
    once (every locality cell has its one-dimension cell, d2 = 0, beside it)."""
    return f"""
        INSERT INTO agg_levels(level, v1, d2, v2, needs, supporters)
            WITH up AS (
                SELECT p.v1, lv, sauti_prefix(p.v1, lv) AS cut
                FROM (SELECT DISTINCT v1 FROM {source} WHERE d1 = 1 AND d2 = 0) p,
                     generate_series(1, cardinality(string_to_array(p.v1, '/')) - 1) AS lv
            )
            SELECT up.lv, up.cut, s.d2, s.v2, sum(s.needs), sum(s.supporters)
            FROM {source} s JOIN up ON up.v1 = s.v1
            WHERE s.d1 = 1
            GROUP BY 1, 2, 3, 4
        ON CONFLICT(level, d2, v1, v2) DO UPDATE SET
            needs = agg_levels.needs + excluded.needs,
            supporters = agg_levels.supporters + excluded.supporters"""


# PostgreSQL: cells of one locality level (x d2) from agg_levels, plus those of the
# paths no deeper than the level (a district's own needs), which agg_levels leaves to
# agg_cells. Parameters: level, d2, d2, level.
CELLS_SQL = """
    SELECT v1, v2, sum(needs), sum(supporters) FROM (
        SELECT v1, v2, needs, supporters FROM agg_levels WHERE level = ? AND d2 = ?
        UNION ALL
        SELECT v1, v2, needs, supporters FROM agg_cells WHERE d1 = 1 AND d2 = ? AND v1 IN (
            SELECT path FROM agg_paths WHERE depth <= ?)
    ) AS cut GROUP BY v1, v2 HAVING sum(needs) > 0"""
