"""The two forked peers of a CPython program (article_methods.py, message_patterns.py): how each
starts and dies with the main process, how the main process collects their one result each, and
what both measure with (the clock, peak RSS).

Every timestamp is time.monotonic_ns(), i.e. CLOCK_MONOTONIC, the clock Node's process.hrtime
reads, so a time taken in the sender can be subtracted from one taken in the receiver.
Peak RSS comes from getrusage(RUSAGE_SELF) in each peer. After fork, Linux starts a child's peak
at its parent's RSS, so a peer never reports less than the (small) main process.
"""

import ctypes
import multiprocessing.connection
import os
import resource
import signal
import sys
import time

from program_life import Failure

PR_SET_PDEATHSIG = 1

now = time.monotonic_ns


def seconds(start_ns, end_ns):
    return (end_ns - start_ns) / 1e9


def log(role, message, verbose):
    if verbose:
        print(f"[article_methods {role} {now() / 1e9:.6f}] {message}", file=sys.stderr, flush=True)


def peak_rss_bytes():
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak_rss_of(pid):
    """VmHWM of another live process (the manager's server), in bytes, or None."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def sleep_forever():
    while True:
        time.sleep(3600)


def become_peer(main_pid):
    """In a forked child: leave signals to the main process, and die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's ^C goes to the main process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        # The kernel SIGKILLs this child when the main process dies, even by SIGKILL.
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the process-group kill and the main process's cleanup remain
    if os.getppid() != main_pid:  # the main process died before prctl took effect
        os._exit(1)


def start_peer(ctx, cleanup, peers, role, target, args, name):
    """Start one peer process, target(*args, result_send), as a daemon named `name`; it reports on
    a pipe of its own, whose read end goes into peers (for collect) as (role, process). The process
    and the pipe are registered with cleanup, so that nothing outlives the run."""
    result_recv, result_send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, result_send), name=name, daemon=True)
    cleanup.connections.append(result_recv)
    proc.start()
    cleanup.processes.append(proc)
    result_send.close()  # only the child holds the write end, so its death reads as EOF
    peers[result_recv] = (role, proc)


def failed_message(role, phase, error, method):
    """A peer's result for an exception nobody raised on purpose: one line, named after its type.
    A Manager's peer that loses its connection has lost the server process, and says so."""
    if isinstance(error, MemoryError):
        return {"ok": False, "phase": phase, "error": f"out of memory (MemoryError) in the {role}"}
    what = type(error).__name__ + (f": {error}" if str(error) else "")
    if method == "manager" and isinstance(error, (EOFError, OSError)):
        what = f"lost the connection to the manager's server process ({what})"
    return {"ok": False, "phase": phase, "error": what}


def describe_exit(code):
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        hint = " (by the OOM killer, or from outside)" if name == "SIGKILL" else ""
        return f"was killed by {name}{hint}"
    return f"exited with code {code} without a result"


def collect(peers, broker=None):
    """Wait for both peers' results; the first failure or death ends the transfer.

    A peer that lost the manager's server is the effect; a dead server (`broker`, its process)
    is the cause, and is what the failure names."""
    pending = dict(peers)  # connection → (role, process)
    results = {}
    while pending:
        sentinels = {proc.sentinel: (conn, role, proc) for conn, (role, proc) in pending.items()}
        ready = multiprocessing.connection.wait(list(pending) + list(sentinels))
        for conn in [c for c in ready if c in pending]:
            role, proc = pending.pop(conn)
            try:
                message = conn.recv()
            except EOFError:
                # The peer died before it reported: its exit says why, the EOF adds nothing.
                raise Failure("transfer", f"the {role} process {describe_exit(proc.exitcode)}") from None
            if not message["ok"]:
                if broker is not None:
                    broker.join(0.5)
                    if broker.exitcode is not None:
                        raise Failure(
                            message["phase"], f"the manager's server process {describe_exit(broker.exitcode)} ({role}: {message['error']})"
                        )
                raise Failure(message["phase"], f"{role}: {message['error']}")
            results[role] = message
        for sentinel in [s for s in ready if s in sentinels]:
            conn, role, proc = sentinels[sentinel]
            if conn in pending and not conn.poll():
                proc.join()
                raise Failure("transfer", f"the {role} process {describe_exit(proc.exitcode)}")
    return results["sender"], results["receiver"]
