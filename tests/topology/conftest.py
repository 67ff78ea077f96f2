"""The topology suite: the production processes on loopback (.ci/topology), driven from
outside like a trust's staff would, and checked in the database and at the SMTP sink.

    bash .ci/topology start
    .venv/bin/python -m pytest tests/topology -p no:django --confcutdir=tests/topology
    bash .ci/topology stop

Not pytest-django: this process talks to the topology's own PostgreSQL with the
production settings (read from its state.env), as one more client of the site, so
the root conftest (test settings, a test database) must stay out (--confcutdir).
Each test prints its figures in the terminal summary.
"""

import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import django
import pytest

from tests.topology.people import Site

ROOT = Path(__file__).resolve().parents[2]
TOPOLOGY = ROOT / ".ci" / "topology"
STATE_DIR = Path(
    os.environ.get("CULTURE_CMS_TOPOLOGY_DIR")
    or Path(os.environ.get("TMPDIR") or tempfile.gettempdir()) / "culture-cms-topology"
)

FIGURES = []


def read_state():
    state = {}
    for line in (STATE_DIR / "state.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            state[key] = value
    return state


def pytest_configure(config):
    if config.pluginmanager.hasplugin("django"):
        raise pytest.UsageError(
            "Run the topology suite without pytest-django: "
            "pytest tests/topology -p no:django --confcutdir=tests/topology"
        )
    if not (STATE_DIR / "state.env").exists():
        raise pytest.UsageError(f"No topology in {STATE_DIR}: run `bash .ci/topology start`.")
    # The site's own environment: this process is configured as its processes are.
    for key, value in read_state().items():
        if not key.startswith("TOPOLOGY_"):
            os.environ[key] = value
    django.setup()


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("topology figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture
def figures(request):
    """figures("…"): a line for the terminal summary, under the test's name."""

    def add(text):
        FIGURES.append(f"{request.node.name}: {text}")

    return add


class Topology:
    """The running topology: its URL, state, logs and processes."""

    def __init__(self):
        self.state = read_state()
        self.url = self.state["TOPOLOGY_URL"]
        self.ca_cert = self.state["TOPOLOGY_CA_CERT"]
        self.logs = Path(self.state["TOPOLOGY_LOGS"])
        self.site = Site(self.url, self.ca_cert)

    def run(self, *args):
        """.ci/topology ARGS… (pause postgres, resume redis …)."""
        subprocess.run(["bash", str(TOPOLOGY), *args], check=True, stdout=subprocess.DEVNULL)  # noqa: S603, S607

    def pid(self, name):
        return int(read_state()[f"TOPOLOGY_PID_{name}"])

    def starts(self, name):
        """How often the supervisor has started this process (1: never restarted)."""
        return int((STATE_DIR / f"{name}.starts").read_text())

    def processes(self, name, needle):
        """PIDs of the supervised process `name`'s descendants whose command line has needle."""
        children = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        found, todo = [], [self.pid(name)]
        while todo:
            pid = todo.pop()
            for child in children.get(pid, []):
                todo.append(child)
                try:
                    command = (Path("/proc") / str(child) / "cmdline").read_bytes()
                except OSError:
                    continue
                if needle.encode() in command and b"honcho" not in command:
                    found.append(child)
        return found

    def worker_names(self):
        """{worker id: "worker.1"…} for every db_worker the supervisors have started."""
        names = {}
        for name in ("worker.1", "worker.2"):
            log = self.log_since(f"{name}.log", 0)
            for found in re.finditer(r"Starting worker worker_id=(\w+)", log):
                names[found.group(1)] = name
        return names

    def log_size(self, name):
        return (self.logs / name).stat().st_size

    def log_since(self, name, offset):
        with (self.logs / name).open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")


@pytest.fixture(scope="session")
def topology():
    return Topology()


class Mailbox:
    """The SMTP sink's record: one JSON line per message accepted."""

    def __init__(self, record, delay_file):
        self.record, self.delay_file = Path(record), Path(delay_file)

    def mark(self):
        return self.record.stat().st_size

    def since(self, mark):
        with self.record.open("rb") as record:
            record.seek(mark)
            return [json.loads(line) for line in record.read().splitlines() if line.strip()]

    def slow_down(self, seconds):
        """Make the sink wait this long before accepting each message (0: at once)."""
        self.delay_file.write_text(f"{seconds}\n" if seconds else "")


@pytest.fixture
def mailbox(topology):
    box = Mailbox(
        topology.state["TOPOLOGY_MAIL_RECORD"], topology.state["TOPOLOGY_SMTP_DELAY_FILE"]
    )
    yield box
    box.slow_down(0)


def wait_for(predicate, seconds, every=0.5):
    """Call predicate until it returns something true, for at most `seconds`; its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def open_focus_group(slug, capacity=None):
    """The demo focus group with this slug, its signups (and their emails) deleted, open
    for signup (with `capacity` places if given), the rate-limit counts cleared."""
    from django.core.cache import cache

    from culture_cms.focus_groups.models import FocusGroupEventPage, Signup

    event = FocusGroupEventPage.objects.filter(slug=slug).order_by("pk").first().booking_event
    Signup.objects.for_focus_group(event).delete()
    changes = {"signup_opens": None, "signup_closes": None}
    if capacity is not None:
        changes["capacity"] = capacity
    FocusGroupEventPage.objects.filter(translation_key=event.translation_key).update(**changes)
    cache.clear()
    event.refresh_from_db()
    return event


@pytest.fixture
def focus_group():
    """focus_group(slug, capacity): the demo focus group, emptied and opened with that
    many places; emptied again after the test, with its places as before."""
    from django.db import connections

    used = []

    def make(slug, capacity):
        used.append((slug, open_focus_group(slug).capacity))
        return open_focus_group(slug, capacity)

    yield make
    connections.close_all()  # one opened before an outage the test caused
    for slug, capacity in used:
        open_focus_group(slug, capacity)


def send_tasks(email_ids):
    """The send_email tasks queued for these emails, oldest first."""
    from django_tasks_db.models import DBTaskResult

    wanted = set(email_ids)
    tasks = DBTaskResult.objects.filter(task_path="culture_cms.focus_groups.emails.send_email")
    return [task for task in tasks.order_by("enqueued_at") if task.args_kwargs["args"][0] in wanted]
