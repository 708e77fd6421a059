"""Fixtures: real node homes in temp folders, the app, clients, a live
server on 127.0.0.1 and headless Chromium (Debian's /usr/bin/chromium).

The tests carry their own data (DATA, tests/data/) and read nothing beside the
repository: an audit hook records every file opened, folder listed or database
connected under the repository's parent folder but outside the repository, and the
test that did it fails (the session too, for anything done while collecting)."""

import functools
import itertools
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from app.auth import passwords, tokens
from app.factory import create_app
from app.node import home
from app.store import users
from tests import engines
from tests.engines import engine  # noqa: F401  (the fixture, for modules marked ENGINES)

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"  # the tests' own data: tests/data/README.md
SAMPLE = DATA / "needs_sample.jsonl"
CHROMIUM = "/usr/bin/chromium"
LOCALITY = "KE/47/westlands/kangemi"
PASSWORD = "correct horse battery"


def sample_needs() -> list[dict]:
    """The sample needs (SAMPLE), each with its planted personal data under "pii"."""
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]


# ---------------------------------------------------------- nothing read beside the repo

BESIDE = ROOT.parent  # the folder holding the repository (and perhaps other folders)
# Never "beside", even when they sit under BESIDE: the repository, and the temp folder and
# the interpreter's folders unless they hold the repository (a copy in a temp folder).
_INSIDE = [str(ROOT)] + [
    folder
    for folder in (str(Path(p).resolve()) for p in {
        tempfile.gettempdir(),
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        *sysconfig.get_paths().values(),
        "/usr",
        "/etc",
        "/proc",
        "/sys",
        "/dev",
    } if p)
    if not (str(ROOT) + os.sep).startswith(folder.rstrip(os.sep) + os.sep)
]
READ_BESIDE: list[tuple[str, str]] = []  # (audit event, path) for every read beside the repo
_PATH_ARGS = {  # audit event -> positions of its path arguments
    "open": (0,),
    "os.listdir": (0,),
    "os.scandir": (0,),
    "os.chdir": (0,),
    "glob.glob": (0,),
    "sqlite3.connect": (0,),
    "shutil.copyfile": (0, 1),
    "shutil.copytree": (0, 1),
    "subprocess.Popen": (2,),  # cwd; its arguments are checked below
}


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


_real_folder = functools.lru_cache(maxsize=4096)(os.path.realpath)


def _beside(value) -> str | None:
    """VALUE as a resolved path when it lies under BESIDE but outside the repository."""
    if value is None or isinstance(value, int):
        return None
    try:
        path = os.fsdecode(value)
    except TypeError:
        return None
    if path.startswith("file:"):  # an SQLite URI
        path = path[5:].split("?", 1)[0]
    if not path or path == ":memory:" or "\0" in path:
        return None
    folder, name = os.path.split(os.path.abspath(path))
    path = os.path.join(_real_folder(folder), name)
    if os.path.islink(path):
        path = os.path.realpath(path)
    if not _under(path, str(BESIDE)) or any(_under(path, inside) for inside in _INSIDE):
        return None
    return path


def _audit(event: str, args: tuple) -> None:
    positions = _PATH_ARGS.get(event)
    if positions is None:
        return
    try:
        values = [args[i] for i in positions if i < len(args)]
        if event == "subprocess.Popen" and len(args) > 1:
            command = args[1] if isinstance(args[1], (list, tuple)) else [args[1]]
            values += [a for a in command if isinstance(a, (str, bytes, os.PathLike))
                       and os.path.isabs(os.fsdecode(a))]
        for value in values:
            path = _beside(value)
            if path is not None:
                READ_BESIDE.append((event, path))
    except Exception:  # an audit hook must never break what it watches
        pass


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def _reads_nothing_beside_the_repository():
    before = len(READ_BESIDE)
    yield
    found = READ_BESIDE[before:]
    if found:
        pytest.fail(
            f"this test read outside the repository {ROOT}: {found[:5]}; put what it needs "
            "in tests/data/ (DATA in tests/conftest.py).",
            pytrace=False,
        )


def pytest_generate_tests(metafunc):
    engines.generate(metafunc)


def pytest_sessionfinish(session, exitstatus):
    _release()
    engines.drop_created()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: the controller reports and fails
        workeroutput["sauti_read_beside"] = READ_BESIDE
        workeroutput["sauti_pg_skipped"] = engines.SKIPPED
    elif READ_BESIDE:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist, in the controller: a worker finished. What it read beside the
    repository (while collecting too) and the modules it skipped for want of PostgreSQL
    count as this run's, so the session fails and the summary says so as without -n."""
    output = getattr(node, "workeroutput", None) or {}
    READ_BESIDE.extend(tuple(read) for read in output.get("sauti_read_beside", ()))
    engines.SKIPPED.extend(output.get("sauti_pg_skipped", ()))


def pytest_terminal_summary(terminalreporter):
    if engines.SKIPPED:
        terminalreporter.write_line(
            f"PostgreSQL: skipped the [postgresql] tests of {len(engines.SKIPPED)} test module(s): "
            "no server (SAUTI_TEST_PG unset); scripts/test starts a throwaway cluster.",
            yellow=True,
        )
    if READ_BESIDE:
        terminalreporter.section("read outside the repository", red=True)
        for event, path in dict.fromkeys(READ_BESIDE):
            terminalreporter.line(f"{event}: {path}")


def make_home(path: Path, **kwargs) -> Path:
    options = {"name": "Kangemi", "level": "community", "locality": LOCALITY, "country": "KE"}
    options.update(kwargs)
    if "database" not in options:
        options["database"] = engines.database_for(options["level"])
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


_SERVING = re.compile(r"Sauti serving .* on (https?)://\S+:(\d+)")
_server_logs = itertools.count(1)
_HELD: dict[int, socket.socket] = {}  # port -> a socket holding it while its server is down


def _hold(port: int) -> None:
    """Keep PORT out of the system's free ports while its server is down, so that no
    other process (another pytest-xdist worker's server, say) is given it before the
    test starts a server on it again. A socket bound with SO_REUSEADDR and not
    listening: connecting to the port is still refused, `bind(0)` and outgoing
    connections pass it over, and `sauti serve --port PORT` (SO_REUSEADDR, waitress
    and cheroot alike) can bind and listen on it. Released once a server listens on
    the port again, or at the end of the test."""
    if port in _HELD:
        return
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(("127.0.0.1", port))
    except OSError:  # taken already: a restart on it fails as it would have without this
        holder.close()
        return
    _HELD[port] = holder


def _release(port: int | None = None) -> None:
    for held in [port] if port is not None else list(_HELD):
        holder = _HELD.pop(held, None)
        if holder is not None:
            holder.close()


@pytest.fixture(autouse=True)
def _ports_held_for_a_restart_are_released():
    yield
    _release()


class LiveServer:
    """`sauti serve` in a child process on 127.0.0.1 (`tls=True`: `sauti serve --tls`,
    checked against the node's own CA).

    Without a port the server is started with `--port 0`: the system picks a free port
    while the server binds it, and the server prints the address it bound, so no other
    process can take the port in between. The port is then kept: restarting the same
    LiveServer, or a new one given `port=`, listens on it again, and while the server is
    down the port is held for it (_hold). The server counts as started only after it
    printed the address it bound and answered /healthz."""

    def __init__(self, node_home: Path, port: int | None = None, *, tls: bool = False,
                 url_host: str = "127.0.0.1"):
        self.home = Path(node_home)
        self.tls = tls
        self.url_host = url_host
        self.proc = None
        self.port = port
        self.url = None if port is None else self._url(port)
        self.log_path = self.home.parent / f"server-{self.home.name}-{next(_server_logs)}.log"

    def _url(self, port: int) -> str:
        return f"{'https' if self.tls else 'http'}://{self.url_host}:{port}"

    def start(self, *extra_args):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        args = ["serve", "--home", str(self.home), "--port", str(self.port or 0), *extra_args]
        if self.tls:
            args.append("--tls")
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        deadline = time.monotonic() + 20
        while True:
            printed = self._output_since(offset)
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early with {self.proc.returncode}: {printed}")
            bound = _SERVING.search(printed)
            if bound and self.port in (None, int(bound.group(2))):
                self.port = int(bound.group(2))
                self.url = self._url(self.port)
                if self._healthy():
                    _release(self.port)  # the server listens on it again
                    return self
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"{self.home} did not start in 20 s: {printed}")
            time.sleep(0.05)

    def _healthy(self) -> bool:
        context = None
        if self.tls:
            context = ssl.create_default_context(cafile=str(self.home / "tls" / "ca.crt"))
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=1, context=context) as r:
                return r.status == 200
        except OSError:
            return False

    def _output_since(self, offset: int) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

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
        if self.proc and self.port:
            _hold(self.port)  # a restart listens on it again (see _hold)
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
