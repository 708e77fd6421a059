"""Fixtures: real node homes in temp folders, the app, clients, a live
server on 127.0.0.1 and headless Chromium (Debian's /usr/bin/chromium)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.factory import create_app
from app.node import home
from app.auth import passwords, tokens
from app.store import users

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
CHROMIUM = "/usr/bin/chromium"
LOCALITY = "KE/47/westlands/kangemi"
PASSWORD = "correct horse battery"


def make_home(path: Path, **kwargs) -> Path:
    options = {"name": "Kangemi", "level": "community", "locality": LOCALITY, "country": "KE"}
    options.update(kwargs)
    home.init_home(path, **options)
    return path


@pytest.fixture
def node_home(tmp_path) -> Path:
    return make_home(tmp_path / "home")


def add_user(node_home: Path, username: str, role: str, password: str = PASSWORD) -> int:
    db = home.open_home(node_home).connect()
    try:
        return users.add(db, username, role, passwords.hash_password(password))
    finally:
        db.close()


def add_token(node_home: Path, username: str, role: str | None = None) -> str:
    db = home.open_home(node_home).connect()
    try:
        row = users.by_name(db, username)
        if row is None:
            db.close()
            add_user(node_home, username, role or "admin")
            db = home.open_home(node_home).connect()
            row = users.by_name(db, username)
        value = tokens.new_token()
        users.add_token(db, row["id"], value[: tokens.PREFIX_LENGTH], tokens.token_hash(value))
        return value
    finally:
        db.close()


@pytest.fixture
def app(node_home):
    return create_app({"HOME": node_home, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def login(client, username: str, password: str = PASSWORD):
    token = csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


@pytest.fixture
def signed_in(node_home, client):
    """signed_in(role) -> client signed in as a new user of that role."""

    def sign(role: str, username: str | None = None):
        username = username or f"{role}-user"
        add_user(node_home, username, role)
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign


@pytest.fixture
def api(node_home, app):
    """api(role) -> (test client, headers with a fresh token of that role)."""

    def make(role: str, username: str | None = None):
        username = username or f"{role}-api"
        add_user(node_home, username, role)
        return app.test_client(), {"Authorization": f"Bearer {add_token(node_home, username)}"}

    return make


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc=None, timeout: float = 20.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not become healthy in {timeout}s")


class LiveServer:
    """`sauti serve` in a child process on 127.0.0.1."""

    def __init__(self, node_home: Path, port: int | None = None):
        self.home = node_home
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.log_path = Path(node_home).parent / f"server-{self.port}.log"

    def start(self, *extra_args):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        args = ["serve", "--home", str(self.home), "--port", str(self.port), *extra_args]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        self.startup_seconds = wait_healthy(self.url, self.proc)
        return self

    def stop(self, sig=None):
        if self.proc and self.proc.poll() is None:
            if sig is None:
                self.proc.terminate()
            else:
                self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode if self.proc else None

    def output(self) -> str:
        """Everything the server printed so far."""
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def live_server(node_home):
    server = LiveServer(node_home).start()
    yield server
    server.stop()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing at /usr/bin/chromium; scripts/test installs it in CI.")
        pytest.skip("Chromium is not installed (scripts/test installs it when it can)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    pg = context.new_page()
    yield pg
    context.close()
