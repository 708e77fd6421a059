"""The node's log: the operator's only window, so it says what matters, once.

Under systemd (`sauti service install`) the log goes to journald, which stamps,
rotates and caps it (`journalctl -u sauti`). Run by hand, it also goes to
`HOME/logs/sauti.log`, rotated at 1 MiB with 3 old files kept (4 MiB at most on
the SD card). A full disk never stops the node because of its log: a record
that cannot be written is dropped.

APScheduler announces every job it adds ("Adding job tentatively ...") and
every run; only its warnings and errors are kept, and `scheduler.start` writes
one line naming the jobs instead.
"""

import logging
import logging.handlers
import os
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JOURNAL_FORMAT = "%(levelname)s %(name)s: %(message)s"  # journald adds the time
MAX_BYTES = 1024 * 1024
BACKUPS = 3
QUIET = ("apscheduler",)


class _QuietRotatingHandler(logging.handlers.RotatingFileHandler):
    """Drops a record it cannot write (full disk, removed folder) without a traceback."""

    def handleError(self, record):  # noqa: N802 - logging's name
        pass


def under_journald() -> bool:
    """systemd sets JOURNAL_STREAM when stderr is connected to the journal."""
    return bool(os.environ.get("JOURNAL_STREAM"))


def log_file(home_path: Path) -> Path:
    return Path(home_path) / "logs" / "sauti.log"


def configure(home_path: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Set up the process's log once; returns the log file, or None for journald only."""
    root = logging.getLogger()
    for handler in list(root.handlers):  # the server owns its process's log
        root.removeHandler(handler)
        handler.close()
    journald = under_journald()
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter(JOURNAL_FORMAT if journald else FORMAT))
    handlers = [console]
    path = None
    if home_path is not None and not journald:
        path = log_file(home_path)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            handler = _QuietRotatingHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
            )
        except OSError:
            path = None
        else:
            handler.setFormatter(logging.Formatter(FORMAT))
            handlers.append(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return path
