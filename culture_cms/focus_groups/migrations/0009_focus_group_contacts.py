from django.db import migrations

CONTACTS = "Focus group contacts"


def create(apps, schema_editor):
    """A group that may sign in to the admin and nothing more: what a contact linked to the
    account sees there is their own focus groups' signups (permissions.py)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    contacts, _ = Group.objects.get_or_create(name=CONTACTS)
    contacts.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CONTACTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("culture_focus_groups", "0008_attendance"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create, remove)]
