"""Attack 8: alerts got lost (an identity problem found while identifying a sender
raised none; the parent's own next successful push cleared them). Alerts are now
their own list, kept until an admin clears it: `sauti node show --json` (`alerts`),
the admin sync page (a CSRF-protected "clear" for admins), `sauti node alerts clear`."""

import json

from sync import http_push, inbox
from sync.errors import KeyChanged
from tests.conftest import LiveServer, add_user, csrf_token, login
from tests.engines import ENGINES
from tests.sync_helpers import Capturer, cli, enrol, node

from . import forge

pytestmark = ENGINES


def test_alerts_stay_until_an_admin_clears_them(family, tmp_path):
    # an identity problem found while identifying the sender: a known id, another key
    impostor = node(tmp_path / "i", "Impostor", "community", "KE/47/westlands/kangemi")
    cli("child", "add", "Impostor", "--key", (impostor / "node.pub").read_text(), "--home", family.region)
    Capturer(family.a).need(text="Kwanza")
    from .conftest import own_bundle

    region = family.local(family.region)
    try:
        inbox.receive(region, own_bundle(family.a))
        me = forge.identity(impostor)
        me["node_id"] = forge.identity(family.a)["node_id"]
        try:
            records = [("need", forge.need(1, me["locality"]))]
            inbox.receive(region, forge.bundle_of(me, [forge.batch(me, records)]))
            raise AssertionError("accepted")
        except KeyChanged:
            pass
    finally:
        region.close()
    assert [a["kind"] for a in family.alerts()] == ["key_changed"]

    # the region's own successful push to its parent keeps the alert
    nation = node(tmp_path / "n", "Kenya", "nation", "KE")
    enrol(nation, family.region, "Nairobi")
    server = LiveServer(nation).start()
    try:
        cli("parent", "set", server.url, "--key", (nation / "node.pub").read_text().strip(),
            "--home", family.region)
        region = family.local(family.region)
        try:
            assert http_push.push(region)["bundles"] >= 1
        finally:
            region.close()
    finally:
        server.stop()
    shown = json.loads(cli("node", "show", "--json", "--home", family.region).output)
    assert shown["last_error"] is None
    assert [(a["kind"], a["child"]) for a in shown["alerts"]] == [("key_changed", "Impostor")]

    # the admin page shows it; only an admin, with the form's CSRF token, clears it
    client = family.app.test_client()
    add_user(family.region, "clerk", "council")
    add_user(family.region, "boss", "admin")
    login(client, "clerk")
    assert client.post("/admin/sync/alerts/clear").status_code in (302, 400, 403)
    assert len(family.alerts()) == 1
    client = family.app.test_client()
    login(client, "boss")
    page = client.get("/admin/sync").get_data(as_text=True)
    assert "Impostor" in page and "/admin/sync/alerts/clear" in page
    assert client.post("/admin/sync/alerts/clear").status_code == 400  # no CSRF token
    assert len(family.alerts()) == 1
    token = csrf_token(client, "/admin/sync")
    assert client.post("/admin/sync/alerts/clear", data={"csrf_token": token}).status_code == 302
    assert family.alerts() == []


def test_the_cli_lists_and_clears_alerts(family):
    region = family.local(family.region)
    try:
        inbox.alert(region.db, "a test alert", "Kangemi")
    finally:
        region.close()
    assert "Kangemi" in cli("node", "alerts", "--home", family.region).output
    assert "cleared 1" in cli("node", "alerts", "clear", "--home", family.region).output
    assert "no alerts" in cli("node", "alerts", "--home", family.region).output
