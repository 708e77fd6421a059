"""End to end with real servers on 127.0.0.1: two communities -> region -> nation,
one by HTTP push, one by sealed file; replays, rejections, a parent that is down,
clones and restored nodes."""

import shutil

import pytest

from tests.conftest import LiveServer
from tests.engines import ENGINES
from tests.sync_helpers import Capturer, cli, counts, enrol, node, node_id, public_key, query, sauti

pytestmark = [pytest.mark.slow, *ENGINES]


def captured(path) -> tuple[int, int]:
    [(n, s)] = query(path, "SELECT count(*), coalesce(sum(supporters), 0) FROM needs")
    return n, s


def received_records(path) -> int:
    return query(path, "SELECT count(*) FROM received_records")[0][0]


def pending(path) -> int:
    import json

    return json.loads(cli("node", "show", "--json", "--home", path).output)["pending"]


@pytest.fixture
def tree(tmp_path):
    nation = node(tmp_path / "nation", "Kenya", "nation", "KE")
    region = node(tmp_path / "region", "Nairobi", "region", "KE/47")
    a = node(
        tmp_path / "a", "Kangemi", "community", "KE/47/westlands/kangemi", share_text="scrubbed"
    )
    b = node(tmp_path / "b", "Kawangware", "community", "KE/47/dagoretti/kawangware")
    servers = [LiveServer(region).start(), LiveServer(nation).start()]
    region_url, nation_url = servers[0].url, servers[1].url
    enrol(region, a, "Kangemi", region_url)
    enrol(region, b, "Kawangware", region_url)
    enrol(nation, region, "Nairobi", nation_url)
    yield {"nation": nation, "region": region, "a": a, "b": b, "servers": servers, "tmp": tmp_path}
    for server in servers:
        server.stop()


def test_two_communities_region_nation(tree):
    nation, region, a, b, tmp = (tree[k] for k in ("nation", "region", "a", "b", "tmp"))
    Capturer(a).sample()
    cap_b = Capturer(b)
    for i in range(7):
        cap_b.need(text=f"Barabara namba {i} imeharibika", supporters=i + 1, category="roads")

    # community A: HTTP push
    pushed = sauti("sync", "push", "--home", a)
    assert pushed.returncode == 0, pushed.stderr
    assert "new=24 known=0" in pushed.stdout
    assert pending(a) == 0

    # community B: sealed file, imported twice, receipt back
    file_b = tmp / "kawangware.sauti"
    assert sauti("sync", "export", file_b, "--home", b).returncode == 0
    first = sauti("sync", "import", file_b, "--home", region)
    assert first.returncode == 0, first.stderr
    assert "new=7 known=0" in first.stdout
    again = sauti("sync", "import", file_b, "--home", region)
    assert again.returncode == 0 and "new=0 known=7" in again.stdout
    assert pending(b) == 7
    assert sauti("sync", "import-receipt", f"{file_b}.receipt", "--home", b).returncode == 0
    assert pending(b) == 0

    # region forwards everything (its own enrolment records vouch for A and B)
    up = sauti("sync", "push", "--home", region)
    assert up.returncode == 0, up.stderr
    want_needs = captured(a)[0] + captured(b)[0]
    want_supporters = captured(a)[1] + captured(b)[1]
    got = counts(nation)
    assert (got["need"], got["supporters"]) == (want_needs, want_supporters) == (31, 52)
    assert counts(region)["need"] == 31

    # replays change nothing
    before = received_records(nation), received_records(region)
    assert "nothing to push" in sauti("sync", "push", "--home", a).stdout
    assert "new=0 known=7" in sauti("sync", "import", file_b, "--home", region).stdout
    assert "nothing to push" in sauti("sync", "push", "--home", region).stdout
    assert (received_records(nation), received_records(region)) == before
    assert counts(nation)["need"] == 31

    # a cut-off community's stick taken straight to the nation counts once too
    cli("child", "add", "Kawangware-direct", "--key", public_key(b), "--home", nation)
    cap_b.need(text="Soko halina taa", supporters=2)
    direct, via_region = tmp / "direct.sauti", tmp / "via-region.sauti"
    assert sauti("sync", "export", direct, "--to", public_key(nation), "--home", b).returncode == 0
    assert sauti("sync", "export", via_region, "--home", b).returncode == 0
    assert "new=1 known=0" in sauti("sync", "import", direct, "--home", nation).stdout
    assert "new=1 known=0" in sauti("sync", "import", via_region, "--home", region).stdout
    assert sauti("sync", "push", "--home", region).returncode == 0
    assert counts(nation)["need"] == 32
    assert counts(nation)["supporters"] == want_supporters + 2

    # the API lists the subtree's needs at the nation, with origin and seq, no uuid
    capturer = Capturer(nation)
    listed = capturer.client.get(
        f"/api/v1/needs?origin={node_id(a)}&per_page=200", headers=capturer.headers
    ).get_json()
    assert listed["total"] == 24
    assert all(
        "uuid" not in item and item["origin"] == node_id(a) and item["seq"] >= 1
        for item in listed["items"]
    )


def _snapshot(path):
    return query(path, "SELECT origin, seq, hash FROM received_records ORDER BY origin, seq")


def test_damaged_unknown_and_wrong_key_files_are_refused(tree):
    region, b, tmp = tree["region"], tree["b"], tree["tmp"]
    Capturer(b).need(text="Hakuna shule", supporters=4)
    good = tmp / "good.sauti"
    assert sauti("sync", "export", good, "--home", b).returncode == 0
    data = good.read_bytes()
    assert "new=1" in sauti("sync", "import", good, "--home", region).stdout  # B is known now
    Capturer(b).need(text="Hakuna maji", supporters=2)
    assert sauti("sync", "export", good, "--home", b).returncode == 0
    data = good.read_bytes()
    before = _snapshot(region)

    flipped = tmp / "flipped.sauti"
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0x20
    flipped.write_bytes(bytes(damaged))
    truncated = tmp / "truncated.sauti"
    truncated.write_bytes(data[: len(data) - 40])

    stranger = node(tmp / "stranger", "Stranger", "community", "KE/47/x")
    Capturer(stranger).need()
    unknown = tmp / "unknown.sauti"
    assert (
        sauti(
            "sync", "export", unknown, "--to", public_key(tree["region"]), "--home", stranger
        ).returncode
        == 0
    )

    # same node id as B, another key: a reinstalled box nobody enrolled
    impostor = tmp / "impostor"
    shutil.copytree(b, impostor)
    (impostor / "node.key").unlink()
    import nacl.signing

    (impostor / "node.key").write_bytes(bytes(nacl.signing.SigningKey.generate()))
    wrong_key = tmp / "wrong-key.sauti"
    assert sauti("sync", "export", wrong_key, "--home", impostor).returncode == 0

    sealed_elsewhere = tmp / "elsewhere.sauti"
    assert (
        sauti(
            "sync", "export", sealed_elsewhere, "--to", public_key(tree["nation"]), "--home", b
        ).returncode
        == 0
    )

    for path, words in [
        (flipped, "sealed for another node, or it is damaged"),
        (truncated, "damaged or truncated"),
        (unknown, "not enrolled"),
        (wrong_key, "different key"),
        (sealed_elsewhere, "sealed for another node"),
    ]:
        result = sauti("sync", "import", path, "--home", region)
        assert result.returncode != 0, path
        assert words in result.stderr, (path, result.stderr)
        assert "Traceback" not in result.stderr
        assert _snapshot(region) == before
    assert counts(region)["need"] == 1
    # the good file still applies afterwards
    assert "new=1 known=1" in sauti("sync", "import", good, "--home", region).stdout
    assert counts(region)["need"] == 2


def test_parent_down_then_up(tree):
    region, a = tree["region"], tree["a"]
    server = tree["servers"][0]
    capturer = Capturer(a)
    for i in range(5):
        capturer.need(text=f"Hitaji {i}", supporters=2)
    server.stop()
    failed = sauti("sync", "push", "--home", a)
    assert failed.returncode != 0
    assert "cannot reach the parent" in failed.stderr and "Traceback" not in failed.stderr
    assert "cannot reach the parent" in cli("node", "show", "--home", a).output
    assert pending(a) == 5
    capturer.need(text="Hitaji la sita", supporters=1)
    restarted = LiveServer(region, port=server.port).start()
    tree["servers"].append(restarted)
    ok = sauti("sync", "push", "--home", a)
    assert ok.returncode == 0, ok.stderr
    assert "new=6" in ok.stdout
    assert counts(region)["need"] == 6 and counts(region)["supporters"] == 11
    assert pending(a) == 0
    assert "nothing to push" in sauti("sync", "push", "--home", a).stdout
    assert counts(region)["need"] == 6


def test_clone_is_refused_on_both_sides_and_restore_continues(tree):
    region, a, tmp = tree["region"], tree["a"], tree["tmp"]
    capturer = Capturer(a)
    capturer.need(text="Kwanza")
    assert sauti("sync", "push", "--home", a).returncode == 0
    backup = tmp / "a.backup"
    made = sauti("backup", backup, "--home", a)
    assert made.returncode == 0, made.stderr
    for i in range(3):
        capturer.need(text=f"Baada ya nakala {i}")
    assert sauti("sync", "push", "--home", a).returncode == 0
    assert counts(region)["need"] == 4

    # the box is restored from the backup with 'sauti restore': it learns the parent's
    # last seq and continues (into a new folder: the box's old disk is gone)
    restored_home = tmp / "a-restored"
    restored_home.mkdir()
    for name in ("node.key", "node.pub", "secret_key"):
        shutil.copy(a / name, restored_home / name)
    a = restored_home
    put_back = sauti("restore", backup, "--home", a)
    assert put_back.returncode == 0, put_back.stderr
    first_contact = sauti("sync", "push", "--home", a)
    assert first_contact.returncode == 0, first_contact.stderr
    restored = Capturer(a)
    restored.need(text="Baada ya kurejesha")  # local id 2 again: shared under a new key
    ok = sauti("sync", "push", "--home", a)
    assert ok.returncode == 0, ok.stderr
    assert counts(region)["need"] == 5

    # a clone of that box (same key, same id) diverges: the copy that comes back
    # behind the parent a second time is refused, with an alert on both sides
    clone = tmp / "clone"
    shutil.copytree(a, clone)
    Capturer(a).need(text="Sanduku la kwanza")
    assert sauti("sync", "push", "--home", a).returncode == 0
    Capturer(clone).need(text="Sanduku la pili")
    refused = sauti("sync", "push", "--home", clone)
    assert refused.returncode != 0
    assert "cloned" in refused.stderr
    assert "cloned" in cli("node", "show", "--home", clone).output
    assert "cloned" in cli("node", "show", "--home", region).output
    assert counts(region)["need"] == 6
    # two boxes exporting files with the same seqs: the second file is refused too
    Capturer(a).need(text="Faili la kwanza")
    Capturer(clone).need(text="Faili la pili")
    assert sauti("sync", "export", tmp / "one.sauti", "--home", a).returncode == 0
    assert sauti("sync", "export", tmp / "two.sauti", "--home", clone).returncode == 0
    assert sauti("sync", "import", tmp / "one.sauti", "--home", region).returncode == 0
    second = sauti("sync", "import", tmp / "two.sauti", "--home", region)
    assert second.returncode != 0 and "cloned" in second.stderr
    assert counts(region)["need"] == 7
