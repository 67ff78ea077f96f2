"""Signup POST latency on the dev server, with a slow ESP and with an instant one.

Mail is sent by the task worker, off the request path, so a 2-second ESP must
not slow a signup down. For each ESP delay this starts the fake Postmark
(tests/fake_esp.py), `manage.py runserver` and `manage.py db_worker` against a
fresh SQLite database, posts N signups one after another (each after a GET of
the form, as a browser would), and reports p50 and p95 of the POST alone. Then
it waits for the worker to send every email, so the run also shows that the
slow ESP really was slow.

    make bench                 # or: .venv/bin/python tests/bench/signup_latency.py -n 40
"""

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fake_esp import TOKEN, FakePostmark  # noqa: E402

PORT = 8031
EVENT_PATH = "/culture-and-leadership/focus-groups/ward-and-clinical-staff/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def manage(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 — loopback only
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def post_signups(count, label):
    """POST `count` signups; the seconds each POST took, to its 303 answer."""
    timings = []
    base = f"http://127.0.0.1:{PORT}{EVENT_PATH}"
    for n in range(count):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        form = opener.open(base, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "full_name": f"Bench {label} {n}",
                "email": f"bench.{label}.{n}@example.nhs.uk",
                "staff_group": "nursing",
                "consent": "on",
                "website": "",
            }
        ).encode()
        request = urllib.request.Request(base, data=data, headers={"Referer": base})
        started = time.perf_counter()
        try:
            opener.open(request, timeout=30)
            raise RuntimeError("expected a redirect after signing up")
        except urllib.error.HTTPError as answer:
            if answer.code != 303:
                raise RuntimeError(f"signup answered {answer.code}") from answer
        timings.append(time.perf_counter() - started)
    return timings


def run(delay, count):
    esp = FakePostmark()
    esp.delay = delay
    esp.start()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
            "ANYMAIL_POSTMARK_SERVER_TOKEN": TOKEN,
            "ANYMAIL_POSTMARK_API_URL": esp.url,
        }
        quiet = {"stdout": subprocess.DEVNULL}
        manage(env, "migrate", "--no-input", **quiet)
        manage(env, "createcachetable", **quiet)
        manage(env, "load_initial_data", **quiet)
        manage(
            env,
            "shell",
            "-c",
            "from culture_cms.programme.models import "
            "FocusGroupEventPage as E; E.objects.update(capacity=10000)",
            **quiet,
        )
        background = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            cwd=ROOT,
            env=env,
            **background,
        )
        worker = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
            ],
            cwd=ROOT,
            env=env,
            **background,
        )
        try:
            wait_for(f"http://127.0.0.1:{PORT}{EVENT_PATH}")
            post_signups(3, f"warmup{delay}")
            timings = post_signups(count, f"d{delay}")
            expected = 2 * (count + 3)  # the participant's and the contact's email each
            deadline = time.monotonic() + expected * (delay + 1) + 60
            while len(esp.messages) < expected and time.monotonic() < deadline:
                time.sleep(0.5)
            sent = len(esp.messages)
        finally:
            server.terminate()
            worker.terminate()
            server.wait()
            worker.wait()
            esp.stop()
    return timings, sent, expected


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=40, help="signups per ESP delay")
    parser.add_argument("--slow", type=float, default=2.0, help="the slow ESP's delay, seconds")
    args = parser.parse_args()
    results = {}
    for delay in (0.0, args.slow):
        timings, sent, expected = run(delay, args.count)
        results[delay] = timings
        print(
            f"ESP delay {delay:.1f} s: signup POST p50 {statistics.median(timings) * 1000:.0f} ms,"
            f" p95 {percentile(timings, 0.95) * 1000:.0f} ms over {len(timings)} signups;"
            f" the worker sent {sent} of {expected} emails"
        )
    fast, slow = results[0.0], results[args.slow]
    print(
        f"slow/instant ESP: p50 ratio {statistics.median(slow) / statistics.median(fast):.2f},"
        f" p95 ratio {percentile(slow, 0.95) / percentile(fast, 0.95):.2f}"
    )


if __name__ == "__main__":
    main()
