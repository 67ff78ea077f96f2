from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

USERNAME = "editor"
# Fixed so the README can name it; only ever used where DEBUG is on (see handle).
DEMO_PASSWORD = "culture-demo-2026"  # noqa: S105
# Wagtail's own groups give admin access and page editing; Facilitators see facilitator notes.
GROUPS = ["Editors", "Moderators", "Facilitators"]


class Command(BaseCommand):
    help = (
        f'Create the demo user "{USERNAME}" (or reset it) in the {", ".join(GROUPS)} groups '
        "and print how to sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=f'Password to set. Default: the fixed demo password "{DEMO_PASSWORD}", '
            "which is refused when DEBUG is off.",
        )

    def handle(self, *args, password=None, **options):
        if password is None:
            if not settings.DEBUG:
                raise CommandError(
                    "DEBUG is off: refusing to give a well-known password to a user. "
                    "Pass --password."
                )
            password = DEMO_PASSWORD

        groups = list(Group.objects.filter(name__in=GROUPS))
        missing = sorted(set(GROUPS) - {group.name for group in groups})
        if missing:
            raise CommandError(f"Missing groups: {', '.join(missing)}. Run migrate first.")

        user, created = get_user_model().objects.update_or_create(
            username=USERNAME,
            defaults={
                "first_name": "Demo",
                "last_name": "Editor",
                "email": "editor@example.nhs.uk",
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set(groups)

        admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home")
        self.stdout.write(
            self.style.SUCCESS(f"{'Created' if created else 'Reset'} the demo editor.")
        )
        self.stdout.write(f"  Admin:    {admin_url}")
        self.stdout.write(f"  Username: {USERNAME}")
        if password == DEMO_PASSWORD:
            self.stdout.write(f"  Password: {password}  (the fixed demo password)")
        else:
            self.stdout.write("  Password: the one given with --password")
        self.stdout.write(f"  Groups:   {', '.join(GROUPS)}")
