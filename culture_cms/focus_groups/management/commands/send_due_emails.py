"""Queue a send for every signup email whose next try is due."""

from django.core.management.base import BaseCommand

from culture_cms.focus_groups import emails


class Command(BaseCommand):
    help = (
        "Queue a send task for each signup email still waiting whose next try is due "
        "(after an ESP outage, or a worker that was down). Sending twice is impossible: "
        "an email already sent is skipped. Run it every few minutes."
    )

    def handle(self, *args, verbosity=1, **options):
        count = emails.send_due()
        # Quiet when there is nothing to say: cron mails whatever a job prints.
        if count or verbosity > 1:
            self.stdout.write(f"Queued {count} email(s) for sending.")
