"""Signup emails through the durable queue, as in production.

Tasks go to django_tasks_db's DatabaseBackend and a batch `db_worker` drains
them; anymail's real Postmark backend talks HTTP to the fake Postmark in
tests/fake_esp.py, one for the module (stopping one waits up to half a second for
its server loop), emptied and answering again before each test. The worker commits
as it goes, as a real one does, so the tests that run it run outside a test
transaction; serialized_rollback gives each one back the rows the migrations made
(the Wagtail root page, the default site), and each builds its one focus group on
them. The tests that send or queue without the worker run in a rolled-back
transaction, which is cheaper than emptying the database after them.
"""

import base64
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from culture_cms.focus_groups import emails
from culture_cms.focus_groups.models import OutboundEmail, Signup
from tests import factories
from tests.fake_esp import WEBHOOK_SECRET, FakePostmark, send_to

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_tasks"),
]
# For a test that does not run the worker: no commit to wait for.
rolled_back = pytest.mark.django_db

Status = OutboundEmail.Status
ADA = "ada@example.nhs.uk"


@pytest.fixture
def database_tasks():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        yield


@pytest.fixture(scope="module")
def running_esp():
    """The module's fake Postmark on 127.0.0.1, started once."""
    esp = FakePostmark().start()
    yield esp
    esp.stop()


@pytest.fixture
def fake_esp(running_esp, settings):
    """The fake Postmark, as tests/fake_esp.py's `fake_esp` fixture gives it: nothing
    received, answering every send, and anymail's real Postmark backend pointed at it."""
    running_esp.fail_status, running_esp.delay = None, 0
    running_esp.messages, running_esp.attempts = [], 0
    return send_to(running_esp, settings)


@pytest.fixture
def event():
    """A focus group with its own contact, on a site of its own."""
    tree = factories.site_tree()
    return factories.focus_group(
        tree.focus_groups, contact=factories.contact(email="focus.groups@example.nhs.uk")
    )


def book(event, name="Ada Lovelace", email=ADA):
    return factories.sign_up(event, name, email=email).signup


def run_worker():
    """Run every task that is due, then stop, as `db_worker --batch` does."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def make_retries_due():
    """Move the clock past every backoff: the waiting emails and their deferred tasks."""
    past = timezone.now() - timezone.timedelta(seconds=1)
    OutboundEmail.objects.filter(status=Status.QUEUED).update(next_attempt_at=past)
    DBTaskResult.objects.filter(run_after__gt=past).update(run_after=past)


def the_email(signup, kind=OutboundEmail.Kind.CONFIRMED):
    return OutboundEmail.objects.get(signup=signup, kind=kind)


def test_a_signup_queues_its_emails_and_the_worker_sends_them(event, fake_esp):
    signup = book(event)

    assert Signup.objects.filter(pk=signup.pk, status=Signup.Status.CONFIRMED).exists()
    assert sorted(signup.emails.values_list("status", flat=True)) == [Status.QUEUED] * 2
    assert fake_esp.attempts == 0

    run_worker()

    assert fake_esp.attempts == 2
    assert sorted(m["To"] for m in fake_esp.messages) == sorted([ADA, event.contact.email])
    [to_ada] = fake_esp.sent_to(ADA)
    assert to_ada["Subject"] == f"Place confirmed: {event.title}"
    assert "Cancel your place" in to_ada["HtmlBody"]
    assert to_ada["Attachments"][0]["ContentType"].startswith("text/calendar")
    [to_contact] = fake_esp.sent_to(event.contact.email)
    assert to_contact["ReplyTo"] == ADA
    email = the_email(signup)
    assert email.status == Status.SENT
    assert email.esp_message_id == to_ada["MessageID"]
    assert email.attempts == 1


def test_with_the_esp_down_the_signup_stands_and_the_email_goes_once_it_recovers(event, fake_esp):
    fake_esp.fail_status = 500

    signup = book(event)
    run_worker()

    assert Signup.objects.filter(pk=signup.pk, status=Signup.Status.CONFIRMED).exists()
    email = the_email(signup)
    assert email.status == Status.QUEUED
    assert email.attempts == 1
    assert "AnymailRequestsAPIError" in email.last_error
    assert email.next_attempt_at > timezone.now()
    assert fake_esp.attempts == 2 and fake_esp.messages == []

    # The ESP recovers; the retry falls due, and the scheduled sweep queues another
    # send for the same email too: two tasks, one email.
    fake_esp.fail_status = None
    make_retries_due()
    call_command("send_due_emails", verbosity=0)
    assert DBTaskResult.objects.filter(args_kwargs__args=[email.pk]).count() == 3
    run_worker()
    run_worker()

    assert len(fake_esp.sent_to(ADA)) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 2
    assert email.last_error == ""
    assert email.esp_message_id == fake_esp.sent_to(ADA)[0]["MessageID"]


def test_an_outage_for_several_signups_loses_no_email_and_sends_none_twice(event, fake_esp):
    """The ESP answers 500 for a while, then recovers: every email arrives exactly once."""
    fake_esp.fail_status = 500
    people = [(f"Person {n}", f"person{n}@example.nhs.uk") for n in range(4)]
    for name, address in people:
        book(event, name, address)
    run_worker()
    make_retries_due()
    run_worker()  # a second failed round
    assert fake_esp.messages == [] and fake_esp.attempts == 16

    fake_esp.fail_status = None
    make_retries_due()
    call_command("send_due_emails", verbosity=0)
    run_worker()
    run_worker()

    expected = OutboundEmail.objects.all()
    assert expected.count() == 8  # each person's confirmation and the contact's notice
    assert set(expected.values_list("status", flat=True)) == {Status.SENT}
    sent_ids = [message["MessageID"] for message in fake_esp.messages]
    assert len(sent_ids) == len(set(sent_ids)) == 8
    assert sorted(sent_ids) == sorted(expected.values_list("esp_message_id", flat=True))
    for _name, address in people:
        assert len(fake_esp.sent_to(address)) == 1


def test_a_second_task_before_the_retry_is_due_does_not_try_again(event, fake_esp):
    fake_esp.fail_status = 500
    email = the_email(book(event))
    run_worker()
    assert fake_esp.attempts == 2

    # A sweep that raced the deferred retry, or piled up while the worker was down.
    emails.send_email.enqueue(email.pk)
    run_worker()

    assert fake_esp.attempts == 2
    email.refresh_from_db()
    assert email.attempts == 1


@rolled_back
def test_delivering_the_same_email_twice_sends_it_once(event, fake_esp):
    email = the_email(book(event))

    emails.deliver(email.pk)
    emails.deliver(email.pk)

    assert len(fake_esp.sent_to(ADA)) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 1


@rolled_back
def test_task_arguments_are_email_ids_only(event):
    signup = book(event, name="Ada Lovelace")

    tasks = DBTaskResult.objects.filter(task_path="culture_cms.focus_groups.emails.send_email")
    assert tasks.count() == 2
    assert sorted(task.args_kwargs["args"][0] for task in tasks) == sorted(
        signup.emails.values_list("pk", flat=True)
    )
    for task in tasks:
        [email_id] = task.args_kwargs["args"]
        assert type(email_id) is int
        assert task.args_kwargs["kwargs"] == {}
        assert "Ada" not in json.dumps(task.args_kwargs) and "@" not in json.dumps(task.args_kwargs)


@override_settings(CULTURE_CMS_EMAIL_MAX_ATTEMPTS=3)
def test_after_the_last_attempt_the_email_is_failed_and_left_alone(event, fake_esp):
    fake_esp.fail_status = 500
    email = the_email(book(event))

    for _ in range(5):
        run_worker()
        make_retries_due()
        call_command("send_due_emails", verbosity=0)

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 3
    assert "500" in email.last_error
    # Three tries for each of the two emails, then no more.
    assert fake_esp.attempts == 6
    assert not OutboundEmail.objects.filter(status=Status.QUEUED).exists()


def post_webhook(client, payload, secret=WEBHOOK_SECRET):
    return client.post(
        "/anymail/postmark/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(secret.encode()).decode(),
    )


def delivery(message_id, recipient):
    """Postmark's Delivery webhook, as its documentation shows it."""
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": message_id,
        "Recipient": recipient,
        "Tag": "",
        "DeliveredAt": "2026-12-01T16:34:52Z",
        "Details": "Test delivery webhook details",
        "Metadata": {},
    }


def bounce(message_id, recipient):
    """Postmark's Bounce webhook (a hard bounce), as its documentation shows it."""
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "",
        "MessageID": message_id,
        "Metadata": {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user, "
        "mailbox not found).",
        "Details": "Test bounce details",
        "Email": recipient,
        "From": "culture-programme@example.nhs.uk",
        "BouncedAt": "2026-12-01T16:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Place confirmed",
        "Content": "",
    }


def test_postmark_webhooks_record_delivered_and_bounced(event, fake_esp, client):
    signup = book(event)
    run_worker()
    to_ada = the_email(signup)
    to_contact = the_email(signup, OutboundEmail.Kind.CONTACT_SIGNUP)
    assert to_ada.esp_message_id and to_contact.esp_message_id

    assert (
        post_webhook(client, delivery(to_contact.esp_message_id, to_contact.recipient)).status_code
        == 200
    )
    assert post_webhook(client, bounce(to_ada.esp_message_id, ADA)).status_code == 200

    to_ada.refresh_from_db()
    to_contact.refresh_from_db()
    assert to_contact.status == Status.DELIVERED
    assert to_ada.status == Status.BOUNCED
    # An organiser sees it in the admin's Emails list.
    client.force_login(
        get_user_model().objects.create_superuser("organiser", "organiser@example.nhs.uk")
    )
    listed = client.get(reverse("culture_signup_emails:index"))
    rows = {email.recipient: email.get_status_display() for email in listed.context["object_list"]}
    assert rows == {ADA: "Bounced", to_contact.recipient: "Delivered"}
    assert "Bounced" in listed.content.decode() and "Delivered" in listed.content.decode()


def test_a_webhook_without_the_secret_changes_nothing(event, fake_esp, client):
    signup = book(event)
    run_worker()
    email = the_email(signup)

    response = post_webhook(client, bounce(email.esp_message_id, ADA), secret="user:wrong")

    assert response.status_code == 400
    assert OutboundEmail.objects.filter(status=Status.BOUNCED).count() == 0
    email.refresh_from_db()
    assert email.status == Status.SENT
