"""The red-team harness of issue 11: a planted-PII corpus (tests/data/planted_pii.jsonl:
new languages, formats and names, not the sample data) captured at a community,
synced community -> region -> nation (HTTP push or sealed file), then erased and
corrected needs synced again; every byte of the parents' homes (database, WAL, stored
bundles), their backups and open-data exports is scanned for every planted item. A
parent whose store is on PostgreSQL (tests/engines.py) is scanned as its whole database
written out as plain SQL (every row of every table), and its pg_dump backup likewise.

`python -m tests.pii_harness [http|file]` prints leaked / total by category."""

import json
import sys
from collections import Counter
from pathlib import Path

from app.node import home
from app.store import needs as needs_store
from tests.conftest import LiveServer
from tests.sync_helpers import Capturer, cli, enrol, node, sauti

CORPUS = Path(__file__).parent / "data" / "planted_pii.jsonl"


def corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def _erase(db, need_id: int) -> None:
    try:
        from sync.withhold import erase_need
    except ImportError:  # before issue 11
        needs_store.remove(db, need_id, reason="erasure")
        return
    erase_need(db, need_id, reason="erasure")


def _forms(value: str) -> list[bytes]:
    """The bytes a leaked value may take in a file: as is, and JSON-escaped."""
    return sorted({value.encode(), json.dumps(value, ensure_ascii=False)[1:-1].encode()})


def _files(roots: list[Path]) -> list[Path]:
    out = []
    for root in roots:
        out += [p for p in sorted(root.rglob("*")) if p.is_file()] if root.is_dir() else [root]
    return [p for p in out if p.exists()]


def scan(roots: list[Path], records: list[dict]) -> list[tuple[str, str, str]]:
    """(category, value, file) of every planted item found in a file under ROOTS."""
    blobs = {p: p.read_bytes() for p in _files(roots)}
    found = []
    for rec in records:
        for value, category in rec["planted"]:
            for path, blob in blobs.items():
                if any(form in blob for form in _forms(value)):
                    found.append((category, value, str(path)))
                    break
    return found


def _as_sql(path: Path, backup: Path, tmp: Path) -> list[Path]:
    """For a home on PostgreSQL: its database and its backup as plain SQL text files
    (the compressed backup alone would hide a leak from a byte scan)."""
    address = home.Home(path).address
    if not address:
        return []
    from app.node import pg_backup

    live, restored = tmp / f"db-{path.name}.sql", tmp / f"backup-{path.name}.sql"
    pg_backup._run([pg_backup.program("pg_dump"), "--format=plain", f"--file={live}",
                    "--dbname={conninfo}"], address)  # fmt: skip
    pg_backup._run([pg_backup.program("pg_restore"), f"--file={restored}", str(backup)], address)
    assert live.stat().st_size > 10_000 and restored.stat().st_size > 10_000
    return [live, restored]


def _sync_up(tree: dict, transport: str, round_no: int) -> None:
    community, region, tmp = tree["community"], tree["region"], tree["tmp"]
    if transport == "http":
        pushed = sauti("sync", "push", "--home", community)
        assert pushed.returncode == 0, pushed.stderr
    else:
        stick = tmp / f"stick-{round_no}.sauti"
        assert sauti("sync", "export", stick, "--home", community).returncode == 0
        imported = sauti("sync", "import", stick, "--home", region)
        assert imported.returncode == 0, imported.stderr
        receipt = sauti("sync", "import-receipt", f"{stick}.receipt", "--home", community)
        assert receipt.returncode == 0, receipt.stderr
        stick.unlink()  # the stick goes home with the facilitator
        Path(f"{stick}.receipt").unlink()
    up = sauti("sync", "push", "--home", region)
    assert up.returncode == 0, up.stderr


def run(tmp: Path, transport: str = "http") -> dict:
    """Plant, sync, erase and correct, sync again, back up, export, scan. Returns
    {"leaks": [(category, value, file)], "totals": Counter, "records": [...]}."""
    records = corpus()
    nation = node(tmp / "nation", "Ethiopia", "nation", "ET")
    region = node(tmp / "region", "Addis", "region", "ET/AA")
    community = node(
        tmp / "community", "Kolfe", "community", "ET/AA/kolfe", share_text="scrubbed"
    )
    for path in (region, nation):
        cli("settings", "set", "open_data_records", "on", "--home", path)
    servers = [LiveServer(region).start(), LiveServer(nation).start()]
    tree = {"nation": nation, "region": region, "community": community, "tmp": tmp}
    try:
        enrol(region, community, "Kolfe", servers[0].url)
        enrol(nation, region, "Addis", servers[1].url)
        capturer = Capturer(community)
        stored = []
        for rec in records:
            body = {k: rec[k] for k in ("text", "language", "category")}
            for extra in ("respondent", "consent"):
                if extra in rec:
                    body[extra] = rec[extra]
            stored.append(capturer.need(**body))
        _sync_up(tree, transport, 1)
        db = home.open_home(community).connect()
        try:
            for rec, need in zip(records, stored):
                need_id = needs_store.by_uuid(db, need["uuid"])["id"]
                if rec.get("action") == "erase":
                    _erase(db, need_id)
                elif rec.get("action") == "correct":
                    needs_store.update(db, need_id, {"text": rec["corrected"]})
        finally:
            db.close()
        _sync_up(tree, transport, 2)
        extra = []
        for path in (region, nation):
            backup = tmp / f"backup-{path.name}.db"
            assert sauti("backup", backup, "--home", path).returncode == 0
            extra += _as_sql(path, backup, tmp)
            out = tmp / f"open-data-{path.name}"
            assert sauti("export", "open-data", out, "--home", path).returncode == 0
            extra += [backup, out]
        leaks = scan([region, nation, *extra], records)
    finally:
        for server in servers:
            server.stop()
    totals = Counter(category for rec in records for _value, category in rec["planted"])
    return {"leaks": leaks, "totals": totals, "records": records}


def table(result: dict) -> str:
    leaked = Counter(category for category, _v, _f in result["leaks"])
    lines = [f"{'category':<12} leaked / total"]
    for category in sorted(result["totals"]):
        lines.append(f"{category:<12} {leaked[category]:>3} / {result['totals'][category]}")
    total = sum(result["totals"].values())
    lines.append(f"{'all':<12} {len(result['leaks']):>3} / {total}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - the measurement for the report
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp), sys.argv[1] if len(sys.argv) > 1 else "http")
    print(table(result))
    for category, value, path in result["leaks"]:
        print(f"  {category}: {value!r} in {Path(path).name}")
