"""manage.py run_scheduled_jobs: the scheduler the Procfile runs, one round a minute."""

import logging
import os
import signal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from culture_cms.focus_groups.management.commands import run_scheduled_jobs

EVERY_ROUND = ["publish_scheduled", "send_reminders", "send_due_emails"]


@pytest.fixture
def jobs(monkeypatch):
    """The jobs run, by name, in order; `jobs.fail[name]` makes that job raise."""

    class Jobs(list):
        fail = {}
        after = None  # called with the list after each job

    ran = Jobs()

    def fake(name, **kwargs):
        ran.append(name)
        if len(ran) > 50:  # a loop that never stops fails its test instead of hanging it
            os.kill(os.getpid(), signal.SIGTERM)
        error = ran.fail.get(name)
        if ran.after:
            ran.after(ran)
        if error:
            raise error
        kwargs["stdout"].write(f"{name} done")

    monkeypatch.setattr(run_scheduled_jobs, "call_command", fake)
    return ran


@pytest.fixture
def restore_signals():
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_once_runs_every_job_then_the_daily_purge(jobs, caplog):
    caplog.set_level(logging.INFO)
    call_command("run_scheduled_jobs", "--once")
    assert jobs == [*EVERY_ROUND, "purge_signups"]
    assert "send_due_emails: send_due_emails done" in caplog.text


def test_a_failing_job_is_logged_and_the_others_still_run(jobs, caplog):
    jobs.fail["send_reminders"] = ValueError("a bug")
    with pytest.raises(CommandError, match="1 scheduled job"):
        call_command("run_scheduled_jobs", "--once")
    assert jobs == [*EVERY_ROUND, "purge_signups"]
    assert "Scheduled job send_reminders failed." in caplog.text
    assert "ValueError: a bug" in caplog.text


def test_without_the_database_the_round_stops_at_the_first_job(jobs, caplog):
    jobs.fail["publish_scheduled"] = OperationalError("connection refused")
    with pytest.raises(CommandError):
        call_command("run_scheduled_jobs", "--once")
    assert jobs == ["publish_scheduled"]
    assert "failed on the database (connection refused)" in caplog.text
    assert "Traceback" not in caplog.text


@pytest.mark.usefixtures("restore_signals")
def test_sigterm_stops_it_after_the_job_in_hand(jobs):
    def terminate_during_the_second_round(ran):
        if len(ran) == len(EVERY_ROUND) + 3:
            os.kill(os.getpid(), signal.SIGTERM)

    jobs.after = terminate_during_the_second_round
    call_command("run_scheduled_jobs", "--interval", "0")
    # Round 1: every job and the purge; round 2 stops after its second job.
    assert jobs == [*EVERY_ROUND, "purge_signups", *EVERY_ROUND[:2]]


@pytest.mark.usefixtures("restore_signals")
def test_a_purge_that_failed_is_tried_again_next_round(jobs):
    jobs.fail["purge_signups"] = OperationalError("connection refused")

    def recover_then_stop(ran):
        if ran.count("purge_signups") == 1 and ran[-1] == "purge_signups":
            jobs.fail.clear()
        if ran.count("purge_signups") == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    jobs.after = recover_then_stop
    call_command("run_scheduled_jobs", "--interval", "0")
    assert jobs == [*EVERY_ROUND, "purge_signups"] * 2
