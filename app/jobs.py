"""Scheduled jobs of the feature areas, registered with app.scheduler.job.

Import-only module: the scheduler imports it before starting, so every job
defined (or imported) here is scheduled inside `sauti serve`.
"""

from app import (
    opendata,  # noqa: F401  (weekly aggregate snapshot)
    retention,  # noqa: F401  (respondent-contact retention)
)
from sync import jobs as sync_jobs  # noqa: F401  (sync: scheduled push, upload cleanup)
