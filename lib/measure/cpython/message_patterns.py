#!/usr/bin/env python3
"""Many messages through CPython's multiprocessing: ping-pong (roundtrip) and a one-way stream (rate).

Usage: message_patterns.py --pattern roundtrip|rate --method pipe|queue|manager
       --payload bytes|object|int32 --message-bytes B --messages N
       [--tmp-dir DIR] [--fault F] [--watch-stdin] [--verbose]

Two forked peers, a sender (the client of a round trip) and a receiver (its server), exchange
warm-up messages and then N measured ones. Exactly one JSON line goes to stdout:
{"ok": true, "roundTripNs": [...], "firstSendNs": ..., "lastHeldNs": ..., cpu and rss ...} or
{"ok": false, "phase": ..., "error": ...}.

Beside this file: the messages (message_payloads.py), the channels (message_channels.py), the
peers and how they time (message_peers.py); the process handling (fork, signals, the stdin
watch, the peers dying with the main process, cleanup) is article_methods.py's, from
program_life.py and forked_peers.py.
"""

import multiprocessing
import os
import pickle
import platform
import sys
import tempfile

from forked_peers import collect, peak_rss_of, start_peer
from message_channels import open_ends
from message_peers import Plan, peer_main, warmup_messages
from program_life import Failure, JsonLineParser, add_process_arguments, main_of

PATTERNS = ("roundtrip", "rate")
METHODS = ("pipe", "queue", "manager")
PAYLOADS = ("bytes", "object", "int32")
# close-early sends half of one message's pickle: only a pipe carries a half-written message.
CLOSE_EARLY_METHODS = ("pipe",)
# seq is an int32 element of an int32 message: every seq must fit.
MAX_TOTAL_MESSAGES = 2**31 - 1
OBJECT_MIN_BYTES = 64


def refusal(args):
    """Why this combination cannot run, or None (the TS driver refuses these first; this is the backstop)."""
    if args.fault == "close-early" and args.method not in CLOSE_EARLY_METHODS:
        return "fault close-early needs the pipe method (a Queue or a Manager sends whole pickles or nothing)"
    if args.fault == "kill-broker" and args.method != "manager":
        return "fault kill-broker needs the manager method (the only one with a broker)"
    if args.message_bytes < 8:
        return f"messages need at least 8 bytes (a seq and its check word), got {args.message_bytes}"
    if args.payload == "int32" and args.message_bytes % 4:
        return f"int32 messages need a multiple of 4 bytes, got {args.message_bytes}"
    if args.payload == "object" and args.message_bytes < OBJECT_MIN_BYTES:
        return f"object messages need at least {OBJECT_MIN_BYTES} bytes, got {args.message_bytes}"
    if args.messages + warmup_messages(args.messages) > MAX_TOTAL_MESSAGES:
        return f"at most {MAX_TOTAL_MESSAGES - 1000} messages (seq is an int32), got {args.messages}"
    return None


def run(args, cleanup, stage):
    refused = refusal(args)
    if refused:
        raise Failure("limits", refused)
    ctx = multiprocessing.get_context("fork")
    cleanup.workdir = tempfile.mkdtemp(prefix="message-patterns-", dir=args.tmp_dir)  # mode 0700
    plan = Plan(args)
    sender_end, receiver_end, broker = open_ends(args, ctx, cleanup)
    plan.broker_pid = broker.pid if broker is not None else None
    peers = {}
    for role, end in (("receiver", receiver_end), ("sender", sender_end)):
        start_peer(ctx, cleanup, peers, role, peer_main, (role, plan, end, os.getpid(), args.method), f"messages-{args.method}-{role}")
    stage["phase"] = "transfer"
    sender, receiver = collect(peers, broker)
    broker_rss = peak_rss_of(broker.pid) if broker is not None else None
    stage["phase"] = "teardown"
    for proc in cleanup.processes:
        proc.join(30)
    return {
        "ok": True,
        "python": platform.python_version(),
        "pattern": args.pattern,
        "messages": plan.n,
        "warmupMessages": plan.warm,
        "roundTripNs": sender["samples"],
        "firstSendNs": sender["first"],
        # roundtrip: the last reply held by the sender; rate: the last message held by the receiver
        "lastHeldNs": sender["last"] if args.pattern == "roundtrip" else receiver["last"],
        "senderCpuSeconds": sender["cpu"],
        "receiverCpuSeconds": receiver["cpu"],
        "pickledMessageBytes": len(pickle.dumps(plan.kind.make(plan.total - 1))),
        "senderPeakRssBytes": sender["rss"],
        "receiverPeakRssBytes": receiver["rss"],
        "brokerPeakRssBytes": broker_rss,
    }


def parse_args(argv):
    parser = JsonLineParser(description="Run one message pattern over one of multiprocessing's channels.")
    parser.add_argument("--pattern", required=True, choices=PATTERNS)
    parser.add_argument("--method", required=True, choices=METHODS)
    parser.add_argument("--payload", required=True, choices=PAYLOADS)
    parser.add_argument("--message-bytes", required=True, type=int, help="bytes of one message")
    parser.add_argument("--messages", required=True, type=int, help="measured messages (>= 1)")
    add_process_arguments(parser)
    args = parser.parse_args(argv)
    if args.messages < 1:
        parser.error(f"--messages must be at least 1, got {args.messages}")
    return args


def main(argv):
    return main_of(argv, parse_args, run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
