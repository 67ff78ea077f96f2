"""Anonymise old signups: names and contact details go, counts by staff group stay."""

from django.core.management.base import BaseCommand, CommandError

from culture_cms.conf import setting
from culture_cms.focus_groups import services


class Command(BaseCommand):
    help = (
        "Anonymise the signups of focus groups that ended more than --days days ago "
        "(default: the CULTURE_CMS_SIGNUP_RETENTION_DAYS setting) and delete their emails. "
        "Status and staff group are kept, so the counts by staff group survive. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help="Days after a focus group ends (default: CULTURE_CMS_SIGNUP_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the signups that would be anonymised; change nothing.",
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is None:
            days = setting("CULTURE_CMS_SIGNUP_RETENTION_DAYS")
        if days < 0:
            raise CommandError("--days cannot be negative.")
        count = services.purge(days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"Dry run: {count} signup(s) would be anonymised "
                f"(focus groups that ended more than {days} days ago). Nothing was changed."
            )
        else:
            self.stdout.write(
                f"Anonymised {count} signup(s) of focus groups that ended more than "
                f"{days} days ago."
            )
