"""Test data made through the same rules the site uses."""

from culture_cms.focus_groups import services


def sign_up(event, name, **fields):
    """Sign someone up through services.sign_up; their email comes from their name."""
    return services.sign_up(
        event,
        **{
            "full_name": name,
            "email": f"{name.lower().replace(' ', '.')}@example.nhs.uk",
            "staff_group": "nursing",
            "language": "en-gb",
            **fields,
        },
    )
