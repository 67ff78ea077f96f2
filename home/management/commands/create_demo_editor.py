from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

# Fixed so the README can name it; only ever used where DEBUG is on (see handle).
DEMO_PASSWORD = "culture-demo-2026"  # noqa: S105
# One person for each part of the daily work, so that the demo shows each step:
# an editor adapts the pages and submits them to the Comms approval workflow, a
# moderator approves them (Wagtail's Moderators are its "Comms sign-off" task's
# group), and an organiser runs the focus groups (signups, registers; Facilitators
# see the facilitator notes on the pages).
USERS = {
    "editor": ("Demo", "Editor", ["Editors"]),
    "moderator": ("Demo", "Moderator", ["Moderators"]),
    "organiser": ("Demo", "Organiser", ["Organisers", "Facilitators"]),
}


class Command(BaseCommand):
    help = (
        f"Create the demo users {', '.join(USERS)} (or reset them), each in their groups, "
        "and print how to sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=f'Password to set for each. Default: the fixed demo password "{DEMO_PASSWORD}", '
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

        names = {name for _first, _last, groups in USERS.values() for name in groups}
        groups = {group.name: group for group in Group.objects.filter(name__in=names)}
        if missing := sorted(names - set(groups)):
            raise CommandError(f"Missing groups: {', '.join(missing)}. Run migrate first.")

        admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home")
        self.stdout.write(self.style.SUCCESS(f"Demo users (sign in at {admin_url}):"))
        for username, (first_name, last_name, in_groups) in USERS.items():
            user, created = get_user_model().objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@example.nhs.uk",
                    "is_active": True,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            user.groups.set([groups[name] for name in in_groups])
            self.stdout.write(
                f"  {username:<10} {'created' if created else 'reset':<8} "
                f"groups: {', '.join(in_groups)}"
            )
        if password == DEMO_PASSWORD:
            self.stdout.write(f"  Password for each: {password}  (the fixed demo password)")
        else:
            self.stdout.write("  Password for each: the one given with --password")
