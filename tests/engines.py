"""Run a test module on both store engines: SQLite and PostgreSQL.

A module opts in with `pytestmark = ENGINES` (parents on PostgreSQL: homes made
by make_home() at a level above community) or `ENGINES_ALL_LEVELS` (every home).
Its tests then run twice, `[sqlite]` and `[postgresql]`; module-scoped fixtures
that make homes must take the `engine` fixture so they are made once per engine.

The PostgreSQL server is the one SAUTI_TEST_PG names (an address of a database
the tests may CREATE DATABASE from); scripts/test starts a throwaway cluster and
sets it. Without it: outside CI the [postgresql] tests are skipped and one line
at the end says so; under CI=true they fail.

SAUTI_TEST_ENGINE=postgresql puts every home of every test on PostgreSQL (a
sweep for what a page or command does differently there; not part of CI).
"""

import itertools
import os
import uuid

import pytest

PG_ADMIN = os.environ.get("SAUTI_TEST_PG", "")
IN_CI = os.environ.get("CI") == "true"
ENGINES = [pytest.mark.engines, pytest.mark.usefixtures("engine")]
ENGINES_ALL_LEVELS = [pytest.mark.engines(all_levels=True), pytest.mark.usefixtures("engine")]

CURRENT = {"name": "sqlite", "all_levels": False}
CREATED: list[str] = []
SKIPPED: list[str] = []
_numbers = itertools.count(1)


def generate(metafunc) -> None:
    if metafunc.definition.get_closest_marker("engines") and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True, scope="module")


def _address(dbname: str) -> str:
    """The postgresql:// address of DBNAME on the server PG_ADMIN names."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(PG_ADMIN)
    params.pop("dbname", None)
    user = params.pop("user", "")
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"postgresql://{user + '@' if user else ''}/{dbname}" + (f"?{query}" if query else "")


def new_database(template: str | None = None) -> str:
    """A fresh database on the test server (empty, or a copy of TEMPLATE's); its
    postgresql:// address. Its name is unique across the pytest-xdist workers sharing
    the server (each is its own process: the pid) and across runs (a random part)."""
    import psycopg

    name = f"sauti_t{os.getpid()}_{next(_numbers)}_{uuid.uuid4().hex[:6]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    CREATED.append(name)
    return _address(name)


def database_for(level: str) -> str | None:
    """The --database a home at LEVEL gets under the current engine (None: SQLite)."""
    if os.environ.get("SAUTI_TEST_ENGINE") == "postgresql" and PG_ADMIN:
        return new_database()
    if CURRENT["name"] != "postgresql":
        return None
    if level == "community" and not CURRENT["all_levels"]:
        return None
    return new_database()


@pytest.fixture(scope="module")
def engine(request):
    name = request.param
    if name == "postgresql" and not PG_ADMIN:
        if IN_CI:
            pytest.fail("CI=true but SAUTI_TEST_PG is not set: scripts/test starts the cluster.")
        SKIPPED.append(request.node.nodeid)
        pytest.skip("no PostgreSQL server (SAUTI_TEST_PG unset; scripts/test starts one)")
    marker = request.node.get_closest_marker("engines")
    CURRENT.update(name=name, all_levels=bool(marker and marker.kwargs.get("all_levels")))
    yield name
    CURRENT.update(name="sqlite", all_levels=False)


def drop_created() -> None:
    """Drop the databases this run (this worker) created, best effort. Not on the
    throwaway cluster of scripts/test (SAUTI_TEST_PG_THROWAWAY=1), which is removed
    whole right after: on PostgreSQL 15 every DROP DATABASE waits for a checkpoint,
    and dropping a full run's databases one by one took minutes."""
    if not CREATED or not PG_ADMIN or os.environ.get("SAUTI_TEST_PG_THROWAWAY") == "1":
        return
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in CREATED:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:
        pass


def copy_home(source, dest):
    """A copy of node home SOURCE at DEST; a PostgreSQL store is copied too (a new
    database made from SOURCE's as its template), so the copy is independent."""
    import shutil
    from pathlib import Path

    dest = Path(shutil.copytree(source, dest))
    address_file = dest / "database"
    if address_file.exists():
        from psycopg.conninfo import conninfo_to_dict

        original = conninfo_to_dict(address_file.read_text().strip())["dbname"]
        address_file.write_text(new_database(template=original) + "\n")
    return dest
