"""Serve a node: waitress (production WSGI) plus the background scheduler.

SIGTERM and SIGINT stop both cleanly: waitress closes its sockets when the
signal handler raises SystemExit inside its loop; the scheduler then shuts down.
"""

import logging
import signal

import waitress

from app import create_app, scheduler

log = logging.getLogger("sauti.serve")


def run(home_path, host: str = "127.0.0.1", port: int = 5000, threads: int = 8, tls: bool = False):
    app = create_app({"HOME": home_path, "SECURE_COOKIES": tls})
    node_home = app.extensions["sauti_home"]
    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="sauti",
        clear_untrusted_proxy_headers=True,
    )

    def stop(signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    jobs = scheduler.start(node_home)
    print(f"Sauti serving {node_home.path} on http://{host}:{server.effective_port}", flush=True)
    try:
        server.run()
    finally:
        server.close()
        jobs.shutdown(wait=False)
        print("Sauti stopped.", flush=True)
