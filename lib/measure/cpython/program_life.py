"""A CPython program's whole life, shared by article_methods.py and message_patterns.py: its
command line, its signals, the watch on its parent, the cleanup of everything it made, and the
exactly one JSON line it prints on stdout, {"ok": true, ...} or {"ok": false, "phase", "error"}.

The process tree must not outlive its parent: SIGTERM, SIGINT and SIGHUP clean up and exit; with
--watch-stdin (the runner passes it and keeps our stdin pipe open) end of file on stdin means the
parent died, which we treat like SIGTERM. A pipe's end of file is immediate and race-free, where
polling os.getppid() lags and can miss a parent that died before the first poll. The forked
peers die with the main process on their own (forked_peers.become_peer), and the runner also
kills our whole process group on its timeout.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import sys
import threading

from shared_memory_method import release_segment

FAULTS = ("none", "corrupt", "close-early", "kill-sender", "kill-receiver", "kill-broker", "sender-never-ready", "receiver-hangs")


class Failure(Exception):
    """An expected failure: reported as ok:false with its phase, never with a traceback."""

    def __init__(self, phase, message):
        super().__init__(message)
        self.phase = phase
        self.message = message


class Interrupted(BaseException):
    """A signal (or the parent going away) stopped the run; BaseException so no handler eats it."""

    def __init__(self, why):
        super().__init__(why)
        self.why = why


class Cleanup:
    """Everything the main process must undo; close() is safe to call in any state."""

    def __init__(self):
        self.processes = []
        self.connections = []
        self.manager = None
        self.workdir = None
        self.segment = None  # shared-memory's SharedMemory, unlinked here
        self.closing = False

    def close(self):
        self.closing = True  # from here on a signal is noted, not raised (see on_signal)
        for p in self.processes:
            if p.is_alive():
                p.terminate()
        for p in self.processes:
            p.join(2)
            if p.is_alive():
                p.kill()
                p.join(2)
        if self.manager is not None:
            # A server that was killed makes shutdown() fail in several ways (EOFError, a refused
            # connection, a broken pipe, ...); whichever it is, the server is gone, as wanted.
            with contextlib.suppress(Exception):
                self.manager.shutdown()  # asks, waits 1 s, then terminates the server
            # The server made a pymp-* dir for its socket and removes it only if it exits
            # normally: remove it here in case it was killed.
            address = self.manager.address
            if isinstance(address, str) and os.path.basename(os.path.dirname(address)).startswith("pymp-"):
                shutil.rmtree(os.path.dirname(address), ignore_errors=True)
        for conn in self.connections:
            conn.close()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
        if self.segment is not None:
            release_segment(self.segment)
            self.segment = None


CLEANUP = Cleanup()
INTERRUPTED = []


def on_signal(signum, _frame):
    why = "the parent went away (stdin closed)" if signum == signal.SIGUSR1 else f"interrupted by {signal.Signals(signum).name}"
    if INTERRUPTED or CLEANUP.closing:
        INTERRUPTED.append(why)
        return
    INTERRUPTED.append(why)
    raise Interrupted(why)


def watch_stdin():
    """End of file on stdin (a pipe the runner holds open) means the runner is gone."""

    def watch():
        try:
            while os.read(0, 65536):
                pass
        except OSError:
            pass
        # Aimed at the main thread, so that a wait it is blocked in is interrupted.
        signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)

    threading.Thread(target=watch, name="stdin-watcher", daemon=True).start()


class JsonLineParser(argparse.ArgumentParser):
    """argparse whose bad command line is a failed run too: one JSON line, exit status 2."""

    def error(self, message):
        emit({"ok": False, "phase": "spawn", "error": f"bad arguments: {message}"})
        sys.exit(2)


def add_process_arguments(parser):
    """The options every program of this folder takes after its own: where its working dir goes,
    the failure to inject, the stdin watch and the step log (main_of reads them)."""
    parser.add_argument("--tmp-dir", default=None, help="where to make the private working dir")
    parser.add_argument("--fault", default="none", choices=FAULTS, help="for tests of failures")
    parser.add_argument("--watch-stdin", action="store_true", help="exit when stdin reaches end of file (the parent is gone)")
    parser.add_argument("--verbose", action="store_true", help="log each step to stderr")


def emit(obj):
    try:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()
    except OSError:
        pass  # nobody is reading any more (the parent died): nothing left to tell


def main_of(argv, parse, run_one):
    """A program's whole life: the signal handlers, the arguments (parse(argv)), the stdin watch,
    then run_one(args, CLEANUP, stage) turned into exactly one JSON line on stdout, printed only
    after CLEANUP has ended every child and removed the working dir. Returns the exit code: 0 done,
    1 failed, 130 interrupted (2, bad arguments, leaves from inside parse)."""
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1):
        signal.signal(signum, on_signal)
    args = parse(argv)
    if args.watch_stdin:
        watch_stdin()
    stage = {"phase": "spawn"}
    outcome, code = None, 1
    try:
        outcome = run_one(args, CLEANUP, stage)
        code = 0
    except Failure as failure:
        outcome = {"ok": False, "phase": failure.phase, "error": failure.message}
    except Interrupted as interrupted:
        outcome = {"ok": False, "phase": stage["phase"], "error": interrupted.why}
        code = 130
    except MemoryError:
        outcome = {"ok": False, "phase": stage["phase"], "error": "out of memory (MemoryError) in the main process"}
    except Exception as error:  # noqa: BLE001 -- a bug: one line on stdout (the run's record), the traceback on stderr
        import traceback  # only for a bug: kept out of every run's memory (the peers fork from here)

        traceback.print_exc()
        outcome = {"ok": False, "phase": stage["phase"], "error": f"unexpected {type(error).__name__}: {error}"}
    finally:
        CLEANUP.close()
    # Reported only once every child is gone and the working dir removed.
    emit(outcome)
    return code
