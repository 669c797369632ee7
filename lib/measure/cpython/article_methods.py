#!/usr/bin/env python3
"""One transfer of the article's multiprocessing methods, timed, checked, and reported as JSON.

Usage: article_methods.py --method ID --size N [--tmp-dir DIR] [--fault F] [--watch-stdin] [--verbose]

METHOD is one of queue, pipe, shared-array, manager, raw-array, file, tcp (lib/model/catalog.ts),
or shared-memory, Python 3.8's SharedMemory (shared_memory_method.py).
A sender process builds list(range(N)) and sends it once, the way the article's method does; a
receiver process waits for it, polling the way the article does, receives it, and checks every
element (article_transfer.py). Exactly one JSON line goes to stdout: {"ok": true, ...times...}
or {"ok": false, "phase": ..., "error": ...} (program_life.py).

Choices that the article left open, and why:
- Start method 'fork' (the Linux default up to Python 3.13, and what the article ran with): the
  shared objects reach the peers by inheritance, nothing is pickled to start them.
- Timestamps on CLOCK_MONOTONIC and peak RSS per peer: forked_peers.py says how and why.
- A handshake keeps set-up out of the timing (article_transfer.py).
- Python 3.8 changed pickle's default protocol from 3 to 4 (framed); the article ran 3.7, so
  its pickled sizes and times came from protocol 3. We keep the interpreter's defaults, because
  Queue, Pipe and Manager pickle with them and cannot be told otherwise.
- The process tree must not outlive its parent, even a SIGKILLed one (program_life.py and
  forked_peers.become_peer).
"""

import importlib
import multiprocessing
import platform
import sys
import tempfile

from article_transfer import METHODS, open_channel, peer_main
from forked_peers import collect, peak_rss_of, seconds, start_peer
from program_life import Failure, JsonLineParser, add_process_arguments, main_of

# Fault close-early (the sender stops halfway: half the bytes or elements, then closes or flags)
# exists where a half-sent payload can happen; Queue and Manager send whole pickles or nothing.
CLOSE_EARLY_METHODS = ("pipe", "tcp", "file", "shared-array", "raw-array", "shared-memory")
ARRAY_METHODS = ("shared-array", "raw-array", "shared-memory")
# The methods that hold the list in numpy arrays.
NUMPY_METHODS = ("raw-array", "shared-memory")


def numpy_version():
    try:
        from importlib.metadata import version

        return version("numpy")
    except ImportError:  # no importlib.metadata (before 3.8), or numpy has no metadata (PackageNotFoundError)
        numpy = sys.modules.get("numpy")
        return None if numpy is None else numpy.__version__


def run(args, cleanup, stage):
    n, method = args.size, args.method
    if method in ARRAY_METHODS and n > 2**31:
        raise Failure("limits", f"{method} stores C ints (32-bit): at most 2147483648 elements, got {n}")
    if args.fault == "close-early" and method not in CLOSE_EARLY_METHODS:
        raise Failure("limits", f"fault close-early needs one of {', '.join(CLOSE_EARLY_METHODS)}")
    if args.fault == "kill-broker" and method != "manager":
        raise Failure("limits", "fault kill-broker needs the manager method (the only one with a broker)")
    if method in NUMPY_METHODS:
        # Here, before the fork: both peers inherit it loaded, and a missing numpy is one line.
        try:
            importlib.import_module("numpy")
        except ImportError:
            raise Failure("spawn", f"numpy is missing for {sys.executable}: install it with apt-get install -y python3-numpy") from None
    ctx = multiprocessing.get_context("fork")
    cleanup.workdir = tempfile.mkdtemp(prefix="article-methods-", dir=args.tmp_dir)  # mode 0700
    ch = open_channel(method, n, args.fault, args.verbose, ctx, cleanup.workdir, cleanup)
    peers = {}
    for role in ("receiver", "sender"):
        start_peer(ctx, cleanup, peers, role, peer_main, (role, ch), f"article-{method}-{role}")
    stage["phase"] = "transfer"
    broker = cleanup.manager._process if cleanup.manager is not None else None
    sender, receiver = collect(peers, broker)
    broker_rss = peak_rss_of(ch.broker_pid) if ch.broker_pid is not None else None
    stage["phase"] = "teardown"
    for proc in cleanup.processes:
        proc.join(30)
    bytes_moved = sender.get("bytes")
    if bytes_moved is None:
        bytes_moved = receiver.get("bytes")
    return {
        "ok": True,
        "python": platform.python_version(),
        "numpy": numpy_version(),
        "buildSeconds": sender["build"],
        "encodeSeconds": sender.get("encode"),
        "decodeSeconds": receiver.get("decode"),
        "sendSeconds": sender["send"],
        "recvSeconds": receiver["recv"],
        "totalSeconds": seconds(sender["start"], receiver["end"]),
        "verifySeconds": receiver["verify"],
        "bytes": bytes_moved,
        "senderPeakRssBytes": sender["rss"],
        "receiverPeakRssBytes": receiver["rss"],
        "brokerPeakRssBytes": broker_rss,
    }


def parse_args(argv):
    parser = JsonLineParser(description="Run one transfer of one of the article's multiprocessing methods.")
    parser.add_argument("--method", required=True, choices=tuple(METHODS))
    parser.add_argument("--size", required=True, type=int, help="number of integers sent (>= 1)")
    add_process_arguments(parser)
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error(f"--size must be at least 1, got {args.size}")
    return args


def main(argv):
    return main_of(argv, parse_args, run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
