"""PostgreSQL stopped for 20 seconds while people sign up: every answer meanwhile is the
503 page in the site's layout, never a bare 500; nothing is half-saved; and once it is
back the site answers and books again, gunicorn and the scheduler never restarted."""

import html
import re
import time
import uuid
from collections import Counter
from pathlib import Path

from tests.topology.conftest import ROOT, wait_for
from tests.topology.people import Stream, address, latency

OUTAGE = 20
PREPARED = 20  # people who loaded the form before the outage and send it during it


def unavailable_texts():
    """The 503 template's heading and first paragraph, as the page shows them."""
    template = Path(ROOT / "templates" / "503.html").read_text()
    content = template.split("{% block content %}", 1)[1]
    return re.findall(r'{% translate "([^"]+)" %}', content)[:2]


def is_unavailable_page(answer, texts):
    body = html.unescape(answer.body)
    return (
        answer.status == 503
        and 'class="nhsuk-header"' in body
        and all(text in body for text in texts)
        and answer.retry_after is not None
    )


def test_postgres_stopped_for_twenty_seconds(topology, mailbox, focus_group, figures):
    from django.db import connections

    from culture_cms.focus_groups.models import OutboundEmail, Signup

    event = focus_group("night-shift", 1000)
    path = event.get_url_parts()[2]
    run = uuid.uuid4().hex[:6]
    texts = unavailable_texts()
    starts = {name: topology.starts(name) for name in ("web", "worker.1", "worker.2", "scheduler")}
    prepared = [
        topology.site.person(address(30, n), f"prepared.{run}.{n}@example.nhs.uk")
        for n in range(PREPARED)
    ]
    forms = [(person, person.form_token(path)[1]) for person in prepared]
    checker = topology.site.person(address(40, 0), "health@example.nhs.uk")
    health = []

    def check_health():
        answer = checker.request("GET", "healthz/")
        health.append(answer)
        return answer

    pattern = f"outage.{run}.{{n}}@example.nhs.uk"
    with Stream(topology.site, path, pattern, block=10) as stream:
        time.sleep(3)
        topology.run("pause", "postgres")
        paused = time.time()
        sent_during = [person.post_form(path, token) for person, token in forms]
        while time.time() < paused + OUTAGE:
            check_health()
            time.sleep(1)
        resuming = time.time()
        topology.run("resume", "postgres")
        resumed = time.time()
        healthy = wait_for(lambda: check_health().status == 200, 30, every=0.5)
        healthy_after = time.time() - resumed
        connections.close_all()
        saved_from_503 = Signup.objects.filter(email__in=[p.email for p in prepared]).count()
        sent_again = [person.post_form(path, token) for person, token in forms]
        time.sleep(5)

    connections.close_all()
    answers = stream.answers + sent_during + sent_again
    statuses = Counter(answer.status for answer in answers)
    during = [
        a for a in stream.answers + sent_during if a.started >= paused and a.finished < resuming
    ]
    after = [a for a in stream.answers if a.started >= resumed]
    not_503 = [a for a in during if not is_unavailable_page(a, texts)]
    failed = [a for a in answers if a.status == 0 or (a.status >= 500 and a.status != 503)]
    health_during = [a.status for a in health if a.finished < resuming]

    signups = Signup.objects.for_focus_group(event)
    saved = set(signups.values_list("email", flat=True))
    posted = {email: person[1].status for email, person in stream.people if len(person) > 1}
    booked = {email for email, status in posted.items() if status == 303}
    refused = {email for email, status in posted.items() if status == 503}
    kinds = Counter(
        (email.signup_id, "contact" if email.kind == "contact_signup" else "person")
        for email in OutboundEmail.objects.filter(signup__in=signups)
    )
    half_saved = [
        pk
        for pk in signups.values_list("pk", flat=True)
        if (kinds[(pk, "person")], kinds[(pk, "contact")]) != (1, 1)
    ]
    outbound = OutboundEmail.objects.filter(signup__in=signups)
    all_sent = wait_for(lambda: not outbound.exclude(status="sent").exists(), 60)
    restarts = {name: topology.starts(name) - count for name, count in starts.items()}

    figures(
        f"PostgreSQL down {OUTAGE} s under a stream of signups (6 at a time): "
        f"{len(answers)} answers {dict(sorted(statuses.items()))}; {len(during)} during the "
        f"outage, {len(during) - len(not_503)} of them the 503 page in the layout "
        f"({latency(during)}); /healthz/ {Counter(health_during)} during, 200 "
        f"{healthy_after:.1f} s after the restart"
    )
    figures(
        f"{PREPARED} forms sent during the outage: {Counter(a.status for a in sent_during)}, "
        f"{saved_from_503} saved; sent again after the restart: "
        f"{Counter(a.status for a in sent_again)}; after the restart {len(after)} answers "
        f"{dict(Counter(a.status for a in after))}; {len(saved)} signups, each with its two "
        f"emails: {not half_saved}; process restarts {restarts}"
    )
    assert not failed, f"5xx other than 503: {[(a.status, a.path, a.error) for a in failed][:5]}"
    assert during and not not_503, (
        f"not the 503 page: {[(a.status, a.body[:200]) for a in not_503]}"
    )
    assert health_during and set(health_during) == {503}
    assert healthy, "/healthz/ did not come back to 200"
    assert [a.status for a in sent_during] == [503] * PREPARED
    assert [a.status for a in sent_again] == [303] * PREPARED
    assert saved_from_503 == 0 and not refused & saved, "a form answered 503 was saved"
    assert {p.email for p in prepared} <= saved
    assert after and {a.status for a in after} <= {200, 303}
    assert booked <= saved
    assert not half_saved, f"signups without both emails: {half_saved}"
    assert all_sent, "unsent a minute after PostgreSQL came back: " + str(
        list(
            outbound.exclude(status="sent").values_list(
                "pk", "status", "attempts", "created_at", "next_attempt_at", "last_error"
            )
        )
    )
    # Nothing was restarted: the web, the scheduler and the workers waited it out.
    assert set(restarts.values()) == {0}, restarts
