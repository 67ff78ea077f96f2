"""gunicorn's settings for the standalone site (the Procfile's `web`).

    gunicorn -c gunicorn.conf.py culture_cms.wsgi

Meant to run behind a reverse proxy that terminates TLS and buffers requests (nginx):
sync workers, listening on loopback. Django, not gunicorn, decides which proxies to
believe (CULTURE_CMS_TRUSTED_PROXIES, SECURE_PROXY_SSL_HEADER). Anything here can be
overridden for one deployment with GUNICORN_CMD_ARGS, e.g. "--bind 0.0.0.0:8000" in a
container.

Environment: PORT (default 8000), WEB_CONCURRENCY (worker processes; default 2 per
CPU plus one, at most 8).
"""

import os
import subprocess
import sys

# Loopback only: the proxy in front is the one door in.
bind = [f"127.0.0.1:{os.environ.get('PORT', '8000')}"]

# Sync workers are right behind a buffering proxy: a slow client ties up nginx, not a
# worker. 2 per CPU + 1 is gunicorn's rule of thumb; each Wagtail worker holds about
# 150 MB, hence the cap.
cpus = len(os.sched_getaffinity(0))
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * cpus + 1, 8))

# A request still running after 30 s is stuck (a page renders in well under a second;
# mail is sent by the task worker, never in the request): its worker is replaced.
timeout = 30
# On SIGTERM, requests in hand get this long to finish.
graceful_timeout = 30
# Replace each worker after about a thousand requests, staggered, so memory a library
# leaks is given back without every worker restarting at once.
max_requests = 1000
max_requests_jitter = 100
# The workers' heartbeat files in memory, as gunicorn advises: on a container's
# overlay /tmp their updates can stall and get workers killed as if hung.
if os.path.isdir("/dev/shm"):  # noqa: S108 — a directory gunicorn writes to, not a file we open
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Logs on stdout and stderr, for the process manager (journald, honcho, a container).
accesslog = "-"
errorlog = "-"
# The client as nginx saw it (X-Forwarded-For) and the time taken, in microseconds.
access_log_format = (
    '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
)

# gunicorn >= 25 opens a control socket at one path per user ($HOME/.gunicorn/gunicorn.ctl),
# so a second instance on the same host (two ports, as `honcho start -c web=2` runs) would
# take the first one's socket. Nothing here uses gunicornc.
control_socket_disable = True


def on_starting(server):
    """Refuse to start while Django's system checks find an error (a cache table never
    made, trusted proxies that do not parse), instead of answering 500 later.

    In a process of its own: Django loaded into gunicorn's master would be what every
    worker forked after a reload runs, old code and all.
    """
    manage = os.path.join(os.path.dirname(os.path.abspath(__file__)), "manage.py")
    subprocess.run([sys.executable, manage, "check"], check=True)  # noqa: S603
