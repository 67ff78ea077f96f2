"""The editors' panel on the admin dashboard: the plugin's pages they may edit that are
not adapted yet. Pages awaiting their approval are Wagtail's own "Awaiting your review"
panel, shown to moderators already."""

from django.apps import apps
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, Site
from wagtail.permissions import policy_registry

from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.organisation.tokens.editor_checks import unadapted
from culture_cms.organisation.tokens.values import token_values

from .models import CultureCMSPage


def may_edit_pages(user):
    """Whether the user may edit some page: Wagtail's page permission policy."""
    return policy_registry.get_by_type(Page).user_has_permission(user, "change")


def adapted_types():
    """Every page type built on CultureCMSPage, the focus groups' included: this app need
    not know the other apps' pages."""
    return [model for model in apps.get_models() if issubclass(model, CultureCMSPage)]


def pages_to_adapt(user):
    """[(page, messages)] for each of the plugin's pages the user may edit whose latest
    draft still holds a placeholder or a gap: the publish check's messages (what is
    left), in tree order. A query per page type, not per page."""
    editable = policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, ["change"]
    )
    pages = list(
        editable.exact_type(*adapted_types())
        .filter(alias_of__isnull=True)
        .order_by("path")
        .specific()
    )
    # What the editor would publish: the latest revision, else the page as saved.
    revisions = Revision.objects.in_bulk(
        [page.latest_revision_id for page in pages if page.latest_revision_id]
    )
    drafts = [
        page.with_content_json(revisions[page.latest_revision_id].content)
        if page.latest_revision_id in revisions
        else page
        for page in pages
    ]
    organisations = _organisations(drafts)
    # Each page's own contact, where it has one (else the default fills the tokens).
    contacts = Contact.objects.in_bulk(
        {getattr(draft, "contact_id", None) for draft in drafts} - {None}
    )
    found = []
    for draft in drafts:
        organisation = organisations(draft)
        contact = contacts.get(getattr(draft, "contact_id", None))
        messages = unadapted(draft, token_values(organisation, contact))
        if messages:
            found.append((draft, messages))
    return found


def _organisations(pages):
    """A function giving each page its site's OrganisationSettings (blank where the page
    is in no site, as the publish check has it): one query for all the sites."""
    roots = sorted(Site.get_site_root_paths(), key=lambda root: -len(root.root_path))
    settings = {
        organisation.site_id: organisation
        for organisation in OrganisationSettings.objects.filter(
            site_id__in={root.site_id for root in roots}
        ).select_related(*OrganisationSettings.select_related)
    }

    def organisation_of(page):
        for root in roots:
            if page.url_path.startswith(root.root_path):
                return settings.get(root.site_id) or OrganisationSettings()
        return OrganisationSettings()

    return organisation_of


class StillToAdaptPanel(Component):
    """ "Culture programme: still to adapt", for those who may edit pages."""

    name = "culture_still_to_adapt"
    template_name = "culture_cms/programme/admin/still_to_adapt_panel.html"
    # After Wagtail's "Awaiting your review" (220), before "Your most recent edits" (250).
    order = 230
    # What is left, per page: the first few messages, then how many more.
    shown_messages = 3

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        return {
            "pages": [
                {
                    "page": page,
                    "messages": messages[: self.shown_messages],
                    "more": len(messages) - self.shown_messages,
                    "count": len(messages),
                }
                for page, messages in pages_to_adapt(user)
            ]
        }
