#!/usr/bin/env python3
"""Many messages through CPython's multiprocessing: ping-pong (roundtrip) and a one-way stream (rate).

Usage: message_patterns.py --pattern roundtrip|rate --method pipe|queue|manager
       --payload bytes|object|int32 --message-bytes B --messages N
       [--tmp-dir DIR] [--fault F] [--watch-stdin] [--verbose]

Two forked peers, a sender (the client of a round trip) and a receiver (its server), exchange
warm-up messages and then N measured ones. Exactly one JSON line goes to stdout:
{"ok": true, "roundTripNs": [...], "firstSendNs": ..., "lastHeldNs": ..., cpu and rss ...} or
{"ok": false, "phase": ..., "error": ...}. The process handling (fork, signals, the stdin watch,
the peers dying with the main process, cleanup) is article_methods.py's, imported from it.

The channels (one pair of directions each; every message is pickled by multiprocessing):
- pipe, roundtrip: one Pipe(duplex=True), a socketpair, both directions on it;
  pipe, rate: Pipe(duplex=False), an os.pipe like the article's transfer, for the stream, and a
  second Pipe(duplex=False) back for the acknowledgements. A blocking write on a full pipe is
  the stream's backpressure.
- queue: two Queues, one each way. A Queue is unbounded by default (put returns at once and its
  feeder thread buffers without limit), so the stream's queue gets a maxsize holding about 1 MiB
  of messages (2 to 1024 of them): put then blocks while it is full.
- manager: a SyncManager's two Queue proxies, one each way, the stream's bounded the same way;
  every put and every get is one call to the manager's server process.

Timing, on time.monotonic_ns (CLOCK_MONOTONIC, what Node's hrtime reads):
- roundtrip: the sender builds message i, then times send + the reply held; the sample is taken
  before the reply is checked. The receiver answers with its own message of the same seq (built
  after the previous answer, off the round trip), then checks what it got.
- rate: the sender sends the warm-up messages and waits for the receiver's warm-up
  acknowledgement, so that the measured stream starts on an empty channel; then it notes the time
  just before the first measured send and sends all N, each blocking while the channel is full.
  The receiver notes the time it holds each message, checks it (seq and content) as it arrives,
  and acknowledges the last one with one byte. time = last held - first send.
- CPU: user + system time of each peer process (every thread: a Queue's feeder too, from
  getrusage) from just before its first measured message to after its last: for the sender after
  the last reply or the final acknowledgement, so that a Queue's feeder has written everything.
"""

import argparse
import array
import json
import multiprocessing
import multiprocessing.managers
import os
import pickle
import platform
import resource
import signal
import struct
import sys
import tempfile

import article_methods as am

PATTERNS = ("roundtrip", "rate")
METHODS = ("pipe", "queue", "manager")
PAYLOADS = ("bytes", "object", "int32")
# close-early sends half of one message's pickle: only a pipe carries a half-written message.
CLOSE_EARLY_METHODS = ("pipe",)
# A stream's queue holds about this many bytes of messages (see the module's docstring).
STREAM_QUEUE_BYTES = 1 << 20
ACK = b"\x01"
# seq is an int32 element of an int32 message: every seq must fit.
MAX_TOTAL_MESSAGES = 2**31 - 1
OBJECT_MIN_BYTES = 64

now = am.now


def warmup_messages(n):
    """Warm-up messages before n measured ones: min(1000, max(10, ceil(n / 10)))."""
    return min(1000, max(10, -(-n // 10)))


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------------------------------------
# The payloads: message seq of a kind and size, the same content every runtime sends. make(seq)
# builds one, wrong(msg, seq) says what is wrong with a received one (None: nothing), and
# corrupt(msg) returns a copy with one piece of content changed and the seq intact.
# ---------------------------------------------------------------------------------------------


class BytesKind:
    """B bytes: uint32 LE seq, uint32 LE ~seq, then byte i = (i * 31 + 7) & 0xff."""

    HEAD = struct.Struct("<II")

    def __init__(self, size):
        self.size = size
        self.tail = bytes((i * 31 + 7) & 0xFF for i in range(8, size))

    def make(self, seq):
        return self.HEAD.pack(seq, ~seq & 0xFFFFFFFF) + self.tail

    def wrong(self, msg, seq):
        if type(msg) is not bytes:
            return f"is a {type(msg).__name__}, expected bytes"
        if len(msg) != self.size:
            return f"has {len(msg)} bytes, expected {self.size}"
        got, check = self.HEAD.unpack_from(msg)
        if got != seq or check != ~seq & 0xFFFFFFFF:
            return f"carries seq {got} (check word {check:#010x}), expected {seq}"
        if not msg.endswith(self.tail):  # a memcmp, no copy
            i = next(i for i in range(8, self.size) if msg[i] != self.tail[i - 8])
            return f"byte {i} is {msg[i]}, expected {self.tail[i - 8]}"
        return None

    def corrupt(self, msg):
        return msg[:-1] + bytes([msg[-1] ^ 0xFF])


class Int32Kind:
    """B / 4 C ints in an array.array('i'): element 0 = seq, element i = i."""

    def __init__(self, size):
        self.count = size // 4
        self.template = array.array("i", range(self.count))
        if self.template.itemsize != 4:
            raise am.Failure("limits", f"this CPython's C int has {self.template.itemsize} bytes, int32 messages need 4")
        self.tail = self.template.tobytes()[4:]

    def make(self, seq):
        msg = self.template[:]  # a slice of an array is a memcpy
        msg[0] = seq
        return msg

    def wrong(self, msg, seq):
        if type(msg) is not array.array or msg.typecode != "i":
            return f"is a {type(msg).__name__}, expected an array.array('i')"
        if len(msg) != self.count:
            return f"has {len(msg)} elements, expected {self.count}"
        if msg[0] != seq:
            return f"carries seq {msg[0]}, expected {seq}"
        if not msg.tobytes().endswith(self.tail):
            i = next(i for i in range(1, self.count) if msg[i] != i)
            return f"element {i} is {msg[i]}, expected {i}"
        return None

    def corrupt(self, msg):
        bad = msg[:]
        bad[-1] ^= 1
        return bad


class ObjectKind:
    """{"seq":S,"kind":"tick","values":[0..k-1],"pad":"xx…"}, compact JSON exactly B characters."""

    KEYS = {"seq", "kind", "values", "pad"}

    def __init__(self, size):
        self.size = size
        self.values = list(range(min(16, size // 64)))
        empty = {"seq": 0, "kind": "tick", "values": self.values, "pad": ""}
        self.fixed = len(json.dumps(empty, separators=(",", ":"))) - 1  # without seq's one digit
        self.pads = {}  # by the number of digits of seq

    def pad(self, seq):
        digits = len(str(seq))
        if digits not in self.pads:
            self.pads[digits] = "x" * (self.size - self.fixed - digits)
        return self.pads[digits]

    def make(self, seq):
        return {"seq": seq, "kind": "tick", "values": self.values, "pad": self.pad(seq)}

    def wrong(self, msg, seq):
        if type(msg) is not dict:
            return f"is a {type(msg).__name__}, expected a dict"
        if msg.keys() != self.KEYS:
            return f"has the keys {sorted(msg)}, expected {sorted(self.KEYS)}"
        if msg["seq"] != seq:
            return f"carries seq {msg['seq']!r}, expected {seq}"
        if msg["kind"] != "tick":
            return f"has kind {msg['kind']!r}, expected 'tick'"
        if msg["values"] != self.values:
            return f"has values {msg['values']!r}, expected {self.values}"
        if msg["pad"] != self.pad(seq):
            return f"has a pad of {len(msg['pad'])} characters that is not {len(self.pad(seq))} x"
        return None

    def corrupt(self, msg):
        return {**msg, "kind": "tock"}


KINDS = {"bytes": BytesKind, "int32": Int32Kind, "object": ObjectKind}


# ---------------------------------------------------------------------------------------------
# The channels: each peer gets an End, send() one way and recv() the other.
# ---------------------------------------------------------------------------------------------


class End:
    def __init__(self, send, recv, raw=None):
        self.send = send
        self.recv = recv
        self.raw = raw  # the pipe's Connection, for close-early's half message


def open_ends(args, ctx, cleanup):
    """The sender's and the receiver's End, made in the main process before the peers fork."""
    bound = max(2, min(1024, STREAM_QUEUE_BYTES // args.message_bytes))
    stream_max = bound if args.pattern == "rate" else 0  # 0: unbounded (a round trip holds one)
    if args.method == "pipe":
        if args.pattern == "roundtrip":
            a, b = ctx.Pipe(duplex=True)
            return End(a.send, a.recv, a), End(b.send, b.recv), None
        stream_recv, stream_send = ctx.Pipe(duplex=False)
        ack_recv, ack_send = ctx.Pipe(duplex=False)
        return (End(stream_send.send, ack_recv.recv, stream_send), End(ack_send.send, stream_recv.recv), None)
    if args.method == "queue":
        forth, back = ctx.Queue(stream_max), ctx.Queue()
        return End(forth.put, back.get), End(back.put, forth.get), None
    manager = multiprocessing.managers.SyncManager(ctx=ctx)
    manager.start(initializer=am.become_peer, initargs=(os.getpid(),))
    cleanup.manager = manager
    forth, back = manager.Queue(stream_max), manager.Queue()
    return End(forth.put, back.get), End(back.put, forth.get), manager._process


# ---------------------------------------------------------------------------------------------
# The peers
# ---------------------------------------------------------------------------------------------


class Plan:
    """What both peers know: counts, the payload, and where a fault strikes."""

    def __init__(self, args):
        self.pattern = args.pattern
        self.n = args.messages
        self.warm = warmup_messages(args.messages)
        self.total = self.warm + self.n
        self.kind = KINDS[args.payload](args.message_bytes)
        self.fault = args.fault
        self.verbose = args.verbose
        self.strike = self.warm + self.n // 2  # the measured message a fault hits
        self.broker_pid = None

    def check(self, msg, seq, what="message"):
        wrong = self.kind.wrong(msg, seq)
        if wrong:
            where = "a warm-up message" if seq < self.warm else f"measured message {seq - self.warm}"
            raise am.Failure("verify", f"{what} {seq} ({where}) {wrong}")

    def outgoing(self, seq, end):
        """The sender's message seq, with the sender's faults applied as it is about to go."""
        msg = self.kind.make(seq)
        if seq != self.strike:
            return msg
        if self.fault == "corrupt":
            return self.kind.corrupt(msg)
        if self.fault == "kill-sender":
            os.kill(os.getpid(), signal.SIGKILL)
        if self.fault == "kill-broker":
            os.kill(self.broker_pid, signal.SIGKILL)
        if self.fault == "close-early":
            data = pickle.dumps(msg)
            end.raw.send_bytes(data[: len(data) // 2])
            end.raw.close()
            am.sleep_forever()  # the receiver must notice; the runner's timeout is the backstop
        return msg

    def held(self, seq):
        if seq == self.strike and self.fault == "kill-receiver":
            os.kill(os.getpid(), signal.SIGKILL)


def sender_roundtrip(plan, end):
    for seq in range(plan.warm):
        end.send(plan.outgoing(seq, end))
        plan.check(end.recv(), seq, "the reply to message")
    samples = []
    cpu0 = cpu_seconds()
    first = now()
    for seq in range(plan.warm, plan.total):
        msg = plan.outgoing(seq, end)
        t0 = now()
        end.send(msg)
        reply = end.recv()
        samples.append(now() - t0)
        plan.check(reply, seq, "the reply to message")
    return {"samples": samples, "first": first, "last": now(), "cpu": cpu_seconds() - cpu0}


def receiver_roundtrip(plan, end):
    reply = plan.kind.make(0)
    cpu0 = None
    for seq in range(plan.total):
        if seq == plan.warm:
            cpu0 = cpu_seconds()
        msg = end.recv()
        plan.held(seq)
        end.send(reply)
        plan.check(msg, seq)
        reply = plan.kind.make(seq + 1)
    return {"cpu": cpu_seconds() - cpu0}


def sender_rate(plan, end):
    for seq in range(plan.warm):
        end.send(plan.outgoing(seq, end))
    end.recv()  # the warm-up acknowledgement: the channel is empty again
    cpu0 = cpu_seconds()
    first = now()
    for seq in range(plan.warm, plan.total):
        end.send(plan.outgoing(seq, end))
    if end.recv() != ACK:
        raise am.Failure("verify", "the sender got an acknowledgement that is not the one byte 0x01")
    return {"samples": None, "first": first, "cpu": cpu_seconds() - cpu0}


def receiver_rate(plan, end):
    for seq in range(plan.warm):
        plan.check(end.recv(), seq)
    end.send(ACK)
    cpu0 = cpu_seconds()
    held = None
    for seq in range(plan.warm, plan.total):
        msg = end.recv()
        held = now()
        plan.held(seq)
        plan.check(msg, seq)
    end.send(ACK)
    return {"last": held, "cpu": cpu_seconds() - cpu0}


PEERS = {
    ("roundtrip", "sender"): sender_roundtrip,
    ("roundtrip", "receiver"): receiver_roundtrip,
    ("rate", "sender"): sender_rate,
    ("rate", "receiver"): receiver_rate,
}


def peer_main(role, plan, end, main_pid, method, out):
    """The target of both child processes: run one side, send one result dict to the main process."""
    am.become_peer(main_pid)
    try:
        if role == "sender" and plan.fault == "sender-never-ready":
            am.sleep_forever()
        if role == "receiver" and plan.fault == "receiver-hangs":
            am.sleep_forever()
        am.log(role, f"{plan.pattern}: {plan.warm} warm-up and {plan.n} measured messages", plan.verbose)
        message = {"ok": True, **PEERS[plan.pattern, role](plan, end), "rss": am.peak_rss_bytes()}
    except am.Failure as failure:
        message = {"ok": False, "phase": failure.phase, "error": failure.message}
    except MemoryError:
        message = {"ok": False, "phase": "transfer", "error": f"out of memory (MemoryError) in the {role}"}
    except Exception as error:
        what = type(error).__name__ + (f": {error}" if str(error) else "")
        if method == "manager" and isinstance(error, (EOFError, OSError)):
            what = f"lost the connection to the manager's server process ({what})"
        message = {"ok": False, "phase": "transfer", "error": what}
    out.send(message)
    out.close()


# ---------------------------------------------------------------------------------------------
# The main process
# ---------------------------------------------------------------------------------------------


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
        raise am.Failure("limits", refused)
    ctx = multiprocessing.get_context("fork")
    cleanup.workdir = tempfile.mkdtemp(prefix="message-patterns-", dir=args.tmp_dir)  # mode 0700
    plan = Plan(args)
    sender_end, receiver_end, broker = open_ends(args, ctx, cleanup)
    plan.broker_pid = broker.pid if broker is not None else None
    peers = {}
    for role, end in (("receiver", receiver_end), ("sender", sender_end)):
        am.start_peer(ctx, cleanup, peers, role, peer_main, (role, plan, end, os.getpid(), args.method), f"messages-{args.method}-{role}")
    stage["phase"] = "transfer"
    sender, receiver = am.collect(peers, broker)
    broker_rss = am.peak_rss_of(broker.pid) if broker is not None else None
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
    parser = am._Parser(description="Run one message pattern over one of multiprocessing's channels.")
    parser.add_argument("--pattern", required=True, choices=PATTERNS)
    parser.add_argument("--method", required=True, choices=METHODS)
    parser.add_argument("--payload", required=True, choices=PAYLOADS)
    parser.add_argument("--message-bytes", required=True, type=int, help="bytes of one message")
    parser.add_argument("--messages", required=True, type=int, help="measured messages (>= 1)")
    am.add_process_arguments(parser)
    args = parser.parse_args(argv)
    if args.messages < 1:
        parser.error(f"--messages must be at least 1, got {args.messages}")
    return args


def main(argv):
    return am.main_of(argv, parse_args, run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
