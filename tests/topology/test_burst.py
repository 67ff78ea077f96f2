"""200 people sign up at once for 10 places, through nginx and both gunicorns: 10 get a
place and 190 a place in line, and every email goes out once through the two workers."""

import re
import time
import uuid
from collections import Counter

from tests.topology.conftest import send_tasks, wait_for
from tests.topology.people import burst, latency

PEOPLE = 200
PLACES = 10


def test_two_hundred_people_at_once_for_ten_places(topology, mailbox, focus_group, figures):
    from culture_cms.focus_groups.models import OutboundEmail, Signup

    event = focus_group("ward-and-clinical-staff", PLACES)
    path = event.get_url_parts()[2]
    run = uuid.uuid4().hex[:6]
    emails = [f"burst.{run}.{n}@example.nhs.uk" for n in range(PEOPLE)]
    mark, access = mailbox.mark(), topology.log_size("nginx-access.log")

    began = time.time()
    answers, seconds = burst(topology.site, path, emails, block=1, threads=50)
    pages = [person[0] for person in answers]
    posts = [person[1] for person in answers if len(person) > 1]
    statuses = Counter(answer.status for person in answers for answer in person)
    figures(
        f"{PEOPLE} people (GET the page, POST the form; 50 at a time) in {seconds:.1f} s; "
        f"answers {dict(sorted(statuses.items()))}; POST {latency(posts)}"
    )
    assert [page.status for page in pages] == [200] * PEOPLE, "a GET failed"
    assert [post.status for post in posts] == [303] * PEOPLE, (
        f"every POST should be a 303 (no 5xx, no 429): {statuses}"
    )

    signups = Signup.objects.for_focus_group(event)
    assert signups.confirmed().count() == PLACES
    assert signups.waitlist().count() == PEOPLE - PLACES
    assert sorted(signups.values_list("email", flat=True)) == sorted(emails)

    # Two emails a person: theirs (confirmed or waitlisted) and the contact's.
    def delivered():
        mail = [m for m in mailbox.since(mark) if run in m["to"] + m["reply_to"]]
        return mail if len(mail) >= 2 * PEOPLE else None

    mail = wait_for(delivered, 120) or mailbox.since(mark)
    last = max((m["received_at"] for m in mail), default=began)
    to_people = Counter(m["to"] for m in mail if run in m["to"])
    to_contact = Counter(m["reply_to"] for m in mail if run not in m["to"])
    message_ids = Counter(m["message_id"] for m in mail)
    outbound = OutboundEmail.objects.filter(signup__in=signups)
    by_worker = Counter(
        topology.worker_names().get((task.worker_ids or ["?"])[-1], "?")
        for task in send_tasks(list(outbound.values_list("pk", flat=True)))
    )
    upstreams = Counter(
        re.findall(
            r'"POST [^"]*" \d+ \d+ upstream=(\S+)', topology.log_since("nginx-access.log", access)
        )
    )
    clients = {
        line.split(" ", 1)[0]
        for line in topology.log_since("nginx-access.log", access).splitlines()
        if f"POST {path}" in line
    }
    figures(
        f"{signups.confirmed().count()} confirmed, {signups.waitlist().count()} waitlisted; "
        f"{len(mail)} emails at the sink ({sum(to_people.values())} to people, "
        f"{sum(to_contact.values())} to the contact), the last {last - began:.1f} s after "
        f"the burst began; sent by {dict(sorted(by_worker.items()))}"
    )
    figures(
        f"nginx: POSTs by upstream {dict(sorted(upstreams.items()))}, "
        f"from {len(clients)} client addresses"
    )
    assert set(to_people) == set(emails) and set(to_people.values()) == {1}
    assert set(to_contact) == set(emails) and set(to_contact.values()) == {1}
    assert max(message_ids.values()) == 1, "a Message-ID arrived twice"
    assert Counter(outbound.values_list("kind", flat=True)) == {
        OutboundEmail.Kind.CONFIRMED: PLACES,
        OutboundEmail.Kind.WAITLISTED: PEOPLE - PLACES,
        OutboundEmail.Kind.CONTACT_SIGNUP: PEOPLE,
    }
    assert set(outbound.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
    assert len(by_worker) == 2, "both workers should have sent some"
    assert len(upstreams) == 2, "nginx should have used both gunicorns"
    assert len(clients) == PEOPLE
