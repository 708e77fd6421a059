"""Power-cut points for the tests (tests/test_power_cut.py): deterministic cuts.

`SAUTI_HALT_AT=POINT[:N]` makes the process kill itself with SIGKILL the Nth time
(default: the first) it reaches POINT, exactly as a power cut would stop it there:
no cleanup, no flush, no `finally`. Unset (always, in production) it does nothing.
Points sit inside the writes that must survive a cut: a need's insert, a triage
decision, a backup's copy, a received bundle's apply, the weekly snapshot.
"""

import os
import signal
import threading

ENV = "SAUTI_HALT_AT"
_seen: dict[str, int] = {}
_lock = threading.Lock()


def point(name: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    where, _, nth = wanted.partition(":")
    if where != name:
        return
    with _lock:
        _seen[name] = _seen.get(name, 0) + 1
        if _seen[name] >= int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)
