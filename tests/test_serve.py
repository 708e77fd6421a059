"""`sauti serve`: a production server that starts, answers and stops cleanly."""

import signal
import urllib.request

import pytest

from .conftest import LiveServer


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_healthz_and_stops_cleanly(node_home, sig):
    server = LiveServer(node_home).start()
    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert response.headers["Server"] == "sauti"
        assert response.read() == b'{"status":"ok"}\n'
    assert server.stop(sig) == 0
    output = server.output()
    assert "Sauti stopped." in output and "Traceback" not in output


def test_serve_refuses_a_busy_port(node_home):
    import subprocess
    import sys

    from .conftest import ROOT

    server = LiveServer(node_home).start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", "serve", "--home", str(node_home), "--port", str(server.port)],
            capture_output=True, text=True, cwd=ROOT, timeout=30,
        )
        assert result.returncode != 0
        assert "choose another --port" in result.stderr and "Traceback" not in result.stderr
    finally:
        server.stop()
