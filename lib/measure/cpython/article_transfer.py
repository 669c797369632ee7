"""One transfer of one of the article's methods, as its two forked peers run it: the sender builds
list(range(n)) and sends it once; the receiver waits for it, polling the way the article does,
receives it, and checks every element. Each method's own code is in channel_methods.py (queue,
pipe, manager), array_methods.py (shared-array, raw-array), file_socket_methods.py (file, tcp)
and shared_memory_method.py (shared-memory).

A handshake keeps set-up out of the timing: the receiver sleeps (blocked, not spinning) until the
sender has built the list, then says it is ready and starts polling; only then does the sender
start the transfer (and the total time). The article started both at once, so its receiver spun
on the second core all through the build; on a 2-core machine that slows the build and whatever
else runs.
"""

import os
import pickle
import signal
import sys
from collections import namedtuple

import array_methods
import channel_methods
import file_socket_methods
import shared_memory_method
from forked_peers import become_peer, failed_message, log, now, peak_rss_bytes, seconds, sleep_forever
from program_life import Failure

# Elements compared per step of the check, so checking never holds a second full-size list.
VERIFY_CHUNK = 1 << 20

Method = namedtuple("Method", ("open", "send", "recv"))

METHODS = {
    "queue": Method(channel_methods.open_queue, channel_methods.send_queue, channel_methods.recv_queue),
    "pipe": Method(channel_methods.open_pipe, channel_methods.send_pipe, channel_methods.recv_pipe),
    "shared-array": Method(array_methods.open_shared_array, array_methods.send_shared_array, array_methods.recv_shared_array),
    "manager": Method(channel_methods.open_manager, channel_methods.send_manager, channel_methods.recv_manager),
    "raw-array": Method(array_methods.open_raw_array, array_methods.send_raw_array, array_methods.recv_raw_array),
    "file": Method(file_socket_methods.open_file, file_socket_methods.send_file, file_socket_methods.recv_file),
    "tcp": Method(file_socket_methods.open_tcp, file_socket_methods.send_tcp, file_socket_methods.recv_tcp),
    "shared-memory": Method(
        shared_memory_method.open_shared_memory, shared_memory_method.send_shared_memory, shared_memory_method.recv_shared_memory
    ),
}


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


def open_channel(method, n, fault, verbose, ctx, workdir, cleanup):
    """Create the method's shared objects in the main process, before the peers fork."""
    ch = Channel(method, n, fault, verbose, ctx)
    METHODS[method].open(ch, ctx, workdir, cleanup)
    return ch


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


def first_wrong(d, n):
    """None if d holds exactly 0..n-1 (a list of ints, or an int32 numpy array); else why not."""
    if not isinstance(d, list):
        # numpy is loaded only for the methods whose receivers hold arrays (array_methods.py).
        numpy = sys.modules.get("numpy")
        if numpy is not None and isinstance(d, numpy.ndarray):
            from array_check import first_wrong_array

            return first_wrong_array(d, n)
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
    result = METHODS[ch.method].send(ch, d)
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

    d, result = METHODS[ch.method].recv(ch, announce, arrived)
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
    except Exception as error:  # noqa: BLE001 -- whatever stopped this side is the transfer's failure, told to the main process
        message = failed_message(role, progress["phase"], error, ch.method)
    out.send(message)
    out.close()
