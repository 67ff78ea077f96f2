"""Contacts and the organisation settings (culture_cms.organisation)."""

from wagtail.models import Locale

from culture_cms.organisation.models import Contact, OrganisationSettings


def contact(**fields):
    """A contact in the default language."""
    return Contact.objects.create(
        **{
            "name": "Sam Okafor",
            "role": "Culture and leadership programme lead",
            "email": "culture.programme@example.nhs.uk",
            "phone": "01632 960 123",
            "locale": Locale.get_default(),
            **fields,
        }
    )


def organisation_settings(site, **fields):
    """The site's organisation settings, filled in as a trust fills them."""
    settings = OrganisationSettings.for_site(site)
    values = {
        "organisation_name": "Anytown Hospitals NHS Foundation Trust",
        "privacy_notice_url": "https://www.example.nhs.uk/privacy",
        **fields,
    }
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings
