"""Helpers of the sync tests: real node homes, real captures through the API,
the real `sauti` command line."""

import json
import subprocess
import sys
import uuid
from pathlib import Path

from click.testing import CliRunner

from app.cli import main
from app.factory import create_app
from app.node import home
from app.store import sync_shared
from tests.conftest import ROOT, SAMPLE, add_token, make_home


def node(path: Path, name: str, level: str, locality: str, **settings) -> Path:
    make_home(path, name=name, level=level, locality=locality)
    for key, value in settings.items():
        cli("settings", "set", key, value, "--home", str(path))
    return path


def cli(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, (args, result.output)
    return result


def sauti(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        **kwargs,
    )


def public_key(path: Path) -> str:
    return (Path(path) / "node.pub").read_text().strip()


def node_id(path: Path) -> str:
    db = home.open_home(path).connect()
    try:
        return db.execute("SELECT node_id FROM node").fetchone()[0]
    finally:
        db.close()


def enrol(parent: Path, child: Path, name: str, url: str = "http://127.0.0.1:9") -> None:
    cli("child", "add", name, "--key", public_key(child), "--home", parent)
    cli("parent", "set", url, "--key", public_key(parent), "--home", child)


class Capturer:
    """Captures needs through the real API of a node (test client, admin token)."""

    def __init__(self, path: Path):
        self.app = create_app({"HOME": path, "TESTING": True})
        self.client = self.app.test_client()
        self.headers = {"Authorization": f"Bearer {add_token(path, 'capture-admin', 'admin')}"}
        self.locality = _locality(path)

    def need(self, **fields) -> dict:
        body = {
            "uuid": str(uuid.uuid4()),
            "text": "Maji ya kisima ni machafu.",
            "language": "sw",
            "category": "water",
            "locality": self.locality,
            "captured_at": "2026-03-04T09:30:00+03:00",
        }
        body.update(fields)
        response = self.client.post("/api/v1/needs", json=body, headers=self.headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def sample(self, limit: int | None = None) -> list[dict]:
        out = []
        for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:limit]:
            data = json.loads(line)
            data.pop("pii")
            out.append(self.need(**data))
        return out


def _locality(path: Path) -> str:
    db = home.open_home(path).connect()
    try:
        return db.execute("SELECT locality FROM node").fetchone()[0]
    finally:
        db.close()


def counts(path: Path) -> dict:
    db = home.open_home(path).connect()
    try:
        return {**sync_shared.counts(db), "supporters": sync_shared.needs_summary(db)["supporters"]}
    finally:
        db.close()


def query(path: Path, sql: str, params=()) -> list:
    db = home.open_home(path).connect()
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()
