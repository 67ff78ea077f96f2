"""Queue the reminder for everyone confirmed on a focus group starting within a day."""

from django.core.management.base import BaseCommand

from culture_cms.focus_groups import services


class Command(BaseCommand):
    help = (
        "Queue a reminder email for each confirmed signup of a focus group that starts "
        "within 24 hours. Each reminder goes once, however often this runs: run it every "
        "few minutes."
    )

    def handle(self, *args, verbosity=1, **options):
        count = services.queue_reminders()
        # Quiet when there is nothing to say: cron mails whatever a job prints.
        if count or verbosity > 1:
            self.stdout.write(f"Queued {count} reminder(s).")
