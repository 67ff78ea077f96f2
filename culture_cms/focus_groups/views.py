"""The public side of focus-group signups: the form, the result, cancel links, calendars.

Views parse input and render; the booking rules are services'. The focus
group's own routes (its page, `signed-up/` and `calendar/`) are
FocusGroupEventPage's, which call the functions here.
"""

from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from wagtail.models import Locale, Site

from culture_cms.conf import setting
from culture_cms.organisation.models import OrganisationSettings

from . import calendar, ratelimit, services
from .forms import SignupForm
from .models import FocusGroupEventPage, Signup

# The status of the page for a refused signup: the focus group's state forbids it now.
REFUSED = 409


def _login_redirect(request):
    """Where CULTURE_CMS_LOGIN_REQUIRED is on, anonymous readers go to sign in first."""
    if setting("CULTURE_CMS_LOGIN_REQUIRED") and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _private(response):
    """A page showing someone's booking: kept out of caches and search engines."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def _initial(user):
    """A signed-in reader's name and email, to start the form with."""
    if not user.is_authenticated:
        return {}
    return {"full_name": user.get_full_name() or user.get_username(), "email": user.email}


def _invitation(request, event):
    """The invitation of the link the reader came with (GET) or the form carries (POST),
    for a focus group by invitation; None without one, or for a forged one."""
    token = request.POST.get("invitation") or request.GET.get("invitation")
    if not (event.by_invitation and token):
        return None
    return services.invitation_for_token(event, token)


def _signup_form(event, organisation, plans, data=None, initial=None, contact=None):
    """The signup form; `plans`, the live action plans (services.live_action_plans)."""
    return SignupForm(
        data,
        initial=initial,
        organisation=organisation,
        contact=contact or event.contacts(organisation)[0],
        plans_live=plans is not None,
    )


def _render_event(request, event, form=None, refused=None, status=200):
    context = event.get_context(request)
    reason = refused or services.closed_reason(event)
    invitation = _invitation(request, event)
    # By invitation: the form only for a person with an unused invitation of their own.
    invitation_refusal = event.by_invitation and services.invitation_refusal(invitation)
    plans = services.live_action_plans(context["organisation"])
    if form is None and not reason and not invitation_refusal:
        initial = _initial(request.user)
        if invitation:
            initial.update(email=invitation.email, invitation=services.invitation_token(invitation))
        form = _signup_form(
            event, context["organisation"], plans, initial=initial, contact=context["contact"]
        )
    context.update(
        form=form,
        # Once live, the form links to the action plans instead of offering to email them.
        action_plans=plans and plans.localized,
        closed_reason=reason,
        # Without a link: the page says it is by invitation and whom to ask.
        invitation_needed=event.by_invitation and invitation is None,
        invitation_refusal=invitation_refusal if invitation else None,
        availability=Signup.objects.availability_of(event),
    )
    return TemplateResponse(request, event.get_template(request), context, status=status)


def event_page(request, event):
    """The focus group's page: its details, and the signup form while signup is open."""
    if redirect := _login_redirect(request):
        return redirect
    if request.method != "POST":
        return _render_event(request, event)

    wait = ratelimit.attempt_retry_after(request)
    if wait:
        return too_many_attempts(request, event, wait, limit="client")
    reason = services.closed_reason(event)
    if reason:
        return _render_event(request, event, refused=reason, status=REFUSED)
    organisation = OrganisationSettings.for_request(request)
    plans = services.live_action_plans(organisation)
    form = _signup_form(event, organisation, plans, data=request.POST)
    invitation = _invitation(request, event)
    if event.by_invitation:
        refusal = services.invitation_refusal(invitation)
        if refusal:
            return _render_event(request, event, refused=refusal, status=REFUSED)
        if form.is_valid() and services.invitation_refusal(invitation, form.cleaned_data["email"]):
            form.add_error(
                "email", services.invitation_refusal(invitation, form.cleaned_data["email"])
            )
    if not form.is_valid():
        return _render_event(request, event, form=form)
    # The email limit holds back new bookings only: booking again is answered as before.
    wait = ratelimit.booking_retry_after(form.cleaned_data["email"])
    if wait and not services.is_booked(event, form.cleaned_data["email"]):
        return too_many_attempts(request, event, wait, limit="email")
    try:
        outcome = services.sign_up(
            event,
            language=translation.get_language(),
            user=request.user if request.user.is_authenticated else None,
            invitation=invitation,
            **form.signup_details(),
        )
    except services.SignupRefused as refusal:
        return _render_event(request, event, refused=str(refusal), status=REFUSED)
    if outcome.created:
        ratelimit.booking_accepted(outcome.signup.email)
    url = event.get_url(request) + event.reverse_subpage("signed_up")
    if outcome.already_booked and not _is_theirs(request, outcome.signup):
        # Whoever typed a booked address may not be its owner: the booking is not
        # shown; sign_up has sent its details to the address again.
        return HttpResponseRedirect(url + "?already=1", status=303)
    url += "?ref=" + services.result_token(outcome.signup)
    if outcome.already_booked:
        url += "&already=1"
    return HttpResponseRedirect(url, status=303)


def _is_theirs(request, signup):
    """The signed-in reader made this booking."""
    return request.user.is_authenticated and signup.user_id == request.user.pk


def signed_up(request, event):
    """The result of signing up: confirmed, on the waitlist (and where), or already booked."""
    if redirect := _login_redirect(request):
        return redirect
    already_booked = request.GET.get("already") == "1"
    signup = services.signup_for_result_token(request.GET.get("ref", ""))
    same_focus_group = signup and event.is_same_focus_group(signup.event)
    if "ref" not in request.GET and already_booked:
        status = 200  # "that address is booked; its details have gone to it again"
    elif not same_focus_group or signup.anonymised_at:
        signup, status = None, 400
    else:
        status = 200  # the template shows `page`: the focus group in the reader's language
    context = event.get_context(request)
    context.update(signup=signup, already_booked=already_booked)
    response = TemplateResponse(
        request, "culture_cms/focus_groups/result.html", context, status=status
    )
    return _private(response)


def _ics_response(content, filename):
    response = HttpResponse(content, content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def event_calendar(request, event):
    """ "Add to calendar": this focus group as an .ics file."""
    if redirect := _login_redirect(request):
        return redirect
    content = calendar.ics_for_events(
        [event], organisation=OrganisationSettings.for_request(request), request=request
    )
    return _ics_response(content, f"{event.slug}.ics")


def calendar_feed(request):
    """Every upcoming focus group on this site, in this language, as one .ics feed.

    Focus groups behind a Wagtail view restriction are left out: a calendar
    app subscribing to the feed has no session to pass one with.
    """
    if redirect := _login_redirect(request):
        return redirect
    site = Site.find_for_request(request)
    events = (
        FocusGroupEventPage.objects.live()
        .public()
        .upcoming()
        .filter(locale=Locale.get_active())
        .select_related("contact")
    )
    if site:
        # The site's own tree in this language (each language has its own root page).
        events = events.descendant_of(site.root_page.localized)
    content = calendar.ics_for_events(
        events, organisation=OrganisationSettings.for_request(request), request=request
    )
    return _ics_response(content, "focus-groups.ics")


def too_many_attempts(request, event, wait, limit):
    """429: too many signup attempts from this client ("client"), or bookings for this
    email address ("email")."""
    response = render(
        request,
        "culture_cms/focus_groups/429.html",
        {
            "event": event,
            "limit": limit,
            "minutes": max(1, round(wait / 60)),
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


# Cancel links ------------------------------------------------------------------------


def _cancel_problem(request, message, status, signup=None):
    context = {
        "message": message,
        "event": signup.event.localized if signup else None,
    }
    return _private(
        render(request, "culture_cms/focus_groups/cancel_invalid.html", context, status=status)
    )


def cancel(request, token):
    """A participant's cancel link: GET shows the booking and a button, POST cancels.

    GET never changes anything, since mail scanners follow links in emails.
    A forged link gets 400; an expired or used one, or one for a focus group
    that has started, gets 410 Gone.
    """
    try:
        signup = services.signup_for_cancel_token(token)
    except services.CancelLinkInvalid as error:
        expired = isinstance(error.__cause__, signing.SignatureExpired)
        return _cancel_problem(request, str(error), 410 if expired else 400)
    refusal = services.cancel_refusal(signup)
    if refusal:
        return _cancel_problem(request, refusal, 410, signup=signup)
    context = {
        "signup": signup,
        # The focus group in the link's language; the signup itself is the original's.
        "event": signup.event.localized,
    }
    if request.method != "POST":
        return _private(render(request, "culture_cms/focus_groups/cancel_confirm.html", context))
    try:
        signup = services.cancel(signup)
    except services.SignupRefused as refusal:
        return _cancel_problem(request, str(refusal), 410, signup=signup)
    context["signup"] = signup
    return _private(render(request, "culture_cms/focus_groups/cancel_done.html", context))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a missing or stale form token gets a page in the site's chrome."""
    return render(request, "culture_cms/focus_groups/403_csrf.html", status=403)
