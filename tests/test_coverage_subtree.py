"""Coverage at a nation: every reporting unit of a three-level tree (community ->
region -> nation, by sealed files), with its last data, freshness and share of
expected reports; the relay region is never "Needs held 0"."""

import datetime as dt
import re

from app.aggregate import coverage
from app.node import home
from tests.engines import ENGINES

from .conftest import add_token
from .sync_helpers import Capturer, cli, enrol, node

pytestmark = ENGINES


def test_a_nation_sees_every_community_of_its_tree(tmp_path):
    nation = node(tmp_path / "nation", "Kenya", "nation", "KE")
    region = node(tmp_path / "region", "Nairobi", "region", "KE/47")
    a = node(tmp_path / "a", "Kangemi", "community", "KE/47/kangemi", share_text="never")
    b = node(tmp_path / "b", "Kawangware", "community", "KE/47/kawangware", share_text="never")
    enrol(region, a, "Kangemi")
    enrol(region, b, "Kawangware")
    enrol(nation, region, "Nairobi")
    for path, n in ((a, 3), (b, 2)):
        capturer = Capturer(path)
        for i in range(n):
            capturer.need(captured_at=f"2026-03-0{2 + i}T09:00:00+03:00")
    for child, parent in ((a, region), (b, region), (region, nation)):
        out = tmp_path / f"{child.name}.sauti"
        cli("sync", "export", out, "--home", child)
        cli("sync", "import", out, "--home", parent)

    db = home.open_home(nation).connect()
    try:
        units = coverage.units(db, dt.date(2026, 3, 20))
    finally:
        db.close()
    by_loc = {u["locality"]: u for u in units}
    assert set(by_loc) == {"KE/47", "KE/47/kangemi", "KE/47/kawangware"}
    kangemi = by_loc["KE/47/kangemi"]
    assert kangemi["needs"] == 3 and kangemi["last_week"] == "2026-W10"
    assert kangemi["weeks_since"] == 2 and kangemi["expected"] == 3 and kangemi["reported"] == 1
    assert by_loc["KE/47/kawangware"]["needs"] == 2
    relay = by_loc["KE/47"]
    assert relay["relay"] and relay["subtree_needs"] == 5

    from app.factory import create_app

    app = create_app({"HOME": nation, "TESTING": True})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {add_token(nation, 'ana', 'analyst')}"}
    page = client.get("/aggregate/coverage", headers=headers)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "KE/47/kangemi" in text and "KE/47/kawangware" in text
    children = text[text.index('id="coverage-table"'):text.index('id="units-table"')]
    assert re.search(r'<td class="num">5 <small>', children)  # the relay, with its subtree
    assert not re.search(r'<td class="num">0</td><td class="num">', children)
