"""`sauti demo`: a realistic multilingual node, built once."""

import json

from click.testing import CliRunner

from app.cli import main
from app.node import home


def test_demo_builds_a_rich_node_once(tmp_path):
    path = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--home", str(path), "--no-serve"])
    assert result.exit_code == 0, result.output
    for role in ("admin", "council", "facilitator", "analyst"):
        assert role in result.output
    db = home.open_home(path).connect()
    try:
        rows = list(db.query("SELECT language, locality, gender, age_band, groups FROM needs"))
    finally:
        db.close()
    assert len(rows) >= 200
    languages = {r["language"] for r in rows}
    assert len(languages) >= 6 and {"ar", "zh-Hans"} <= languages
    assert len({r["locality"] for r in rows}) >= 3
    assert len({r["gender"] for r in rows}) >= 3
    assert len({r["age_band"] for r in rows}) >= 5
    assert len({g for r in rows for g in json.loads(r["groups"])}) >= 4
    again = CliRunner().invoke(main, ["demo", "--home", str(path), "--no-serve"])
    assert again.exit_code == 0 and "Building" not in again.output
