"""Redis stopped while people sign up: signups go on (the rate limits let everyone
through, and each web process says so once in the log), and once Redis is back the
limits count again."""

import re
import time
import uuid
from collections import Counter

from tests.topology.people import Stream, address, latency

OUTAGE = 10
# Each web process leaves Redis alone this long after finding it gone (culture_cms.cache).
RETRY_SECONDS = 5
WARNING = "Redis is unreachable"


def test_redis_stopped_during_signups(topology, focus_group, figures):
    from culture_cms.conf import setting
    from culture_cms.focus_groups.models import Signup

    limits = setting("CULTURE_CMS_SIGNUP_RATE_LIMIT")
    limit = limits["per_ip"]
    event = focus_group("ward-and-clinical-staff", 1000)
    path = event.get_url_parts()[2]
    run = uuid.uuid4().hex[:6]
    log = topology.log_size("web.log")

    pattern = f"cache.{run}.{{n}}@example.nhs.uk"
    with Stream(topology.site, path, pattern, block=50) as stream:
        time.sleep(2)
        topology.run("pause", "redis")
        paused = time.time()
        # Open: one client past the limit, and no 429.
        eager = topology.site.person(address(61, 0), f"eager.{run}@example.nhs.uk")
        token = eager.form_token(path)[1]
        unlimited = [eager.post_form(path, token, consent="") for _ in range(limit + 5)]
        time.sleep(max(0, paused + OUTAGE - time.time()))
        resuming = time.time()
        topology.run("resume", "redis")
        time.sleep(3)

    statuses = Counter(answer.status for answer in stream.answers)
    during = [a for a in stream.answers if a.started >= paused and a.finished < resuming]
    posted = {email: answers[1].status for email, answers in stream.people if len(answers) > 1}
    saved = set(Signup.objects.for_focus_group(event).values_list("email", flat=True))
    warnings = re.findall(rf"(web\.\d) .*{WARNING}", topology.log_since("web.log", log))

    # Back: one client's attempts count again, to the limit and a 429 past it. Every web
    # process tries Redis again RETRY_SECONDS after its last miss.
    time.sleep(RETRY_SECONDS + 1)
    for n in range(2):  # again if the attempts straddled the end of a window
        window = int(time.time() // limits["window"])
        person = topology.site.person(address(60, n), f"limit.{run}.{n}@example.nhs.uk")
        page, token = person.form_token(path)
        attempts = [person.post_form(path, token, consent="") for _ in range(limit + 1)]
        if int(time.time() // limits["window"]) == window:
            break

    figures(
        f"Redis down {OUTAGE} s under a stream of signups: {len(stream.answers)} answers "
        f"{dict(sorted(statuses.items()))}; {len(during)} during the outage ({latency(during)}); "
        f"{len(saved)} signups saved of {sum(s == 303 for s in posted.values())} answered 303; "
        f"'{WARNING}' logged {len(warnings)} times ({dict(Counter(warnings))})"
    )
    figures(
        f"during the outage {len(unlimited)} attempts from one address (the limit is {limit}) "
        f"answered {dict(Counter(a.status for a in unlimited))}"
    )
    figures(
        f"after Redis came back: {limit + 1} attempts from one address answered "
        f"{dict(Counter(a.status for a in attempts))}, the last {attempts[-1].status}"
    )
    assert during, "no requests during the outage"
    assert set(statuses) <= {200, 303}, f"answers other than 200 and 303: {statuses}"
    assert {email for email, status in posted.items() if status == 303} == saved
    assert [a.status for a in unlimited] == [200] * (limit + 5), "the limit did not fail open"
    # One warning a web process (2 gunicorns x WEB_CONCURRENCY workers), not one a request.
    assert 1 <= len(warnings) <= 2 * int(topology.state["WEB_CONCURRENCY"])
    assert [a.status for a in attempts[:limit]] == [200] * limit  # the form, with its errors
    assert attempts[-1].status == 429
