"""Background jobs inside `sauti serve` (APScheduler 3, one thread pool)."""

import datetime as dt
import logging
import os

from apscheduler.schedulers.background import BackgroundScheduler

from app.node import backup, clock
from app.node.home import Home

log = logging.getLogger(__name__)


def daily_backup(home: Home) -> None:
    stamp = dt.date.today().isoformat()
    dest = home.backups_dir / f"daily-{stamp}.{'pgdump' if home.address else 'db'}"
    size = backup.backup(home.target, dest)
    removed = backup.rotate(home.backups_dir, keep=7)
    log.info("daily backup %s (%d bytes), %d old removed", dest.name, size, len(removed))


def jobs() -> list[tuple]:
    """Every job `sauti serve` runs: (function(home), APScheduler trigger arguments)."""
    from app.aggregate import opendata
    from app.privacy import retention
    from sync import jobs as sync_jobs

    soon = clock.now() + dt.timedelta(minutes=2)
    return [
        (daily_backup, {"trigger": "cron", "hour": 2, "minute": 30}),
        (opendata.weekly_snapshot, {"trigger": "cron", "hour": 3, "minute": 10}),
        (retention.erase_old_contacts, {"trigger": "interval", "hours": 6, "next_run_time": soon}),
        (retention.erase_old_audio, {"trigger": "interval", "hours": 6, "next_run_time": soon}),
        (sync_jobs.sync_push, {"trigger": "interval", "minutes": 1}),
        (sync_jobs.sync_cleanup, {"trigger": "interval", "minutes": 30}),
    ]


RUN_NOW_ENV = "SAUTI_RUN_NOW"


def start(home: Home) -> BackgroundScheduler:
    """Start the jobs. SAUTI_RUN_NOW=job,job (names as in `jobs()`) also runs those
    jobs once right away: after a restore, or in the power-cut tests."""
    run_now = {n.strip() for n in os.environ.get(RUN_NOW_ENV, "").split(",") if n.strip()}
    scheduler = BackgroundScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    for fn, trigger in jobs():
        trigger = dict(trigger)
        kind = trigger.pop("trigger")
        if fn.__name__ in run_now:
            trigger["next_run_time"] = clock.now()
        scheduler.add_job(fn, kind, args=[home], id=fn.__name__, **trigger)
    scheduler.start()
    log.info("jobs: %s", describe(scheduler))
    return scheduler


def describe(scheduler: BackgroundScheduler) -> str:
    """One line for the log: each job and when it runs next (UTC)."""
    parts = []
    for job in scheduler.get_jobs():
        when = job.next_run_time.strftime("%Y-%m-%d %H:%M") if job.next_run_time else "paused"
        parts.append(f"{job.id} next {when}")
    return "; ".join(parts) + " (UTC)"
