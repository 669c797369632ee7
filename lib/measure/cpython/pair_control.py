"""The pair peer's control channel with the runner (lib/measure/control.ts): JSON lines over a
Unix socketpair that is the peer's fd 3, both ways. See pair_peer.py for the protocol's steps.
"""

import contextlib
import json
import os
import select
import signal
import socket
import sys


class Control:
    """The runner's control channel. The runner may write at any time, so lines are buffered and
    each protocol step takes the message it waits for; a stop or the channel's end is acted on as
    soon as it is read, wherever the peer waits."""

    def __init__(self, fd, role):
        self.sock = socket.socket(fileno=fd)
        self.role = role
        self.phase = "ready"
        self.buffered = b""
        self.inbox = []
        self.exit_code = None  # set once a result (0) or a failure (1) is reported
        self.undo = []
        self.kept = []

    def on_leave(self, step):
        """Something to close when the peer leaves, however it leaves."""
        self.undo.append(step)

    def keep(self, thing):
        """Hold a mapping until the peer leaves: collected earlier, a SharedMemory would try to
        close under a numpy view of it."""
        self.kept.append(thing)

    def leave(self, code, signum=None):
        for step in reversed(self.undo):
            with contextlib.suppress(OSError):
                step()
        sys.stderr.flush()
        if signum is not None:
            # Die of the signal itself, as a Node peer does, so the runner names it.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        # No interpreter shutdown: nothing is left to flush, and numpy views of a SharedMemory
        # would make its __del__ print "cannot close exported pointers exist".
        os._exit(code)

    def send(self, message):
        try:
            self.sock.sendall((json.dumps(message) + "\n").encode())
        except OSError:
            self.leave(1)  # the runner is gone

    def read(self):
        """One blocking read of the channel; its whole lines go to the inbox."""
        try:
            chunk = self.sock.recv(65536)
        except OSError:
            chunk = b""
        if not chunk:
            self.leave(1)  # end of file: the runner died, nobody is left to report to
        *lines, self.buffered = (self.buffered + chunk).split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # not a line of ours
            if not isinstance(message, dict):
                continue
            if message.get("type") == "stop":
                self.leave(1 if self.exit_code is None else self.exit_code)
            self.inbox.append(message)

    def expect(self, kind):
        while True:
            for i, message in enumerate(self.inbox):
                if message.get("type") == kind:
                    return self.inbox.pop(i)
            self.read()

    def check(self):
        """Read the channel if something waits there (a poll loop's look at stop and EOF)."""
        if select.select([self.sock], [], [], 0)[0]:
            self.read()

    def wait_readable(self, fd):
        """Block until fd is readable, serving the control channel meanwhile."""
        while True:
            readable = select.select([self.sock, fd], [], [])[0]
            if self.sock in readable:
                self.read()
            if fd in readable:
                return

    def idle_forever(self):
        while True:
            self.read()

    def ready(self, info):
        self.send({"type": "ready", "role": self.role, "info": info, "pid": os.getpid()})
        return self.expect("peers").get("info", {})

    def armed(self, wait_for_go=True):
        self.phase = "transfer"
        self.send({"type": "armed", "role": self.role})
        if wait_for_go:
            self.expect("go")

    def report(self, message, code):
        self.exit_code = code
        self.send(message)
        self.idle_forever()  # until stop
