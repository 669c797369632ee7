#!/usr/bin/env python3
"""One transfer of the article's multiprocessing methods, timed, checked, and reported as JSON.

Usage: article_methods.py --method ID --size N [--tmp-dir DIR] [--fault F] [--watch-stdin] [--verbose]

METHOD is one of queue, pipe, shared-array, manager, raw-array, file, tcp (lib/model/catalog.ts),
or shared-memory, Python 3.8's SharedMemory (shared_memory_method.py).
A sender process builds list(range(N)) and sends it once, the way the article's method does; a
receiver process waits for it, polling the way the article does, receives it, and checks every
element. Exactly one JSON line goes to stdout: {"ok": true, ...times...} or
{"ok": false, "phase": ..., "error": ...}.

Choices that the article left open, and why:
- Start method 'fork' (the Linux default up to Python 3.13, and what the article ran with): the
  shared objects reach the peers by inheritance, nothing is pickled to start them.
- Every timestamp is time.monotonic_ns(), i.e. CLOCK_MONOTONIC, the clock Node's process.hrtime
  reads, so a time taken in the sender can be subtracted from one taken in the receiver.
- A handshake keeps set-up out of the timing: the receiver sleeps (blocked, not spinning) until
  the sender has built the list, then says it is ready and starts polling; only then does the
  sender start the transfer (and the total time). The article started both at once, so its
  receiver spun on the second core all through the build; on a 2-core machine that slows the
  build and whatever else runs.
- Python 3.8 changed pickle's default protocol from 3 to 4 (framed); the article ran 3.7, so
  its pickled sizes and times came from protocol 3. We keep the interpreter's defaults, because
  Queue, Pipe and Manager pickle with them and cannot be told otherwise.
- Peak RSS comes from getrusage(RUSAGE_SELF) in each peer. After fork, Linux starts a child's
  peak at its parent's RSS, so a peer never reports less than the (small) main process.
- The process tree must not outlive its parent: SIGTERM, SIGINT and SIGHUP clean up and exit;
  with --watch-stdin (the runner passes it and keeps our stdin pipe open) end of file on stdin
  means the parent died, which we treat like SIGTERM. A pipe's end of file is immediate and
  race-free, where polling os.getppid() lags and can miss a parent that died before the first
  poll. Each child asks the kernel for SIGKILL when the main process dies (PR_SET_PDEATHSIG),
  so even a SIGKILLed main process leaves nothing behind; the runner also kills our whole
  process group on its timeout.
"""

import argparse
import ctypes
import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.managers
import multiprocessing.sharedctypes
import os
import pickle
import platform
import resource
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time

from shared_memory_method import create_segment, recv_shared_memory, release_segment, send_shared_memory

METHODS = ("queue", "pipe", "shared-array", "manager", "raw-array", "file", "tcp", "shared-memory")
FAULTS = ("none", "corrupt", "close-early", "kill-sender", "kill-receiver", "kill-broker", "sender-never-ready", "receiver-hangs")
# Fault close-early (the sender stops halfway: half the bytes or elements, then closes or flags)
# exists where a half-sent payload can happen; Queue and Manager send whole pickles or nothing.
CLOSE_EARLY_METHODS = ("pipe", "tcp", "file", "shared-array", "raw-array", "shared-memory")
ARRAY_METHODS = ("shared-array", "raw-array", "shared-memory")
# Elements compared per step of the check, so checking never holds a second full-size list.
VERIFY_CHUNK = 1 << 20
# recv() size for TCP: big enough to drain loopback quickly, small enough not to reserve 1 GiB
# per call as the article's recv(1024**3) does.
TCP_RECV_BYTES = 1 << 22
C_INT_BYTES = ctypes.sizeof(ctypes.c_int)
PR_SET_PDEATHSIG = 1

now = time.monotonic_ns
np = None  # numpy, imported only for raw-array (importing it costs every peer memory and time)


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


class Channel:
    """What both peers share, inherited through fork: the method's objects and the handshake."""

    def __init__(self, method, n, fault, verbose, ctx):
        self.method = method
        self.n = n
        self.fault = fault
        self.verbose = verbose
        self.built = ctx.Event()  # sender → receiver: the list exists, start polling
        self.ready = ctx.Event()  # receiver → sender: polling (or listening), start sending
        self.main_pid = os.getpid()
        self.broker_pid = None


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


class _ByteCounter:
    """A file that only counts what is written to it: the pickled size without the bytes."""

    def __init__(self):
        self.count = 0

    def write(self, data):
        self.count += len(data)
        return len(data)


def pickled_bytes(obj):
    # Queue, Pipe and Manager pickle with the default protocol, as does this.
    counter = _ByteCounter()
    pickle.Pickler(counter).dump(obj)
    return counter.count


def sleep_forever():
    while True:
        time.sleep(3600)


# ---------------------------------------------------------------------------------------------
# The methods. A sender returns {start, send, encode?, bytes?} (start in ns, durations in s); a
# receiver returns (data, {recv, end, decode?, bytes?}). Polling loops spin as the article's do.
# ---------------------------------------------------------------------------------------------


def send_queue(ch, d):
    t0 = now()
    ch.queue.put(d)  # returns at once: a feeder thread pickles and writes in the background
    t1 = now()
    # Wait for the feeder to finish before the peak RSS is read (outside the timing).
    ch.queue.close()
    ch.queue.join_thread()
    return {"start": t0, "send": seconds(t0, t1)}


def recv_queue(ch, announce, arrived):
    announce()
    while ch.queue.empty():
        pass
    arrived()
    t0 = now()
    d = ch.queue.get()
    t1 = now()
    return d, {"recv": seconds(t0, t1), "end": t1, "bytes": None}


def send_pipe(ch, d):
    t0 = now()
    if ch.fault == "close-early":
        data = pickle.dumps(d)
        ch.pipe_send.send_bytes(data[: len(data) // 2])
        ch.pipe_send.close()
        return {"start": t0, "send": seconds(t0, now())}
    ch.pipe_send.send(d)  # pickles, then writes; blocks while the receiver drains the pipe
    t1 = now()
    return {"start": t0, "send": seconds(t0, t1)}


def recv_pipe(ch, announce, arrived):
    announce()
    while not ch.pipe_recv.poll():
        pass
    arrived()
    t0 = now()
    d = ch.pipe_recv.recv()
    t1 = now()
    return d, {"recv": seconds(t0, t1), "end": t1, "bytes": None}


def send_shared_array(ch, d):
    t0 = now()
    if ch.fault == "close-early":
        d = d[: ch.n // 2] + [0] * (ch.n - ch.n // 2)
    ch.array[:] = d  # takes the array's lock, converts element by element into C ints
    ch.flag.value = True
    t1 = now()
    return {"start": t0, "send": seconds(t0, t1), "bytes": ch.n * C_INT_BYTES}


def recv_shared_array(ch, announce, arrived):
    announce()
    while not ch.flag.value:
        pass
    arrived()
    t0 = now()
    d = ch.array[:]  # under the lock, back into a list of Python ints
    t1 = now()
    return d, {"recv": seconds(t0, t1), "end": t1}


def send_manager(ch, d):
    t0 = now()
    ch.shared_list.append(d)  # a round trip: pickled to the server, which unpickles and answers
    t1 = now()
    return {"start": t0, "send": seconds(t0, t1)}


def recv_manager(ch, announce, arrived):
    announce()
    while len(ch.shared_list) == 0:  # each len() is itself a round trip to the server
        pass
    arrived()
    t0 = now()
    d = ch.shared_list.pop()
    t1 = now()
    return d, {"recv": seconds(t0, t1), "end": t1, "bytes": None}


def send_raw_array(ch, d):
    t0 = now()
    values = np.asarray(d)  # the article's cast, timed apart: Python ints → int64 array
    t1 = now()
    if ch.fault == "close-early":
        values[ch.n // 2 :] = 0
    np.frombuffer(ch.raw, dtype=np.intc)[:] = values  # no lock; int64 → C int while copying
    ch.flag.value = True
    t2 = now()
    return {"start": t0, "encode": seconds(t0, t1), "send": seconds(t1, t2), "bytes": ch.n * C_INT_BYTES}


def recv_raw_array(ch, announce, arrived):
    announce()
    while not ch.flag.value:
        pass
    arrived()
    t0 = now()
    # The article copied out with dtype=np.uint8, which keeps only the low byte of each value
    # (its assert d[5] == 5 could not notice). We copy out as the C int the array holds.
    d = np.array(np.frombuffer(ch.raw, dtype=np.intc), copy=True)
    t1 = now()
    return d, {"recv": seconds(t0, t1), "end": t1}


def send_file(ch, d):
    t0 = now()
    with open(ch.path, "wb") as f:
        if ch.fault == "close-early":
            data = pickle.dumps(d)
            f.write(data[: len(data) // 2])
        else:
            pickle.dump(d, f)
    ch.flag.value = True
    t1 = now()
    return {"start": t0, "send": seconds(t0, t1), "bytes": os.path.getsize(ch.path)}


def recv_file(ch, announce, arrived):
    announce()
    while not ch.flag.value:
        pass
    arrived()
    t0 = now()
    with open(ch.path, "rb") as f:
        d = pickle.load(f)
    t1 = now()
    return d, {"recv": seconds(t0, t1), "end": t1}


def send_tcp(ch, d):
    t0 = now()
    payload = pickle.dumps(d)
    t1 = now()
    with socket.create_connection(("127.0.0.1", ch.port.value)) as s:
        s.sendall(payload[: len(payload) // 2] if ch.fault == "close-early" else payload)
    t2 = now()
    return {"start": t0, "encode": seconds(t0, t1), "send": seconds(t1, t2), "bytes": len(payload)}


def recv_tcp(ch, announce, arrived):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        # Loopback only, and port 0: the kernel picks a free port, which reaches the sender
        # through a shared Value (the article used a fixed port on every interface).
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        ch.port.value = server.getsockname()[1]
        announce()
        conn, _ = server.accept()
        arrived()
        t0 = now()
        received = bytearray()  # grows in place; the article's bytes += bytes copies it all each time
        with conn:
            while True:
                chunk = conn.recv(TCP_RECV_BYTES)
                if not chunk:
                    break
                received += chunk
        t1 = now()
    d = pickle.loads(received)
    t2 = now()
    return d, {"recv": seconds(t0, t1), "decode": seconds(t1, t2), "end": t2}


SENDERS = {
    "queue": send_queue,
    "pipe": send_pipe,
    "shared-array": send_shared_array,
    "manager": send_manager,
    "raw-array": send_raw_array,
    "file": send_file,
    "tcp": send_tcp,
    "shared-memory": send_shared_memory,
}
RECEIVERS = {
    "queue": recv_queue,
    "pipe": recv_pipe,
    "shared-array": recv_shared_array,
    "manager": recv_manager,
    "raw-array": recv_raw_array,
    "file": recv_file,
    "tcp": recv_tcp,
    "shared-memory": recv_shared_memory,
}


def open_channel(method, n, fault, verbose, ctx, workdir, cleanup):
    """Create the method's shared objects in the main process, before the peers fork."""
    ch = Channel(method, n, fault, verbose, ctx)
    if method == "queue":
        ch.queue = ctx.Queue()
    elif method == "pipe":
        ch.pipe_recv, ch.pipe_send = ctx.Pipe(duplex=False)
    elif method == "shared-array":
        ch.array = ctx.Array(ctypes.c_int, n)  # lock=True, as the article's mp.Array
        ch.flag = ctx.Value(ctypes.c_bool, False)
    elif method == "manager":
        manager = multiprocessing.managers.SyncManager(ctx=ctx)
        manager.start(initializer=become_peer, initargs=(os.getpid(),))
        cleanup.manager = manager
        ch.shared_list = manager.list()
        ch.broker_pid = manager._process.pid  # no public accessor for the server's pid
    elif method == "raw-array":
        ch.raw = multiprocessing.sharedctypes.RawArray(ctypes.c_int, n)
        ch.flag = ctx.Value(ctypes.c_bool, False)
    elif method == "file":
        ch.path = os.path.join(workdir, "payload.pickle")
        ch.flag = ctx.Value(ctypes.c_bool, False)
    elif method == "tcp":
        ch.port = ctx.Value(ctypes.c_int, 0)
    elif method == "shared-memory":
        ch.segment = cleanup.segment = create_segment(n)
        ch.name_recv, ch.name_send = ctx.Pipe(duplex=False)
    return ch


# ---------------------------------------------------------------------------------------------
# The peers
# ---------------------------------------------------------------------------------------------


def become_peer(main_pid):
    """In a forked child: leave signals to the main process, and die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's ^C goes to the main process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the process-group kill and the main process's cleanup remain
    if os.getppid() != main_pid:  # the main process died before prctl took effect
        os._exit(1)


def first_wrong(d, n):
    """None if d holds exactly 0..n-1 (a list of ints, or an int32 numpy array); else why not."""
    if np is not None and isinstance(d, np.ndarray):
        from array_check import first_wrong_array

        return first_wrong_array(d, n)
    if not isinstance(d, list):
        return f"received a {type(d).__name__}, expected a list"
    if len(d) != n:
        return f"received {len(d)} elements, expected {n}"
    for start in range(0, n, VERIFY_CHUNK):
        stop = min(n, start + VERIFY_CHUNK)
        if d[start:stop] != list(range(start, stop)):
            i = next(i for i in range(start, stop) if d[i] != i)
            return f"element {i} is {d[i]!r}, expected {i}"
    return None


def run_sender(ch, progress):
    if ch.fault == "sender-never-ready":
        sleep_forever()
    t0 = now()
    d = list(range(ch.n))
    t1 = now()
    if ch.fault == "corrupt":
        d[ch.n // 2] = -1
    log("sender", f"built {ch.n} elements in {seconds(t0, t1):.3f} s; waiting for the receiver", ch.verbose)
    ch.built.set()
    ch.ready.wait()
    progress["phase"] = "transfer"
    if ch.fault == "kill-sender":
        os.kill(os.getpid(), signal.SIGKILL)
    if ch.fault == "kill-broker":
        os.kill(ch.broker_pid, signal.SIGKILL)
    result = SENDERS[ch.method](ch, d)
    log("sender", f"sent in {result['send']:.3f} s", ch.verbose)
    result.update(build=seconds(t0, t1), rss=peak_rss_bytes())
    return result


def run_receiver(ch, progress):
    def announce():
        ch.built.wait()
        log("receiver", "ready", ch.verbose)
        ch.ready.set()
        progress["phase"] = "transfer"
        if ch.fault == "receiver-hangs":
            sleep_forever()

    def arrived():
        if ch.fault == "kill-receiver":
            os.kill(os.getpid(), signal.SIGKILL)

    d, result = RECEIVERS[ch.method](ch, announce, arrived)
    log("receiver", f"received in {result['recv']:.3f} s; checking", ch.verbose)
    progress["phase"] = "verify"
    t0 = now()
    wrong = first_wrong(d, ch.n)
    t1 = now()
    if wrong:
        raise Failure("verify", wrong)
    result.update(verify=seconds(t0, t1), rss=peak_rss_bytes())
    if "bytes" in result and result["bytes"] is None:
        result["bytes"] = pickled_bytes(d)  # after the peak RSS: counting allocates little anyway
    return result


def peer_main(role, ch, out):
    """The target of both child processes: run one side, send one result dict to the main process."""
    become_peer(ch.main_pid)
    progress = {"phase": "ready"}
    try:
        run = run_sender if role == "sender" else run_receiver
        message = {"ok": True, **run(ch, progress)}
    except Failure as failure:
        message = {"ok": False, "phase": failure.phase, "error": failure.message}
    except MemoryError:
        message = {"ok": False, "phase": progress["phase"], "error": f"out of memory (MemoryError) in the {role}"}
    except Exception as error:
        what = type(error).__name__ + (f": {error}" if str(error) else "")
        if ch.method == "manager" and isinstance(error, (EOFError, OSError)):
            what = f"lost the connection to the manager's server process ({what})"
        message = {"ok": False, "phase": progress["phase"], "error": what}
    out.send(message)
    out.close()


# ---------------------------------------------------------------------------------------------
# The main process: start the peers, collect their results, and clean up whatever happens
# ---------------------------------------------------------------------------------------------


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
            try:
                self.manager.shutdown()  # asks, waits 1 s, then terminates the server
            except Exception:
                pass
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
                raise Failure("transfer", f"the {role} process {describe_exit(proc.exitcode)}")
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


def numpy_version():
    try:
        from importlib.metadata import version

        return version("numpy")
    except Exception:
        return None if np is None else np.__version__


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


def run(args, cleanup, stage):
    global np
    n, method = args.size, args.method
    if method in ARRAY_METHODS and n > 2**31:
        raise Failure("limits", f"{method} stores C ints (32-bit): at most 2147483648 elements, got {n}")
    if args.fault == "close-early" and method not in CLOSE_EARLY_METHODS:
        raise Failure("limits", f"fault close-early needs one of {', '.join(CLOSE_EARLY_METHODS)}")
    if args.fault == "kill-broker" and method != "manager":
        raise Failure("limits", "fault kill-broker needs the manager method (the only one with a broker)")
    if method in ("raw-array", "shared-memory"):
        try:
            import numpy
        except ImportError:
            raise Failure("spawn", f"numpy is missing for {sys.executable}: install it with apt-get install -y python3-numpy") from None
        np = numpy
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


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # a bad command line is a failed run too: one JSON line
        emit({"ok": False, "phase": "spawn", "error": f"bad arguments: {message}"})
        sys.exit(2)


def add_process_arguments(parser):
    """The options every program of this folder takes after its own: where its working dir goes,
    the failure to inject, the stdin watch and the step log (main_of reads them)."""
    parser.add_argument("--tmp-dir", default=None, help="where to make the private working dir")
    parser.add_argument("--fault", default="none", choices=FAULTS, help="for tests of failures")
    parser.add_argument("--watch-stdin", action="store_true", help="exit when stdin reaches end of file (the parent is gone)")
    parser.add_argument("--verbose", action="store_true", help="log each step to stderr")


def parse_args(argv):
    parser = _Parser(description="Run one transfer of one of the article's multiprocessing methods.")
    parser.add_argument("--method", required=True, choices=METHODS)
    parser.add_argument("--size", required=True, type=int, help="number of integers sent (>= 1)")
    add_process_arguments(parser)
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error(f"--size must be at least 1, got {args.size}")
    return args


def emit(obj):
    try:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()
    except OSError:
        pass  # nobody is reading any more (the parent died): nothing left to tell


def main_of(argv, parse, run_one):
    """A program's whole life, shared by this one and message_patterns.py: the signal handlers,
    the arguments (parse(argv)), the stdin watch, then run_one(args, CLEANUP, stage) turned into
    exactly one JSON line on stdout, printed only after CLEANUP has ended every child and removed
    the working dir. Returns the exit code: 0 done, 1 failed, 130 interrupted (2, bad arguments,
    leaves from inside parse)."""
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
    except Exception as error:  # a bug: one line on stdout, the traceback on stderr
        import traceback

        traceback.print_exc()
        outcome = {"ok": False, "phase": stage["phase"], "error": f"unexpected {type(error).__name__}: {error}"}
    finally:
        CLEANUP.close()
    # Reported only once every child is gone and the working dir removed.
    emit(outcome)
    return code


def main(argv):
    return main_of(argv, parse_args, run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
