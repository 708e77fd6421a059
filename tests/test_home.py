"""Node homes: init, permissions, migrations (upgrade in place, refuse newer)."""

import stat

import pytest

from app.node import home
from app.store import db as dbmod
from app.store import migrations
from app.store.migrations import core

from .conftest import make_home


def test_init_creates_keys_db_and_owner_only_secrets(tmp_path):
    path = make_home(tmp_path / "n")
    for name in ("sauti.db", "node.key", "node.pub", "secret_key"):
        assert (path / name).is_file()
    for name in ("node.key", "secret_key"):
        assert stat.S_IMODE((path / name).stat().st_mode) == 0o600
    db = home.open_home(path).connect()
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert migrations.pending(db) == []
    finally:
        db.close()


def test_init_refuses_non_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("keep me")
    with pytest.raises(home.HomeError, match="not empty"):
        make_home(tmp_path / "x")
    assert (tmp_path / "x" / "file").read_text() == "keep me"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"level": "village"}, "level must be one of"),
        ({"locality": "KE//47"}, "is not a code"),
        ({"locality": "/KE"}, "is not a code"),
        ({"country": "Kenya"}, "--country"),
        ({"name": "  "}, "needs a name"),
    ],
)
def test_init_rejects_bad_values(tmp_path, kwargs, message):
    with pytest.raises(home.HomeError, match=message):
        make_home(tmp_path / "n", **kwargs)
    assert not (tmp_path / "n" / "sauti.db").exists()


def test_older_home_is_upgraded_in_place(tmp_path):
    """A home written when only the core tables existed gains every later table."""
    import shutil

    from app.store import node as node_store

    new = make_home(tmp_path / "new")
    old = tmp_path / "old"
    old.mkdir()
    for name in ("node.key", "node.pub", "secret_key"):
        shutil.copy2(new / name, old / name)
    db = dbmod.connect(old / "sauti.db")
    core.migrations.apply(db)
    source = dbmod.connect(new / "sauti.db")
    row = node_store.get(source)
    source.close()
    row.pop("id")
    node_store.create(db, **row)
    assert migrations.pending(db) and "meetings" not in db.table_names()
    db.close()

    home.open_home(old)
    db = dbmod.connect(old / "sauti.db")
    try:
        assert migrations.pending(db) == []
        assert "meetings" in db.table_names()
        assert "meeting_id" in db["needs"].columns_dict
        assert node_store.get(db)["name"] == "Kangemi"
    finally:
        db.close()


def test_newer_home_is_refused_with_a_clear_message(tmp_path):
    path = make_home(tmp_path / "n")
    db = dbmod.connect(path / "sauti.db")
    db["_sqlite_migrations"].insert(
        {"migration_set": "sauti-core", "name": "m999_from_the_future", "applied_at": "2030-01-01"}
    )
    db.close()
    with pytest.raises(home.HomeError, match="newer version of Sauti"):
        home.open_home(path)


def test_missing_home_says_how_to_create_one(tmp_path):
    with pytest.raises(home.HomeError, match="sauti init"):
        home.open_home(tmp_path / "nowhere")


def test_every_migration_set_is_listed_once():
    names = [s.name for s in migrations.SETS]
    assert len(names) == len(set(names))
    assert names[0] == core.migrations.name


def test_fingerprint_is_grouped_hex():
    fp = home.fingerprint("A" * 43 + "=")
    assert len(fp.replace(" ", "")) == 16
    assert [len(g) for g in fp.split(" ")] == [4, 4, 4, 4]
