"""Background jobs inside `sauti serve` (APScheduler 3, one thread pool)."""

import datetime as dt
import logging

from apscheduler.schedulers.background import BackgroundScheduler

from app import backup
from app.home import Home

log = logging.getLogger(__name__)

JOBS = []  # (function(home), trigger kwargs) registered by features


def job(**trigger):
    def register(fn):
        JOBS.append((fn, trigger))
        return fn

    return register


@job(trigger="cron", hour=2, minute=30)
def daily_backup(home: Home) -> None:
    stamp = dt.date.today().isoformat()
    dest = home.backups_dir / f"daily-{stamp}.db"
    size = backup.backup(home.db_path, dest)
    removed = backup.rotate(home.backups_dir, keep=7)
    log.info("daily backup %s (%d bytes), %d old removed", dest.name, size, len(removed))


# Feature modules that register jobs with @job when imported.
JOB_MODULES = ["app.jobs"]


def start(home: Home) -> BackgroundScheduler:
    import importlib

    for name in JOB_MODULES:
        importlib.import_module(name)
    scheduler = BackgroundScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    for fn, trigger in JOBS:
        trigger = dict(trigger)
        kind = trigger.pop("trigger")
        scheduler.add_job(fn, kind, args=[home], id=fn.__name__, **trigger)
    scheduler.start()
    return scheduler
