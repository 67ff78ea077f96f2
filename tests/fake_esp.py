"""A fake Postmark on 127.0.0.1, so anymail's real Postmark backend can be tested over HTTP.

It answers POST /email (the endpoint anymail's backend posts a single message
to) as Postmark documents: 200 with To, SubmittedAt, MessageID, ErrorCode 0 and
Message "OK". It can be told to fail (answer 500) or to be slow (delay seconds
before answering), and it records every message it accepted.

In tests: the `fake_esp` fixture (import fake_esp_fixture into the test module) starts one
and points EMAIL_BACKEND and ANYMAIL at it. By hand (a latency measurement, say):

    python tests/fake_esp.py --port 8025 --delay 2

then run the site with EMAIL_BACKEND=anymail.backends.postmark.EmailBackend,
ANYMAIL_POSTMARK_SERVER_TOKEN=fake-server-token and
ANYMAIL_POSTMARK_API_URL=http://127.0.0.1:8025/.
"""

import argparse
import datetime
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TOKEN = "fake-server-token"  # noqa: S105 — not a secret: the fake checks it is sent
WEBHOOK_SECRET = "user:pass"  # noqa: S105 — the basic auth the tests' webhooks use


class FakePostmark:
    """A threaded HTTP server speaking the part of Postmark's API that anymail uses to send."""

    def __init__(self, port=0, token=TOKEN):
        self.token = token
        # Switches a test may flip at any time.
        self.fail_status = None  # e.g. 500: answer every send with this status
        self.delay = 0  # seconds to wait before answering
        self.messages = []  # the JSON of each message accepted, with its "MessageID"
        self.attempts = 0  # every POST /email, accepted or not
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False  # don't wait for a slow answer on stop
        self._thread = None

    @property
    def url(self):
        """The POSTMARK_API_URL to give anymail."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self):
        # A short poll: shutdown() waits for serve_forever's next look at its flag.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def sent_to(self, address):
        """The accepted messages addressed to this address."""
        return [message for message in self.messages if address in message.get("To", "")]

    def _accept(self, message):
        message_id = str(uuid.uuid4())
        with self._lock:
            self.messages.append({**message, "MessageID": message_id})
        return {
            "To": message.get("To", ""),
            "SubmittedAt": datetime.datetime.now(datetime.UTC).isoformat(),
            "MessageID": message_id,
            "ErrorCode": 0,
            "Message": "OK",
        }

    def _handler(self):
        esp = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                if self.path.rstrip("/") != "/email":
                    return self._answer(404, {"ErrorCode": 404, "Message": "Not found."})
                if self.headers.get("X-Postmark-Server-Token") != esp.token:
                    return self._answer(
                        401,
                        {
                            "ErrorCode": 10,
                            "Message": "Request does not contain a valid Server token.",
                        },
                    )
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with esp._lock:
                    esp.attempts += 1
                if esp.delay:
                    time.sleep(esp.delay)
                if esp.fail_status:
                    return self._answer(
                        esp.fail_status, {"ErrorCode": esp.fail_status, "Message": "Fake failure."}
                    )
                try:
                    message = json.loads(body)
                except ValueError:
                    return self._answer(
                        422, {"ErrorCode": 402, "Message": "Received invalid JSON input."}
                    )
                return self._answer(200, esp._accept(message))

            def _answer(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # noqa: A002 — the base class's name
                pass  # keep test output clean

        return Handler


@pytest.fixture(name="fake_esp")
def fake_esp_fixture(settings):
    """A running fake Postmark, with anymail's real Postmark backend pointed at it."""
    esp = FakePostmark().start()
    yield send_to(esp, settings)
    esp.stop()


def send_to(esp, settings):
    """Point anymail's real Postmark backend at the fake (settings: pytest-django's)."""
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        "POSTMARK_SERVER_TOKEN": esp.token,
        "POSTMARK_API_URL": esp.url,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    return esp


def main():
    parser = argparse.ArgumentParser(description="Run the fake Postmark until Ctrl-C.")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--delay", type=float, default=0, help="seconds before each answer")
    parser.add_argument("--fail", type=int, default=None, help="answer every send with this status")
    options = parser.parse_args()
    esp = FakePostmark(port=options.port)
    esp.delay, esp.fail_status = options.delay, options.fail
    print(f"Fake Postmark at {esp.url} (server token {esp.token!r}); Ctrl-C stops it.")
    try:
        esp._server.serve_forever()
    except KeyboardInterrupt:
        esp._server.server_close()


if __name__ == "__main__":
    main()
