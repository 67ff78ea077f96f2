"""`manage.py db_worker`: django-tasks-db's worker, that outlives a database outage.

django-tasks-db's own exits on the first error from a database it cannot reach
(django-tasks-db issue 49), leaving the process manager to restart it; systemd gives
up after five quick restarts, so a longer outage would leave no worker until a
person noticed. This one waits and tries again. Everything else (options, signals,
one task at a time) is django-tasks-db's: this app comes before django_tasks_db in
INSTALLED_APPS, so its command of the same name is the one manage.py runs.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)

# Seconds between tries while the database does not answer.
RETRY_SECONDS = 5


class Command(db_worker.Command):
    help = db_worker.Command.help + " It waits out a database outage instead of exiting."

    def handle(self, *args, **options):
        while True:
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                # A task it was running stays RUNNING; an email's own claim runs out and
                # the scheduler's sweep sends it (culture_cms.focus_groups.emails.send_due).
                logger.warning(
                    "The database is unreachable (%s): the task worker tries again in %d s.",
                    str(error).strip().splitlines()[0] if str(error).strip() else error,
                    RETRY_SECONDS,
                )
                connections.close_all()
                time.sleep(RETRY_SECONDS)
