"""``manage.py enforce_deadlines [--as-of YYYY-MM-DD] [--dry-run]``: the daily deadline job
(L-13, A-04) by hand, the same code as the Celery task."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from access_audit.enforcement.run import deadlines_enforce, run_clock


class Command(BaseCommand):
    help = "Enforce every campaign deadline that has passed (L-13, A-04, A-05)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            help="take 00:00 China time on this day (YYYY-MM-DD) as now; a deadline passes "
            "at 24:00 on its date, so the day after it is the first day it applies",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="rows per transaction")

    def handle(self, *args, as_of=None, dry_run=False, batch_size=5000, **options):
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError("--as-of takes a date as YYYY-MM-DD") from None
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        runs = deadlines_enforce(at=run_clock(day), dry_run=dry_run, batch_size=batch_size)
        if not runs:
            self.stdout.write("no deadline to enforce")
        for run in runs:
            counts = run.counts
            self.stdout.write(
                f"run {run.pk} {run.campaign} {run.kind}{' (dry run)' if run.dry_run else ''}: "
                f"{run.state}; rights {counts.get('rights', 0)}, changed "
                f"{counts.get('changed', 0)}, qualifications lapsed "
                f"{counts.get('qualifications_lapsed', counts.get('qualifications', 0))}"
            )
