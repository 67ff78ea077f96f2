"""The scheduler: what cron would run, as one long-running process (the Procfile's
`scheduler`).

Run exactly one per site. Two would each run every job: harmless, since each job is
idempotent (an email is claimed before it is sent, a reminder is queued once), but
the work is done twice and every line is logged twice.
"""

import io
import logging
import os
import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

# Every round, in this order: pages due go live first, so their reminders and emails follow.
EVERY_ROUND = ["publish_scheduled", "send_reminders", "send_due_emails"]
# Once a day: on the first round, then on the first round of each new (local) day;
# until they have run that day, every round tries them again.
DAILY = ["purge_signups"]
# What _run() returns when a job could not reach the database.
DATABASE_DOWN = "database down"


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs every --interval seconds: publish_scheduled, "
        "send_reminders and send_due_emails each round, purge_signups once a day. "
        "Run exactly one scheduler per site. SIGTERM or SIGINT stops it after the job "
        "in hand; --once runs one round (with the daily jobs) and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            # From the environment too, so the Procfile's one command line serves every host.
            default=float(os.environ.get("CULTURE_CMS_SCHEDULER_INTERVAL", "60")),
            help="Seconds from the start of one round to the start of the next "
            "(default: CULTURE_CMS_SCHEDULER_INTERVAL, else 60).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run one round, the daily jobs included, then exit.",
        )

    def handle(self, *args, interval=60.0, once=False, verbosity=1, **options):
        """Run rounds until SIGTERM or SIGINT (one round with --once)."""
        self._configure_logging(verbosity)
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda signum, frame: self._stop(stop, signum))
            logger.info("Scheduler started: a round every %s s.", f"{interval:g}")
        daily_done_on = None
        failures = 0
        while not stop.is_set():
            started = time.monotonic()
            today = timezone.localdate()
            jobs = EVERY_ROUND + (DAILY if daily_done_on != today else [])
            done = []
            for name in jobs:
                if stop.is_set():
                    break
                outcome = self._run(name)
                if outcome is True:
                    done.append(name)
                else:
                    failures += 1
                if outcome is DATABASE_DOWN:
                    break  # every other job needs it too: the next round tries again
            if all(name in done for name in DAILY):
                daily_done_on = today
            if once:
                break
            # Rounds start every `interval` seconds, however long one took.
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
        if not once:
            logger.info("Scheduler stopped.")
        # A failed job in a single round is the caller's to know about (cron mails it).
        if once and failures:
            raise CommandError(f"{failures} scheduled job(s) failed: see the log.")

    def _stop(self, stop, signum):
        logger.info("%s received: stopping after the job in hand.", signal.Signals(signum).name)
        stop.set()

    def _run(self, name):
        """Run one job; log what it said and how long it took. True if it ran, else
        DATABASE_DOWN or False.

        A failure is logged and the loop goes on: the next round tries again, and the
        process stays up. A database error (most often: it cannot be reached) is one
        line, not a traceback a job a round.
        """
        output = io.StringIO()
        started = time.monotonic()
        try:
            call_command(name, stdout=output, stderr=output)
        except (OperationalError, InterfaceError) as error:
            logger.error(
                "Scheduled job %s failed on the database (%s); the rest of the round "
                "waits for the next one.",
                name,
                " ".join(str(error).split()),
            )
            return DATABASE_DOWN
        except Exception:
            logger.exception("Scheduled job %s failed.", name)
            return False
        finally:
            # A fresh connection for each job: one the database dropped while this
            # process slept (a restart, a failover) would fail the next job otherwise.
            connections.close_all()
        said = " ".join(output.getvalue().split())
        # A job that did nothing is logged only at -v 2: it is most rounds of most jobs.
        logger.log(
            logging.INFO if said else logging.DEBUG,
            "%s: %s (%.2f s)",
            name,
            said or "nothing to do",
            time.monotonic() - started,
        )
        return True

    def _configure_logging(self, verbosity):
        # As db_worker does: the settings' LOGGING decides where lines go; with no handler
        # configured at all they still reach this command's stdout.
        logger.setLevel({0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG))
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))
