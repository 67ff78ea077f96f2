"""What every page of the plugin shares: CultureCMSPage."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from wagtail.models import Page

from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.organisation.tokens.translation_checks import translation_errors
from culture_cms.organisation.tokens.values import token_values

from ..forms import ProgrammePageForm

FACILITATORS = "Facilitators"
COMMS_APPROVAL = "Comms approval"  # the workflow made by migration 0002


class CultureCMSPage(Page):
    """What every programme page shares: tokens, contacts, facilitator view.

    `token_fields` lists the fields whose tokens are filled on the page and
    checked before publishing.
    """

    token_fields = ["title"]
    base_form_class = ProgrammePageForm
    # Found by the programme's search (views.search); lists of pages are not.
    searchable = True

    class Meta:
        abstract = True

    @property
    def page_contact(self):
        """The page's own contact, where it has one."""
        return getattr(self, "contact", None)

    @property
    def breadcrumbs(self):
        """The pages above this one, top first, as get_ancestors() but without the tree's root.

        Routing leaves each page's parent cached on it, so for a served page
        this costs no query (get_ancestors would make one).
        """
        pages, page = [], self
        while page.depth > 2:
            page = page.get_parent()
            pages.insert(0, page)
        return pages

    def route(self, request, path_components):
        """Find the page a path names in two queries, however deep it is.

        Wagtail's own routing fetches each page on the way down, then its
        specific version, one level at a time: two queries a level. Here the
        pages on the way are fetched together by url_path, with the found
        page's translations for the language switcher. Where any of them
        routes in its own way (a RoutablePage, say), or the path names no page,
        Wagtail's routing takes over.
        """
        # Kept on a measurement (2026-12, Tool 4.3 page, SQLite, test client, 300 warm
        # anonymous requests each way, interleaved): 9 queries instead of 12, median
        # 10.0 ms instead of 11.3 ms (p90 12.8 against 14.4), some 12 % of the page;
        # routing plus the switcher's translations alone 2.2 ms against 3.4 ms. Each
        # level deeper adds two more queries to Wagtail's routing, none to this.
        if not path_components:
            return super().route(request, path_components)
        url_paths = [
            self.url_path + "/".join(path_components[: level + 1]) + "/"
            for level in range(len(path_components))
        ]
        on_path = Q(path__startswith=self.path, depth__gt=self.depth, url_path__in=url_paths)
        found = Page.objects.filter(on_path, url_path=url_paths[-1]).values("translation_key")
        fetched = list(
            Page.objects.filter(on_path | Q(translation_key__in=found))
            .select_related("locale")
            .order_by("depth")
        )
        pages = [
            page
            for page in fetched
            if page.url_path in url_paths and page.path.startswith(self.path)
        ]
        if [page.url_path for page in pages] != url_paths or not all(
            _routes_by_slug(page.specific_class) for page in pages[:-1]
        ):
            return super().route(request, path_components)
        parent = self
        for page in pages:
            # As Wagtail's routing does: breadcrumbs then need no query.
            page._cached_parent_obj = parent
            parent = page
        page = pages[-1].specific
        page.routed_translations = [
            translation
            for translation in fetched
            if translation.translation_key == page.translation_key and translation.live
        ]
        return page.route(request, [])

    def full_clean(self, *args, exclude=None, **kwargs):
        """Refuse to save a translation that holds placeholders or unknown tokens.

        wagtail-localize writes a translated page's row, the version readers see,
        every time it saves one, with a whole-object clean (no `exclude`). Its
        translation editor shows each error next to the string its key names.
        The page editor's own form (which passes `exclude`) checks only when
        going live: ProgrammePageForm.
        """
        super().full_clean(*args, exclude=exclude, **kwargs)
        if exclude is None and self.pk and self.is_wagtail_localize_translation():
            site = self.get_site()
            organisation = OrganisationSettings.for_site(site) if site else OrganisationSettings()
            errors = translation_errors(
                self, self.token_fields, token_values(organisation, self.page_contact)
            )
            if errors:
                raise ValidationError(errors)

    def is_wagtail_localize_translation(self):
        """Made from another language's version by wagtail-localize."""
        from wagtail_localize.models import TranslationSource

        return (
            TranslationSource.objects.filter(object_id=self.translation_key)
            .exclude(locale_id=self.locale_id)
            .exists()
        )

    def contacts(self, organisation):
        """The page's contact (its own, else the organisation's default) and the default
        contact, each in this page's language where translated: one query at most."""
        default = organisation.default_contact
        own_id = getattr(self, "contact_id", None)
        if own_id is None and (default is None or default.locale_id == self.locale_id):
            return default, default
        ids = [pk for pk in (own_id, getattr(default, "pk", None)) if pk]
        fetched = Contact.objects.filter(
            Q(pk=own_id)
            | Q(
                locale_id=self.locale_id,
                translation_key__in=Contact.objects.filter(pk__in=ids).values("translation_key"),
            )
        )
        in_language = {c.translation_key: c for c in fetched if c.locale_id == self.locale_id}
        if default is not None:
            default = in_language.get(default.translation_key, default)
        own = next((c for c in fetched if c.pk == own_id), None)
        if own is not None:
            own = in_language.get(own.translation_key, own)
        return own or default, default

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        organisation = OrganisationSettings.for_request(request)
        contact, default_contact = self.contacts(organisation)
        context.update(
            organisation=organisation,
            contact=contact,
            footer_contact=default_contact,
            token_values=token_values(organisation, contact),
            is_facilitator=is_facilitator(request.user),
        )
        return context


def _routes_by_slug(page_class):
    """Whether pages of this class pass the rest of a path on to the child it names."""
    return page_class is not None and page_class.route in (Page.route, CultureCMSPage.route)


def is_facilitator(user):
    """Signed in and in the Facilitators group: sees facilitator notes."""
    return user.is_authenticated and user.groups.filter(name=FACILITATORS).exists()
