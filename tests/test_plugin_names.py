"""The plugin's names are its own, so a host intranet shadows none of them by accident."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

PLUGIN = [Path(settings.BASE_DIR) / "culture_cms", Path(settings.BASE_DIR) / "blocks"]


def plugin_templates():
    for package in PLUGIN:
        for folder in package.rglob("templates"):
            for template in folder.rglob("*"):
                if template.is_file():
                    yield template.relative_to(folder).as_posix()


def test_every_template_of_the_plugin_is_under_culture_cms():
    templates = list(plugin_templates())

    assert len(templates) > 60
    assert [name for name in templates if not name.startswith("culture_cms/")] == []


def test_every_app_label_of_the_plugin_is_prefixed():
    labels = [
        config.label
        for config in apps.get_app_configs()
        if config.name == "blocks" or config.name.startswith("culture_cms.")
    ]

    assert sorted(labels) == [
        "culture_cms_blocks",
        "culture_focus_groups",
        "culture_organisation",
        "culture_programme",
    ]
