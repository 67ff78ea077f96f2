from wagtail.admin.forms import WagtailAdminPageForm

from culture_cms.organisation.models import OrganisationSettings
from culture_cms.organisation.tokens.editor_checks import text_errors, value_errors
from culture_cms.organisation.tokens.values import token_values


class ProgrammePageForm(WagtailAdminPageForm):
    """Refuses to publish (or send for approval) content that is not adapted yet.

    Drafts may keep "[insert …]" placeholders and unset tokens: adapting the
    material takes time. Wagtail marks a draft save (and a preview) by deferring
    the form's validation, as it does for required fields; every other action
    (publish, submit, a workflow action) is checked. Each problem is one message,
    next to the field, or at the top of the StreamField block it is in, naming the
    block and its field; each quotes the text.
    """

    def clean(self):
        cleaned_data = super().clean()
        if self.is_deferred_validation:
            return cleaned_data
        site = (self.instance if self.instance.pk else self.parent_page).get_site()
        organisation = OrganisationSettings.for_site(site) if site else OrganisationSettings()
        values = token_values(organisation, cleaned_data.get("contact"))
        for name in self.instance.token_fields:
            if name not in cleaned_data or name in self.errors:
                continue
            field = self.fields[name]
            block = getattr(field, "block", None)
            if block is not None:
                error = value_errors(block, cleaned_data[name], values)
            else:
                error = text_errors(cleaned_data[name], values)
            if error:
                self.add_error(name, error)
        return cleaned_data
