"""Keep one command running, as systemd's Restart=always does for `honcho export systemd`.

    python tests/topology/supervise.py --name worker.1 --state DIR -- honcho start worker

The command runs in a session of its own. When it exits without being asked to,
it is started again after a pause that doubles (1, 2, 4 … 8 s) while it keeps
failing within a minute of starting. Each start is counted in DIR/<name>.starts
(1 for the first), so a test can tell whether something was restarted. SIGTERM
or SIGINT stops the command (SIGTERM to its process group; SIGKILL 20 s later) and
then this supervisor.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# Stop waits this long for the command's graceful shutdown (honcho's own wait is 5 s).
STOP_SECONDS = 20
# A run this long resets the pause before a restart to its shortest.
STEADY_SECONDS = 60


class Supervisor:
    def __init__(self, name, state, command):
        self.name = name
        self.starts_file = Path(state) / f"{name}.starts"
        self.command = command
        self.child = None
        self.stopping = False

    def log(self, text):
        print(f"{time.strftime('%H:%M:%S')} supervise {self.name} | {text}", flush=True)

    def stop(self, signum, frame):
        self.stopping = True
        if self.child and self.child.poll() is None:
            self.log(f"{signal.Signals(signum).name}: stopping pid {self.child.pid}")
            self._signal_group(signal.SIGTERM)

    def _signal_group(self, signum):
        with contextlib.suppress(ProcessLookupError):  # it has just exited
            os.killpg(self.child.pid, signum)

    def run(self):
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        starts, pause = 0, 1
        while not self.stopping:
            starts += 1
            self.starts_file.write_text(f"{starts}\n")
            started = time.monotonic()
            self.child = subprocess.Popen(self.command, start_new_session=True)  # noqa: S603
            self.log(f"started pid {self.child.pid} (start {starts})")
            returncode = self.child.wait()
            if self.stopping:
                break
            if time.monotonic() - started > STEADY_SECONDS:
                pause = 1
            self.log(f"exited with {returncode}; starting it again in {pause} s")
            deadline = time.monotonic() + pause
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(0.1)
            pause = min(pause * 2, 8)
        if self.child and self.child.poll() is None:
            try:
                self.child.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.log("still running: SIGKILL")
                self._signal_group(signal.SIGKILL)
                self.child.wait()
        self.log("stopped")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="e.g. worker.1; names the .starts file")
    parser.add_argument("--state", required=True, help="the folder for the .starts file")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    if not command:
        parser.error("give the command to run after --")
    Supervisor(options.name, options.state, command).run()
    sys.exit(0)


if __name__ == "__main__":
    main()
