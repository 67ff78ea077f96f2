from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISERS = "Organisers"

# Who may see signups: the only people who get any signup data in the admin.
GRANTED = {
    "signup": ["add", "change", "delete", "view"],
    "outboundemail": ["view"],
}


def create(apps, schema_editor):
    # Permissions are normally made after migrating; make them now so they can be granted.
    config = apps.get_app_config("culture_focus_groups")
    config.models_module = True
    create_permissions(config, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    codenames = [f"{action}_{model}" for model, actions in GRANTED.items() for action in actions]
    organisers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="culture_focus_groups", codename__in=codenames
        ),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ORGANISERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("culture_focus_groups", "0002_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, remove)]
