"""An SMTP server on loopback that accepts every message and records it, for the topology.

Each message accepted becomes one JSON line in the --record file: when it came, its
Message-ID, envelope sender and recipients, To, Reply-To, Subject and size. Tests
count these lines. Nothing is relayed anywhere.

    python tests/topology/smtp_sink.py --port 8025 --record mail.jsonl [--delay-file F]

With --delay-file, the number of seconds in that file (read for each message; no file
or an empty one: none) is waited before the message is accepted: a slow relay.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import time
from pathlib import Path

from aiosmtpd.smtp import SMTP


class Recorder:
    """aiosmtpd's handler: write one line per message, then answer 250."""

    def __init__(self, record, delay_file=None):
        self.record = os.open(record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.delay_file = Path(delay_file) if delay_file else None

    def delay(self):
        try:
            return float(self.delay_file.read_text().strip() or 0)
        except (AttributeError, OSError, ValueError):
            return 0.0

    async def handle_DATA(self, server, session, envelope):
        if seconds := self.delay():
            await asyncio.sleep(seconds)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        line = {
            "received_at": time.time(),
            "message_id": str(message.get("Message-ID", "")),
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "to": str(message.get("To", "")),
            "reply_to": str(message.get("Reply-To", "")),
            "subject": str(message.get("Subject", "")),
            "bytes": len(envelope.original_content),
        }
        # One write per line, so a reader never sees half of one.
        os.write(self.record, (json.dumps(line) + "\n").encode())
        return "250 Message accepted for delivery"


async def serve(host, port, recorder):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(recorder, hostname="smtp-sink.invalid", decode_data=False), host, port
    )
    stopped = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    print(f"SMTP sink on {host}:{port}", flush=True)
    await stopped.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--record", required=True, help="the JSON-lines file to append to")
    parser.add_argument("--delay-file", help="a file holding the seconds to wait per message")
    options = parser.parse_args()
    asyncio.run(serve(options.host, options.port, Recorder(options.record, options.delay_file)))


if __name__ == "__main__":
    main()
