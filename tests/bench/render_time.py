"""Render time of the Tool 4.3 key messages page, in-process, per request.

Builds a fresh SQLite file database with the demo content (migrate and
load_initial_data, test settings), then asks Django's test Client for the page
as an anonymous reader: a warm-up, then N timed requests. Prints the median and
p90 in milliseconds (wall and CPU time) and the queries one request makes. `--profile` adds a
cProfile of the timed requests and the share of their time spent filling tokens.

    .venv/bin/python tests/bench/render_time.py -n 300 [--profile] [--keep-db]
"""

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DB = Path(tempfile.gettempdir()) / "tokens-bench.sqlite3"  # or --db
# The functions that fill tokens (before and after issue 11 split them by job).
FILLING = {"fill", "fill_text", "fill_html", "fill_rich_text", "fill_value"}


def build_database(env, path):
    """A fresh database with the demo content, made by the project's own commands."""
    path.unlink(missing_ok=True)
    for args in (["migrate", "--no-input", "-v", "0"], ["load_initial_data"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def token_share(profile):
    """Seconds spent filling tokens, and all seconds profiled.

    Filling is the time in the FILLING functions of the tokens module (or package)
    when called from outside it, so a call from one of them to another counts once.
    """
    stats = pstats.Stats(profile)
    filling = 0.0
    for (filename, _line, name), row in stats.stats.items():
        if name not in FILLING or not _in_tokens(filename):
            continue
        filling += sum(
            caller_row[3] for caller, caller_row in row[4].items() if not _in_tokens(caller[0])
        )
    return filling, stats.total_tt


def _in_tokens(filename):
    return "culture_cms/organisation/tokens" in filename.replace(os.sep, "/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="timed requests (default 300)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed requests")
    parser.add_argument("--keep-db", action="store_true", help="reuse the database if it exists")
    parser.add_argument("--db", type=Path, default=DB, help=f"SQLite file (default {DB})")
    args = parser.parse_args()

    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL"}} | {
        "DJANGO_SETTINGS_MODULE": "culture_cms.settings.test",
        "DATABASE_URL": f"sqlite:///{args.db}",
    }
    if not (args.keep_db and args.db.exists()):
        build_database(env, args.db)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from culture_cms.programme.models import KeyMessagesPage

    setup_test_environment()  # ALLOWED_HOSTS for testserver, as the test runner does
    page = KeyMessagesPage.objects.live().filter(
        tool_reference="4.3", locale__language_code="en-gb"
    )
    url = page.get().url
    client = Client()
    for _ in range(args.warmup):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    query_count = len(queries)  # now: a later request's connection close clears the log

    profile = cProfile.Profile() if args.profile else None
    times, cpu_times = [], []
    for _ in range(args.n):
        if profile:
            profile.enable()
        start, cpu_start = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
        if profile:
            profile.disable()

    print(f"Tool 4.3 key messages page {url} ({len(response.content)} bytes), {args.n} requests")
    print(f"  median {statistics.median(times):.2f} ms   p90 {percentile(times, 0.9):.2f} ms")
    # CPU time is this process's alone: steadier than wall time on a shared machine.
    print(
        f"  CPU median {statistics.median(cpu_times):.2f} ms   "
        f"p90 {percentile(cpu_times, 0.9):.2f} ms"
    )
    print(f"  min {min(times):.2f} ms   max {max(times):.2f} ms   queries {query_count}")
    if profile:
        filling, total = token_share(profile)
        print(f"  token filling {filling:.3f} s of {total:.3f} s ({100 * filling / total:.1f}%)")
        stats = pstats.Stats(profile).sort_stats("cumulative")
        stats.print_stats(20)
        stats.print_stats("culture_cms/organisation/")


if __name__ == "__main__":
    main()
