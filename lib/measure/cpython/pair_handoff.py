"""The hand-overs of the pair peer, no copy: `handoff` passes a sealed memfd over a Unix socket
(SCM_RIGHTS), `handoff-name` names a region in /dev/shm made with Python's SharedMemory. The Node
side is lib/measure/transports/handoff.ts; the message both ways is one 16-byte header:
  bytes 0-3   magic "IPCH" (little-endian uint32 0x48435049)
  bytes 4-7   kind, little-endian uint32: 1 = the memfd rides in the same sendmsg, 2 = by name
              (the runner's prepared.shmPath)
  bytes 8-15  element count, little-endian uint64
The receiver maps what it gets read-only and without populating it, so its verify pass pays the
page-table faults, as Node's does.
"""

import ctypes
import fcntl
import mmap
import os
import socket
import struct
import sys
import time
from multiprocessing import resource_tracker
from multiprocessing.shared_memory import SharedMemory

import numpy as np

from pair_channels import accept_one, close_listener, listen

HEADER = struct.Struct("<IIQ")
MAGIC = 0x48435049
KIND_FD = 1
KIND_NAME = 2
SOCKET_NAME = "handoff.sock"
# Python 3.11's fcntl lacks F_SEAL_FUTURE_WRITE (Linux 5.1). It, not F_SEAL_WRITE, because
# F_SEAL_WRITE is refused while a writable mapping exists: the sender would have to unmap first
# (measured here: 13 ms for 400 MB, against 14 us for the seals below).
F_SEAL_FUTURE_WRITE = getattr(fcntl, "F_SEAL_FUTURE_WRITE", 0x10)
SEALS = F_SEAL_FUTURE_WRITE | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL
# Spins of the receiver's poll between two looks at the control channel (a few milliseconds).
SPINS_PER_CONTROL_CHECK = 4096
# 3.13 gave SharedMemory track=False; before it, create and attach both register the segment with
# the resource tracker, which unlinks it (and warns of a leak) when this process ends.
TRACK_FLAG = sys.version_info >= (3, 13)

now = time.monotonic_ns


class HandoffError(Exception):
    """The other peer handed over something wrong, or left."""


def start_tracker():
    """Start CPython's resource tracker now: SharedMemory starts it on first use, and its fork and
    exec of a new interpreter would otherwise land inside the timed build or receive."""
    if not TRACK_FLAG:
        resource_tracker.ensure_running()


def untracked_shared_memory(name, create=False, size=0):
    """A SharedMemory the resource tracker leaves alone: the runner owns the name's lifetime and
    unlinks it at teardown, so no peer may unlink it early (or warn of a leak at exit)."""
    if TRACK_FLAG:
        return SharedMemory(name=name, create=create, size=size, track=False)
    shm = SharedMemory(name=name, create=create, size=size)
    resource_tracker.unregister(shm._name, "shared_memory")  # _name: the name as registered ("/...")
    return shm


def half_bytes(n):
    """Fault close-early: the header announces every element, the region holds half of them (cut
    before the seal, which forbids shrinking), as Node's sender cuts it."""
    return 4 * (n // 2)


class MemfdRegion:
    """The sender's memory for `handoff`: an anonymous memfd it maps read-write and builds in."""

    def __init__(self, n):
        self.n = n
        self.fd = os.memfd_create("ipc-lab-handoff", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        os.ftruncate(self.fd, 4 * n)
        self.map = mmap.mmap(self.fd, 4 * n, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ | mmap.PROT_WRITE)
        self.array = np.frombuffer(self.map, dtype=np.int32, count=n)

    def hand_over(self, conn, close_early):
        if close_early:
            os.ftruncate(self.fd, half_bytes(self.n))
        start_ns = now()
        fcntl.fcntl(self.fd, fcntl.F_ADD_SEALS, SEALS)
        socket.send_fds(conn, [HEADER.pack(MAGIC, KIND_FD, self.n)], [self.fd])
        return start_ns, now()

    def close_fd(self):
        os.close(self.fd)  # the receiver has its own; our mapping keeps the pages


class NamedRegion:
    """The sender's memory for `handoff-name`: SharedMemory(create=True) under the runner's name."""

    def __init__(self, shm_path, n):
        self.n = n
        self.path = shm_path
        self.shm = untracked_shared_memory(os.path.basename(shm_path), create=True, size=4 * n)
        self.array = np.ndarray((n,), dtype=np.int32, buffer=self.shm.buf)

    def hand_over(self, conn, close_early):
        if close_early:
            os.truncate(self.path, half_bytes(self.n))
        start_ns = now()
        # Nobody may open the name writable again (but root, which ignores modes: a name is
        # weaker than a sealed descriptor), as Node's sender leaves it.
        os.chmod(self.path, 0o400)
        conn.sendall(HEADER.pack(MAGIC, KIND_NAME, self.n))
        return start_ns, now()

    def close_fd(self):
        pass  # SharedMemory keeps its descriptor until close(), which the numpy view forbids


def protect(array):
    """mprotect(PROT_READ) the sender's own mapping: a seal cannot stop a writable mapping made
    before it, so the sender gives up writing through it, as Node's does (native/handoff.c)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    if libc.mprotect(array.ctypes.data, array.nbytes, mmap.PROT_READ) != 0:
        raise OSError(ctypes.get_errno(), f"mprotect of the handed-over region: {os.strerror(ctypes.get_errno())}")
    array.flags.writeable = False


def await_peer_close(conn, control):
    """Wait, off the clock, until the receiver closes its end of the socket: it holds the pages
    then. Only then does the sender mprotect its own mapping, which would otherwise hold up the
    receiver's mmap of the same file (3-6 ms at 400 MB, measured on the Node side)."""
    try:
        while True:
            control.wait_readable(conn.fileno())
            if not conn.recv(4096):
                return
    except OSError:
        return  # reset: closed too


def send(region, conn, close_early, control):
    try:
        start_ns, end_ns = region.hand_over(conn, close_early)
    finally:
        # Not timed, as in Node: what the sender no longer needs once the region is given away.
        await_peer_close(conn, control)
        protect(region.array)
        region.close_fd()
        conn.close()
    return {"startNs": start_ns, "encodeSeconds": None, "sendSeconds": (end_ns - start_ns) / 1e9, "bytes": 4 * region.n}


def take_message(conn, control):
    """Poll (spin) for the header and its descriptors, as the Node receiver polls, so that a
    comparison measures the same thing. Returns them with the ns of the call that got them."""
    conn.setblocking(False)
    header = b""
    fds = []
    spins = 0
    while True:
        attempt_ns = now()
        try:
            data, got_fds, flags, _ = socket.recv_fds(conn, HEADER.size - len(header), 1)
        except BlockingIOError:
            spins += 1
            if spins % SPINS_PER_CONTROL_CHECK == 0:
                control.check()
            continue
        if not header:
            arrived_ns = attempt_ns
        fds += got_fds
        if flags & socket.MSG_CTRUNC:
            close_all(fds)
            raise HandoffError("the hand-over's descriptors were cut short (MSG_CTRUNC)")
        if not data:
            close_all(fds)
            raise HandoffError(f"the sender closed the hand-over socket after {len(header)} of the {HEADER.size} header bytes")
        header += data
        if len(header) == HEADER.size:
            return HEADER.unpack(header), fds, arrived_ns


def close_all(fds):
    for fd in fds:
        os.close(fd)


def receive(conn, shm_path, control):
    """Take the hand-over and hold it as a read-only int32 view. Returns the array, what keeps its
    mapping alive (hold it until exit), and the timing. The socket is closed at the end, held or
    failed: that tells the sender the receiver is done with it (see await_peer_close)."""
    try:
        return hold(conn, shm_path, control)
    finally:
        conn.close()


def hold(conn, shm_path, control):
    (magic, kind, count), fds, arrived_ns = take_message(conn, control)
    # Worded as Node's decodeHandoffHeader and receiver (lib/measure/handoff-memory.ts, handoff.ts).
    if magic != MAGIC:
        close_all(fds)
        raise HandoffError(f'hand-over header: magic 0x{magic:08x}, expected 0x{MAGIC:08x} ("IPCH")')
    if kind not in (KIND_FD, KIND_NAME):
        close_all(fds)
        raise HandoffError(f"hand-over header: kind {kind}, expected 1 (memfd) or 2 (name)")
    if kind == KIND_FD:
        if not fds:
            raise HandoffError("the hand-over announced a memfd but carried no descriptor")
        array, keep = map_read_only(fds[0], count)
    else:
        close_all(fds)
        if not shm_path:
            raise HandoffError("the hand-over announced a name, but this transfer named no region")
        # Opened read-only and mapped PROT_READ, as Node's receiver does: SharedMemory(name) would
        # attach read-write (shm_open O_RDWR), which the 0400 mode the sender set at the hand-over
        # refuses to anyone but root. The Python sender still creates it with SharedMemory.
        array, keep = map_read_only(os.open(shm_path, os.O_RDONLY | os.O_CLOEXEC), count)
    held_ns = now()
    return array, keep, {"heldNs": held_ns, "recvSeconds": (held_ns - arrived_ns) / 1e9, "decodeSeconds": None}


def map_read_only(fd, count):
    """A read-only int32 view of `count` elements of fd's pages (fd is closed), and the mapping
    that keeps them: MAP_SHARED, PROT_READ, no MAP_POPULATE (the first read pays the page-table
    faults). Python's mmap keeps a dup of the fd until the map is closed (3.13's trackfd=False
    avoids it): one more descriptor, no more memory."""
    try:
        check_size(os.fstat(fd).st_size, 4 * count)
        keep = mmap.mmap(fd, 4 * count, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ) if count else None
    finally:
        os.close(fd)
    array = np.frombuffer(keep, dtype=np.int32, count=count) if count else np.empty(0, np.int32)
    return array, keep


def check_size(held_bytes, announced_bytes):
    if held_bytes < announced_bytes:
        raise HandoffError(f"the hand-over holds {held_bytes} bytes, fewer than the {announced_bytes} announced")


def sender(control, region, close_early):
    peers = control.ready({})
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(peers["path"]))
    except OSError as error:
        raise HandoffError(f"cannot connect to the receiver at {peers['path']}: {error.strerror}") from None
    control.armed()
    return send(region, conn, close_early, control)


def receiver(control, tmp_dir, shm_path):
    server, info = listen("unix", tmp_dir, SOCKET_NAME)
    control.on_leave(lambda: close_listener(server))
    control.ready(info)
    conn = accept_one(server, control)
    # Polling starts at armed, not at go, as the Node receiver's does: nothing can arrive before go
    # (the sender waits for it too), and a receiver already spinning when it comes does not add an
    # idle process's wake-up (50 us to a few ms here) to what is measured.
    control.armed(wait_for_go=False)
    held = receive(conn, shm_path, control)
    control.expect("go")  # long since there: the sender sent only after it
    return held
