"""The two peers of message_patterns.py: what both know (a Plan: counts, payload, where a fault
strikes) and each side's loop for each pattern.

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

import os
import pickle
import resource
import signal

from forked_peers import become_peer, failed_message, log, now, peak_rss_bytes, sleep_forever
from message_payloads import KINDS
from program_life import Failure

ACK = b"\x01"


def warmup_messages(n):
    """Warm-up messages before n measured ones: min(1000, max(10, ceil(n / 10)))."""
    return min(1000, max(10, -(-n // 10)))


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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
            raise Failure("verify", f"{what} {seq} ({where}) {wrong}")

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
            sleep_forever()  # the receiver must notice; the runner's timeout is the backstop
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
        raise Failure("verify", "the sender got an acknowledgement that is not the one byte 0x01")
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
    become_peer(main_pid)
    try:
        if role == "sender" and plan.fault == "sender-never-ready":
            sleep_forever()
        if role == "receiver" and plan.fault == "receiver-hangs":
            sleep_forever()
        log(role, f"{plan.pattern}: {plan.warm} warm-up and {plan.n} measured messages", plan.verbose)
        message = {"ok": True, **PEERS[plan.pattern, role](plan, end), "rss": peak_rss_bytes()}
    except Failure as failure:
        message = {"ok": False, "phase": failure.phase, "error": failure.message}
    except Exception as error:  # noqa: BLE001 -- whatever stopped this side is the run's failure, told to the main process
        message = failed_message(role, "transfer", error, method)
    out.send(message)
    out.close()
