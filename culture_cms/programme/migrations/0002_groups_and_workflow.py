from django.contrib.auth.management import create_permissions
from django.db import migrations

FACILITATORS = "Facilitators"
WORKFLOW = "Comms approval"
TASK = "Comms sign-off"


# What the comms team edits: the programme's snippets and each site's settings.
EDITED = {
    "culture_programme": ["definition", "culturalelement"],
    "culture_organisation": ["contact"],
}


def grant_editing(apps, groups):
    """Wagtail's Editors and Moderators may add, change and delete the snippets."""
    # Permissions are normally made after migrating; make them now so they can be granted.
    for label in EDITED:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}"
        for models in EDITED.values()
        for model in models
        for action in ("add", "change", "delete")
    ] + ["change_organisationsettings"]
    permissions = Permission.objects.filter(
        content_type__app_label__in=list(EDITED), codename__in=codenames
    )
    for group in groups:
        group.permissions.add(*permissions)


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    Group.objects.get_or_create(name=FACILITATORS)
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    editors, _ = Group.objects.get_or_create(name="Editors")
    grant_editing(apps, [editors, moderators])
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW)
    if created:
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type)
        task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


class Migration(migrations.Migration):
    dependencies = [
        ("culture_programme", "0001_initial"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("culture_organisation", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
