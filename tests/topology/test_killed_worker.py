"""A task worker killed (SIGKILL) in the middle of sending, while the queue drains: every
email still goes out, at most the one it held goes out twice, and the scheduler's sweep
sends the email it held once the lease is over, with nobody stepping in."""

import os
import signal
import time
import uuid
from collections import Counter

from tests.topology.conftest import send_tasks, wait_for

SIGNUPS = 100  # two emails each
SMTP_SECONDS = 0.1  # each message takes this long at the sink: where the kill finds it


def catch_sending(pid, worker_id, email_ids):
    """Freeze the worker until it is caught between claiming an email and recording it
    sent (rendering it, or in SMTP); return that email, the worker still frozen."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from culture_cms.focus_groups.models import OutboundEmail

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        os.kill(pid, signal.SIGSTOP)
        held = DBTaskResult.objects.filter(
            status="RUNNING", worker_ids__contains=[worker_id], args_kwargs__args__0__in=email_ids
        ).first()
        if held:
            email = OutboundEmail.objects.get(pk=held.args_kwargs["args"][0])
            if (
                email.status == OutboundEmail.Status.QUEUED
                and email.next_attempt_at > timezone.now()
            ):
                return email, held
        os.kill(pid, signal.SIGCONT)
        time.sleep(0.02)
    raise AssertionError("the worker was never caught sending")


def test_worker_killed_while_the_queue_drains(topology, mailbox, focus_group, figures):
    from django.db import transaction

    from culture_cms.conf import setting
    from culture_cms.focus_groups import services
    from culture_cms.focus_groups.models import OutboundEmail, Signup

    event = focus_group("corporate-and-support-services", 1000)
    run = uuid.uuid4().hex[:6]
    lease = setting("CULTURE_CMS_EMAIL_SENDING_LEASE")
    assert lease <= 60, (
        f"the sending lease is {lease} s: the settings should take "
        "CULTURE_CMS_EMAIL_SENDING_LEASE from the environment (the topology sets 15)"
    )
    [pid] = topology.processes("WORKER_1", "db_worker")
    worker_id = next(wid for wid, name in topology.worker_names().items() if name == "worker.1")
    starts = topology.starts("worker.1")
    mailbox.slow_down(SMTP_SECONDS)
    mark = mailbox.mark()

    # Queued as the site queues them (signup and emails in one transaction), all at once.
    with transaction.atomic():
        for n in range(SIGNUPS):
            services.sign_up(
                event,
                full_name=f"Queue {n}",
                email=f"drain.{run}.{n}@example.nhs.uk",
                staff_group="nursing",
                language="en-gb",
            )
    queued = time.monotonic()
    outbound = OutboundEmail.objects.filter(signup__in=Signup.objects.for_focus_group(event))
    email_ids = list(outbound.values_list("pk", flat=True))
    time.sleep(1)  # the drain under way

    held, held_task = catch_sending(pid, worker_id, email_ids)
    os.kill(pid, signal.SIGKILL)
    killed, killed_at = time.monotonic(), held.next_attempt_at  # the lease ends then
    sent_by_then = outbound.filter(status=OutboundEmail.Status.SENT).count()

    restarted = wait_for(
        lambda: (
            topology.starts("worker.1") > starts
            and [p for p in topology.processes("WORKER_1", "db_worker") if p != pid]
        ),
        30,
        every=0.2,
    )
    restart_seconds = time.monotonic() - killed
    every_sent = wait_for(
        lambda: not outbound.exclude(status=OutboundEmail.Status.SENT).exists(), 90
    )
    drained = time.monotonic() - queued
    mailbox.slow_down(0)

    def key(email):  # what tells one email from another at the sink
        return (
            ("person", email.recipient)
            if email.kind != "contact_signup"
            else ("contact", email.signup.email)
        )

    keys = {email.pk: key(email) for email in outbound.select_related("signup")}
    arrived = Counter(
        ("person", m["to"]) if run in m["to"] else ("contact", m["reply_to"])
        for m in mailbox.since(mark)
        if run in m["to"] + m["reply_to"]
    )
    twice = {k: n for k, n in arrived.items() if n > 1}
    held.refresh_from_db()
    held_task.refresh_from_db()
    resent_by = [task for task in send_tasks([held.pk]) if task.enqueued_at > killed_at]
    figures(
        f"{len(email_ids)} emails queued in one commit; worker.1 (pid {pid}) killed "
        f"{killed - queued:.1f} s into the drain, holding email {held.pk} (claimed, not yet "
        f"recorded sent; {sent_by_then} sent by then); restarted by its supervisor in "
        f"{restart_seconds:.1f} s"
    )
    figures(
        f"all {len(email_ids)} sent {drained:.1f} s after queueing; delivered twice: "
        f"{sum(twice.values()) - len(twice)} ({list(twice) or 'none'}); the held email sent "
        f"again {(held.sent_at - killed_at).total_seconds():+.1f} s after its {lease} s lease "
        f"ended, by a task the sweep queued; the killed task stays {held_task.status}"
    )
    assert restarted, "worker.1 was not started again"
    assert every_sent, (
        f"still unsent: {list(outbound.exclude(status='sent').values('pk', 'status'))}"
    )
    assert set(arrived) == set(keys.values()), "an email never arrived"
    assert set(twice) <= {keys[held.pk]}, "an email the killed worker did not hold arrived twice"
    assert held.attempts == 2 and held.sent_at >= killed_at
    assert any(task.status == "SUCCESSFUL" for task in resent_by)
