"""The two-engine suite (tests/engines.py) cannot quietly run one engine twice."""

import ast
from pathlib import Path

import pytest

from app.node import home
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS
TESTS = Path(__file__).resolve().parent


def test_module_fixtures_of_two_engine_modules_take_the_engine():
    """A module-scoped fixture that makes homes is made once per engine only if it
    takes `engine`; otherwise the [postgresql] run would reuse the SQLite home."""
    missing = []
    for path in sorted(TESTS.rglob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        if "tests.engines import" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef):
                continue
            scoped = any("scope" in ast.unparse(d) and "function" not in ast.unparse(d)
                         for d in node.decorator_list)  # fmt: skip
            makes_homes = "make_home" in ast.unparse(node) or "init_home" in ast.unparse(node)
            if scoped and makes_homes and "engine" not in [a.arg for a in node.args.args]:
                missing.append(f"{path.name}::{node.name}")
    assert missing == []


def test_each_run_is_on_its_engine(node_home, engine):
    """[postgresql] homes keep their store in PostgreSQL, [sqlite] ones in the file."""
    made = home.Home(node_home)
    assert (made.address is not None) == (engine == "postgresql")
    assert made.db_path.exists() == (engine == "sqlite")
    db = made.connect()
    try:
        assert getattr(db, "engine", "sqlite") == engine
    finally:
        db.close()


@pytest.mark.parametrize("bad", ["sqlite:///x.db", "mysql://u@h/db", "/var/lib/sauti.db"])
def test_init_refuses_what_is_not_a_postgresql_address(tmp_path, bad):
    with pytest.raises(home.HomeError, match="is not a PostgreSQL address"):
        home.init_home(tmp_path / "h", name="N", level="nation", locality="KE", database=bad)
    assert not (tmp_path / "h").exists()


def test_a_store_written_by_a_newer_sauti_is_refused(node_home):
    """Both engines: a migration this version does not know means a newer Sauti wrote it."""
    db = home.Home(node_home).connect()
    try:
        db.execute(
            "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES (?, ?, ?)",
            ["sauti-core", "m999_from_the_future", "2030-01-01"],
        )
    finally:
        db.close()
    with pytest.raises(home.HomeError, match="written by a newer version of Sauti"):
        home.open_home(node_home)


def test_init_refuses_a_database_that_is_not_empty(tmp_path, node_home, engine):
    if engine != "postgresql":
        pytest.skip("the SQLite file is always new")
    address = home.Home(node_home).address
    with pytest.raises(home.HomeError, match="not empty"):
        home.init_home(tmp_path / "h2", name="N", level="nation", locality="KE", database=address)
    assert not (tmp_path / "h2").exists()


def test_doctor_checks_the_store_of_either_engine(node_home, engine):
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "doctor", "--offline", "--home", str(node_home)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    line = next(ln for ln in done.stdout.splitlines() if "database" in ln)
    assert "Traceback" not in done.stderr
    if engine == "postgresql":
        assert "PostgreSQL database answers" in line
    else:
        assert "passed SQLite's integrity check" in line
