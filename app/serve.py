"""Serve a node: waitress (production WSGI) plus the background scheduler;
with --tls, cheroot serves HTTPS with the node-local CA's certificate.

SIGTERM and SIGINT stop both cleanly: waitress closes its sockets when the
signal handler raises SystemExit inside its loop; the scheduler then shuts down.
"""

import logging
import signal
import socket
import sqlite3
import sys

import waitress

from app.factory import create_app
from app.node import logs, memory, scheduler
from app.store import db as dbmod

log = logging.getLogger("sauti.serve")


def check_integrity(app) -> bool:
    """SQLite's quick check at start (after a power cut, say); a damaged database
    is reported on the console, in the log and on the admin page."""
    node_home = app.extensions["sauti_home"]
    db = node_home.connect()
    try:
        dbmod.limit_memory(db)  # process-wide: every later connection shares the cap
        ok = dbmod.integrity_ok(db)
    except sqlite3.DatabaseError:
        ok = False
    finally:
        db.close()
    app.extensions["sauti_integrity_ok"] = ok
    if not ok:
        message = (
            f"Warning: the database in {node_home.path} failed SQLite's integrity check; "
            "stop the node and restore the newest backup (README: Backups and restore)."
        )
        log.error(message)
        print(message, file=sys.stderr, flush=True)
    return ok


def run(home_path, host: str = "127.0.0.1", port: int = 5000, threads: int = 8, tls: bool = False):
    memory.tune_allocator()  # before any thread: argon2id's 19 MiB go back after each hash
    app = create_app({"HOME": home_path, "SECURE_COOKIES": tls})
    node_home = app.extensions["sauti_home"]
    log_path = logs.configure(node_home.path)
    check_integrity(app)
    if tls:  # offline/TLS area: HTTPS through cheroot (waitress has no TLS)
        server, scheme = _tls_server(app, node_home, host, port, threads), "https"
    else:
        server, scheme = (
            waitress.create_server(
                app,
                host=host,
                port=port,
                threads=threads,
                ident="sauti",
                clear_untrusted_proxy_headers=True,
            ),
            "http",
        )

    def stop(signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    jobs = scheduler.start(node_home)
    bound = server.bind_addr[1] if tls else server.effective_port
    print(f"Sauti serving {node_home.path} on {scheme}://{host}:{bound}", flush=True)
    log.info(
        "serving %s on %s://%s:%s; log: %s", node_home.path, scheme, host, bound,
        log_path or "journald (journalctl -u sauti)",
    )
    try:
        if tls:
            server.serve()
        else:
            server.run()
    finally:
        if tls:
            server.stop()
        else:
            server.close()
        jobs.shutdown(wait=False)
        print("Sauti stopped.", flush=True)


def _tls_server(app, node_home, host, port, threads):
    """cheroot (CherryPy's production WSGI server) with the node's certificate
    from its own CA (app/node/tls.py), renewed here when missing or expiring.
    Bound (prepare) before returning, so a busy port fails like waitress's."""
    from cheroot import wsgi
    from cheroot.ssl.builtin import BuiltinSSLAdapter

    from app.node import tls as node_tls

    cert, key = node_tls.ensure_server_cert(node_home.path, extra=[host])
    holder = None
    if port == 0:
        # cheroot binds port 0 without SO_REUSEADDR, and then a restart on the port it
        # got fails while old connections linger (TIME_WAIT). Pick the port here, with
        # SO_REUSEADDR, and hold it until cheroot has bound it too.
        info = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM)[0]
        holder = socket.socket(info[0], socket.SOCK_STREAM)
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(info[4])
        port = holder.getsockname()[1]
    try:
        server = wsgi.Server((host, port), app, numthreads=threads, server_name="sauti")
        server.ssl_adapter = BuiltinSSLAdapter(str(cert), str(key))
        server.prepare()
    finally:
        if holder is not None:
            holder.close()
    return server
