"""Emails through the backends a trust configures from the environment, and every way
sending can fail.

The relay is a real aiosmtpd SMTP server on 127.0.0.1, in a thread, that refuses mail
until the client has switched to TLS with STARTTLS and signed in with AUTH, as NHSmail
and most in-house relays do. Its certificate is a throwaway one made here with openssl;
the client trusts it the way a host trusts its trust's own certificate authority, through
OpenSSL's SSL_CERT_FILE, so the certificate and the host name are still verified.
"""

import email
import email.policy
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import default_task_backend

from culture_cms.focus_groups import emails
from culture_cms.focus_groups.models import OutboundEmail, Signup
from tests import factories
from tests.factories.focus_groups import NAMING_NOBODY, email_of_kind
from tests.factories.module_data import built_once

Kind = OutboundEmail.Kind
Status = OutboundEmail.Status
ADA = "ada@example.nhs.uk"
# To a person with a place (the waitlist gets no event): an invitation, METHOD:REQUEST;
# for a cancellation, the event taken out of the calendar, METHOD:CANCEL.
CALENDARS = {
    **dict.fromkeys(
        [Kind.CONFIRMED, Kind.PROMOTED, Kind.MOVED, Kind.REMINDER, Kind.CHANGED],
        [("focus-group.ics", "text/calendar", "REQUEST")],
    ),
    **dict.fromkeys(
        [Kind.CANCELLED, Kind.GROUP_CANCELLED],
        [("cancelled-focus-group.ics", "text/calendar", "CANCEL")],
    ),
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
RELAY_USER = "culture.programme@example.nhs.uk"
RELAY_PASSWORD = "relay-password"
SECONDS = timezone.timedelta(seconds=1)


# The relay ------------------------------------------------------------------------------


class Mailbox:
    """The relay's handler: what it accepted, and how each session was secured."""

    def __init__(self):
        self.received = []
        self.refused = set()  # recipients the relay answers with a 550

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            SimpleNamespace(
                recipients=list(envelope.rcpt_tos),
                message=email.message_from_bytes(envelope.content, policy=email.policy.default),
                starttls=session.ssl is not None,
                login=session.auth_data,
            )
        )
        return "250 OK"


def check_login(server, session, envelope, mechanism, auth_data):
    """The relay's authenticator: only the configured account may send."""
    if (auth_data.login, auth_data.password) != (RELAY_USER.encode(), RELAY_PASSWORD.encode()):
        return AuthResult(success=False, handled=False)  # aiosmtpd answers 535
    return AuthResult(success=True, auth_data=auth_data.login.decode())


class LoopbackController(Controller):
    """aiosmtpd's threaded server on a port the system picks, so no two runs collide."""

    def _trigger_server(self):
        # Bound to port 0: learn the real port before the controller checks the server is up.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture(scope="module")
def relay_certificate(tmp_path_factory):
    """A throwaway self-signed certificate and key for 127.0.0.1."""
    openssl = shutil.which("openssl")
    assert openssl, "these tests make the relay's certificate with openssl"
    folder = tmp_path_factory.mktemp("relay")
    certificate, key = folder / "certificate.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            key,
            "-out",
            certificate,
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


@pytest.fixture
def relay(relay_certificate, settings, monkeypatch):
    """A relay on loopback requiring STARTTLS and AUTH, and the EMAIL_* settings for it."""
    certificate, key = relay_certificate
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(certificate, key)
    mailbox = Mailbox()
    controller = LoopbackController(
        mailbox,
        hostname="127.0.0.1",
        port=0,
        tls_context=tls,
        require_starttls=True,
        auth_required=True,
        authenticator=check_login,
    )
    controller.start()
    # Django's SMTP backend verifies the relay with ssl.create_default_context(), which
    # trusts the system's certificate authorities or those in SSL_CERT_FILE.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = RELAY_USER
    settings.EMAIL_HOST_PASSWORD = RELAY_PASSWORD
    settings.EMAIL_USE_TLS = True
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield mailbox
    controller.stop()


# The emails -----------------------------------------------------------------------------


def build():
    tree = factories.site_tree()
    return factories.focus_group(tree.focus_groups, contact=tree.contact)


# Made once for the module (tests/factories/module_data.py); each test has its copy.
built, made = built_once(build)


@pytest.fixture
def event(made):
    """An in-person focus group, with its contact."""
    return made


@pytest.fixture
def ada(event):
    """A confirmed signup made directly, so no email has been queued for it yet."""
    return Signup.objects.create(
        event=event,
        status=Signup.Status.CONFIRMED,
        full_name="Ada Lovelace",
        email=ADA,
        staff_group="nursing",
    )


def recorded(kind, signup):
    """An email of this kind about the signup, recorded as emails.queue() records it."""
    outbound = email_of_kind(kind, signup)
    outbound.save()
    return outbound


def reloaded(outbound):
    outbound.refresh_from_db()
    return outbound


# Through the relay ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", Kind.values)
def test_each_kind_reaches_the_relay_once_with_both_bodies_and_its_calendar(
    relay, ada, event, kind
):
    outbound = recorded(kind, ada)
    expected_to = event.contact.email if kind.startswith("contact_") else ADA

    emails.deliver(outbound.pk)
    emails.deliver(outbound.pk)

    [received] = relay.received
    message = received.message
    assert received.recipients == [expected_to]
    assert message["To"] == expected_to
    assert message["From"] == django_settings.DEFAULT_FROM_EMAIL
    assert message["Subject"] == emails.build_message(outbound).subject
    text, html = message.get_body(["plain"]), message.get_body(["html"])
    if kind not in NAMING_NOBODY:
        assert "Ada Lovelace" in text.get_content() and "Ada Lovelace" in html.get_content()
    calendars = [
        (part.get_filename(), part.get_content_type(), part.get_param("method"))
        for part in message.iter_attachments()
    ]
    assert calendars == CALENDARS.get(kind, [])
    assert reloaded(outbound).status == Status.SENT
    assert outbound.attempts == 1 and outbound.last_error == ""


def test_the_relay_session_is_encrypted_and_signed_in(relay, ada):
    emails.deliver(recorded(Kind.CONFIRMED, ada).pk)

    [received] = relay.received
    assert received.starttls
    assert received.login == RELAY_USER


def test_a_relay_whose_certificate_is_not_trusted_is_sent_nothing(relay, ada, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE")
    outbound = recorded(Kind.CONFIRMED, ada)

    emails.deliver(outbound.pk)

    assert relay.received == []
    assert reloaded(outbound).status == Status.QUEUED
    assert outbound.last_error.startswith("SSLCertVerificationError: ")


def test_the_log_names_the_email_by_its_id_and_never_its_address(relay, ada, caplog):
    relay.refused.add(ADA)
    outbound = recorded(Kind.CONFIRMED, ada)

    emails.deliver(outbound.pk)

    # The organiser sees which address the relay refused; the log does not.
    assert ADA in reloaded(outbound).last_error
    [logged] = [r for r in caplog.records if r.name == "culture_cms.focus_groups.emails"]
    assert logged.getMessage().startswith(
        f"Email {outbound.pk} not sent: SMTPRecipientsRefused on try 1 of 10"
    )
    assert ADA not in logged.getMessage()


# To files ---------------------------------------------------------------------------------


def test_the_file_backend_writes_each_email_to_EMAIL_FILE_PATH(ada, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"
    outbound = recorded(Kind.CONFIRMED, ada)

    emails.deliver(outbound.pk)

    [written] = (tmp_path / "outbox").iterdir()
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["To"] == ADA
    assert message["Subject"] == emails.build_message(outbound).subject
    assert reloaded(outbound).status == Status.SENT


# Every failure ------------------------------------------------------------------------------


class NobodyExpectsThis(Exception):
    """An exception that no code catches by name."""


class BrokenBackend(BaseEmailBackend):
    """A third-party backend that fails in its own way."""

    def send_messages(self, email_messages):
        raise NobodyExpectsThis("the backend gave up")


@pytest.fixture
def nothing_listening():
    """A loopback port held open but not listening: connecting to it is refused."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


@pytest.fixture
def nothing_answering():
    """A loopback port that takes connections and never says a word, like a hung relay."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen()
        yield hung.getsockname()[1]


@pytest.fixture(
    params=[
        "file backend without a path",
        "STARTTLS and SSL both on",
        "relay down",
        "wrong password",
        "any other",
    ]
)
def sending_fails(request, settings):
    """Email settings under which every send fails; the name of the error it fails with."""
    if request.param == "file backend without a path":
        settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        settings.EMAIL_FILE_PATH = None
        return "TypeError"
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 5
    if request.param == "STARTTLS and SSL both on":
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = True
        return "ValueError"
    if request.param == "relay down":
        settings.EMAIL_PORT = request.getfixturevalue("nothing_listening")
        return "ConnectionRefusedError"
    if request.param == "wrong password":
        request.getfixturevalue("relay")
        settings.EMAIL_HOST_PASSWORD = "not-the-password"
        return "SMTPAuthenticationError"
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    return "NobodyExpectsThis"


def test_a_failure_is_recorded_on_the_email_and_counts_as_a_try(sending_fails, ada):
    outbound = recorded(Kind.CONFIRMED, ada)

    emails.deliver(outbound.pk)

    assert reloaded(outbound).status == Status.QUEUED
    assert outbound.attempts == 1
    assert outbound.last_error.startswith(f"{sending_fails}: ")


@pytest.mark.usefixtures("queue_only")
def test_a_failure_is_tried_again_after_the_backoff(sending_fails, ada):
    outbound = recorded(Kind.CONFIRMED, ada)
    now = timezone.now()

    emails.deliver(outbound.pk, now=now)

    assert reloaded(outbound).next_attempt_at == now + 60 * SECONDS
    [retry] = default_task_backend.results
    assert retry.args == [outbound.pk]
    assert retry.task.run_after == outbound.next_attempt_at
    emails.deliver(outbound.pk, now=now + 59 * SECONDS)
    assert reloaded(outbound).attempts == 1
    emails.deliver(outbound.pk, now=now + 60 * SECONDS)
    assert reloaded(outbound).attempts == 2
    assert outbound.next_attempt_at == now + 180 * SECONDS


def test_after_the_last_try_the_email_is_failed_and_left_alone(sending_fails, ada, settings):
    settings.CULTURE_CMS_EMAIL_MAX_ATTEMPTS = 2
    outbound = recorded(Kind.CONFIRMED, ada)
    now = timezone.now()

    emails.deliver(outbound.pk, now=now)
    emails.deliver(outbound.pk, now=now + 60 * SECONDS)

    assert reloaded(outbound).status == Status.FAILED
    assert outbound.status_changed_at == now + 60 * SECONDS
    assert outbound.last_error.startswith(f"{sending_fails}: ")
    later = now + timezone.timedelta(days=1)
    assert emails.send_due(now=later) == 0
    emails.deliver(outbound.pk, now=later)
    assert reloaded(outbound).attempts == 2


def test_a_relay_that_never_answers_is_given_up_on_after_EMAIL_TIMEOUT(
    ada, settings, nothing_answering
):
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", nothing_answering
    settings.EMAIL_TIMEOUT = 1
    outbound = recorded(Kind.CONFIRMED, ada)

    started = time.monotonic()
    emails.deliver(outbound.pk)

    assert time.monotonic() - started < 5
    assert reloaded(outbound).status == Status.QUEUED and outbound.attempts == 1
    assert "timed out" in outbound.last_error


def test_a_bug_is_logged_with_where_it_was_raised(ada, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = None

    emails.deliver(recorded(Kind.CONFIRMED, ada).pk)

    [logged] = [r for r in caplog.records if r.name == "culture_cms.focus_groups.emails"]
    assert "TypeError on try 1" in logged.getMessage()
    assert "django/core/mail/backends/filebased.py" in logged.getMessage()


class StoppedWorker(BaseEmailBackend):
    """The worker is stopped in the middle of a send (SystemExit, as on a shutdown)."""

    def send_messages(self, email_messages):
        raise SystemExit


@pytest.mark.usefixtures("queue_only")
def test_an_email_left_by_a_stopped_worker_is_swept_up_after_the_lease(ada, settings):
    settings.CULTURE_CMS_EMAIL_SENDING_LEASE = 5
    settings.EMAIL_BACKEND = f"{__name__}.StoppedWorker"
    outbound = recorded(Kind.CONFIRMED, ada)
    now = timezone.now()

    with pytest.raises(SystemExit):
        emails.deliver(outbound.pk, now=now)

    assert reloaded(outbound).status == Status.QUEUED and outbound.attempts == 1
    assert emails.send_due(now=now + 4 * SECONDS) == 0
    assert emails.send_due(now=now + 5 * SECONDS) == 1


# From the environment ---------------------------------------------------------------------


EMAIL_SETTINGS = [
    "EMAIL_BACKEND",
    "EMAIL_FILE_PATH",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
]


def email_settings(**env):
    """The EMAIL_* settings a fresh interpreter reads from this environment alone."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    environ.update(env, DJANGO_SETTINGS_MODULE="culture_cms.settings.dev")
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings;"
            f"print(json.dumps({{name: getattr(settings, name) for name in {EMAIL_SETTINGS}}}))",
        ],
        cwd=django_settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_an_smtp_relay_is_configured_from_the_environment():
    assert email_settings(
        EMAIL_BACKEND=SMTP_BACKEND,
        EMAIL_HOST="send.nhs.net",
        EMAIL_PORT="587",
        EMAIL_HOST_USER=RELAY_USER,
        EMAIL_HOST_PASSWORD=RELAY_PASSWORD,
        EMAIL_USE_TLS="true",
        EMAIL_TIMEOUT="10",
        EMAIL_FILE_PATH="/var/mail/culture",
    ) == {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_FILE_PATH": "/var/mail/culture",
        "EMAIL_HOST": "send.nhs.net",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": RELAY_USER,
        "EMAIL_HOST_PASSWORD": RELAY_PASSWORD,
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


def test_unset_they_are_djangos_defaults_but_a_silent_relay_is_given_up_after_30_seconds():
    assert email_settings() == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "EMAIL_FILE_PATH": None,
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }
