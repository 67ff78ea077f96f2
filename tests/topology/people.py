"""Members of staff signing up, over https through nginx, each from a loopback address of
their own: the whole of 127.0.0.0/8 is loopback, so a client can bind 127.0.1.7 and
nginx logs and forwards 127.0.1.7 (X-Forwarded-For), as it would a real colleague.
"""

import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def address(block, n):
    """The n-th address (0-based) of a block of 254: 127.0.<block>.1 onwards."""
    return f"127.0.{block + n // 254}.{n % 254 + 1}"


class SourceAddressAdapter(HTTPAdapter):
    """Connections that leave from one loopback address."""

    def __init__(self, source, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


@dataclass
class Answer:
    """One request and what came back."""

    method: str
    path: str
    status: int
    started: float  # time.time()
    finished: float
    body: str = ""
    retry_after: str | None = None
    error: str = ""  # the exception, when there was no answer at all

    @property
    def seconds(self):
        return self.finished - self.started


class Person:
    """One member of staff: a name, a work email and a browser of their own."""

    def __init__(self, site, source, email, name=None):
        self.site, self.email = site, email
        self.name = name or email.split("@")[0].replace(".", " ").title()
        self.session = requests.Session()
        for scheme in ("https://", "http://"):
            self.session.mount(scheme, SourceAddressAdapter(source))

    def request(self, method, path, **kwargs):
        started = time.time()
        try:
            # verify on each request: a session's own verify loses to REQUESTS_CA_BUNDLE.
            response = self.session.request(
                method,
                self.site.url + path.lstrip("/"),
                timeout=60,
                allow_redirects=False,
                verify=self.site.ca_cert,
                **kwargs,
            )
        except requests.RequestException as error:
            return Answer(method, path, 0, started, time.time(), error=repr(error))
        return Answer(
            method,
            path,
            response.status_code,
            started,
            time.time(),
            body=response.text,
            retry_after=response.headers.get("Retry-After"),
        )

    def form_token(self, path):
        """GET the page; its answer, and the form's CSRF token (None without a form)."""
        page = self.request("GET", path)
        match = TOKEN.search(page.body)
        return page, match and match.group(1)

    def post_form(self, path, token, **fields):
        data = {
            "csrfmiddlewaretoken": token,
            "full_name": self.name,
            "email": self.email,
            "staff_group": "nursing",
            "consent": "on",
            "website": "",
            **fields,
        }
        # Django checks the Referer of a form posted over https.
        return self.request("POST", path, data=data, headers={"Referer": self.site.url + path})

    def sign_up(self, path):
        """GET the focus group's page (the CSRF cookie and token), then POST the form."""
        page, token = self.form_token(path)
        if not token:
            return [page]
        return [page, self.post_form(path, token)]


class Site:
    """The site at its public URL (nginx), trusting the topology's certificate."""

    def __init__(self, url, ca_cert):
        self.url, self.ca_cert = url, ca_cert

    def person(self, source, email):
        return Person(self, source, email)


def burst(site, path, emails, block, threads=50):
    """Everyone signs up at once; their answers (GET then POST each) and the seconds taken."""
    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        answers = list(
            pool.map(
                lambda item: site.person(address(block, item[0]), item[1]).sign_up(path),
                enumerate(emails),
            )
        )
    return answers, time.monotonic() - started


class Stream:
    """Signups one after another on a few threads until stopped: the traffic an outage
    falls into. Each signup is a new person from a new address (from `block` onwards),
    so no rate limit is reached."""

    def __init__(self, site, path, email_pattern, block, threads=6):
        self.site, self.path, self.pattern, self.block = site, path, email_pattern, block
        self.answers, self.people = [], []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._count = 0
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(90)

    def _next(self):
        with self._lock:
            n, self._count = self._count, self._count + 1
        return n

    def _run(self):
        while not self._stop.is_set():
            n = self._next()
            person = self.site.person(address(self.block, n), self.pattern.format(n=n))
            answers = person.sign_up(self.path)
            with self._lock:
                self.people.append((person.email, answers))
                self.answers.extend(answers)
            time.sleep(0.2)  # a person every 0.2 s a thread, even while answers are fast 503s


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def latency(answers):
    """'p50 … ms, p95 … ms' of the answers' times."""
    seconds = [answer.seconds for answer in answers]
    if not seconds:
        return "no requests"
    return (
        f"p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p95 {percentile(seconds, 0.95) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms"
    )
