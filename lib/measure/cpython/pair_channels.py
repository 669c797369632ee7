"""The byte channels of the pair peer: Unix socket, TCP and the shell's pipe, as the Node peers
open them (lib/measure/transports/socket.ts, pipe.ts) and with their frames (lib/measure/wire.ts):
an 8-byte little-endian length, then the body.

Reads and writes go straight through the file descriptor (os.readv, os.writev): the body is read
into one buffer of its final size, so the kernel's copy is the receiver's only one, and a sender's
chunks (a header and an array's own memory) leave in one writev, joined by nothing.
"""

import contextlib
import fcntl
import os
import socket
import struct
import time

import numpy as np

FRAME_HEADER = struct.Struct("<Q")
# Node's FrameReader refuses a frame beyond its largest Buffer: the same bound here.
MAX_FRAME_BYTES = 2**32
# The runner's shell-pipe topology joins `sender | receiver` with one pipe(2), fd 5 in both.
PIPE_FD = 5
RECEIVER_SOCKET = "receiver.sock"
# Both peers enlarge the transfer's pipe to 1 MiB before ready, as the Node peers do
# (lib/measure/pipe-size.ts); a refusal keeps the default.
TRANSFER_PIPE_BYTES = 1 << 20

now = time.monotonic_ns


def enlarge_pipe(fd):
    """The pipe as large as TRANSFER_PIPE_BYTES, or pipe-max-size if lower; unchanged where refused."""
    try:
        with open("/proc/sys/fs/pipe-max-size") as f:
            wanted = min(TRANSFER_PIPE_BYTES, int(f.read()))
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, wanted)
    except (OSError, ValueError):
        pass


class ChannelError(Exception):
    """The channel failed in a way the other peer caused (it closed early, sent nonsense)."""


def listen(transport, tmp_dir, file_name=RECEIVER_SOCKET):
    """A listening socket and the ready info that says where: a Unix socket file in the runner's
    private 0700 dir, or an ephemeral port on 127.0.0.1 (never a fixed port, never all interfaces)."""
    if transport == "tcp":
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        return server, {"port": server.getsockname()[1]}
    path = os.path.join(tmp_dir, file_name)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # bind(2) applies the umask: narrowed around it, the file is born 0600 (a chmod afterwards
    # would leave a moment when it is not), as Node's listenPrivately does.
    previous = os.umask(0o177)
    try:
        server.bind(path)
    finally:
        os.umask(previous)
    server.listen(1)
    return server, {"path": path}


def accept_one(server, control):
    """The one connection the transfer has; then nobody else may connect."""
    control.wait_readable(server.fileno())
    conn, _ = server.accept()
    close_listener(server)
    return conn


def close_listener(server):
    """Close a listening socket and remove its file, as Node's server.close() does (libuv unlinks
    a Unix socket's path on close). Safe to call twice (again when the peer leaves)."""
    if server.fileno() < 0:
        return
    path = server.getsockname() if server.family == socket.AF_UNIX else None
    server.close()
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def connect(transport, peers):
    if transport == "tcp":
        where = ("127.0.0.1", int(peers["port"]))
        conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    else:
        where = str(peers["path"])
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(where)
    except OSError as error:
        conn.close()
        raise ChannelError(f"cannot connect to the receiver at {where}: {error.strerror}") from None
    return conn


def byte_views(chunks):
    return [memoryview(chunk).cast("B") for chunk in chunks]


def write_all(fd, views):
    """writev until every byte is written (a signal or the 2 GiB cap of one call can cut it short)."""
    pending = [view for view in views if view.nbytes]
    while pending:
        written = os.writev(fd, pending)
        while written:
            if written >= pending[0].nbytes:
                written -= pending.pop(0).nbytes
            else:
                pending[0] = pending[0][written:]
                written = 0


def write_frame(fd, chunks, close_early=False):
    """One frame. close_early: the header announces the whole body but only its first half
    follows, as Node's writeHalfFrame (lib/measure/transports/common.ts) sends it."""
    views = byte_views(chunks)
    body_bytes = sum(view.nbytes for view in views)
    if close_early:
        views = first_bytes(views, body_bytes // 2)
    write_all(fd, [memoryview(FRAME_HEADER.pack(body_bytes)), *views])
    return body_bytes


def first_bytes(views, count):
    kept = []
    for view in views:
        if count <= 0:
            break
        kept.append(view[:count])
        count -= min(count, view.nbytes)
    return kept


def read_frame(fd, control):
    """The next frame's body as a uint8 array, with the monotonic ns of its first and last bytes."""
    control.wait_readable(fd)
    header = bytearray(FRAME_HEADER.size)
    first_byte_ns = None
    got = 0
    while got < FRAME_HEADER.size:
        count = os.readv(fd, [memoryview(header)[got:]])
        if count == 0:
            where = "inside a frame header" if got else "before a frame arrived"
            raise ChannelError(f"the peer closed the stream {where}")
        if first_byte_ns is None:
            first_byte_ns = now()
        got += count
    (length,) = FRAME_HEADER.unpack(header)
    if length > MAX_FRAME_BYTES:
        raise ChannelError(f"frame of {length} bytes is larger than the {MAX_FRAME_BYTES} allowed: corrupt stream?")
    # np.empty, not bytearray(length): bytearray zero-fills, a pass over every page before the
    # data lands; numpy's buffer is fresh memory that the kernel's copy touches first, as Node's
    # Buffer.allocUnsafe is. Unlike V8, numpy asks for transparent huge pages for an array over
    # 4 MiB (madvise), so that first touch takes fewer page faults here (measured at 10^8 over a
    # Unix socket: recv 0.23-0.31 s against 0.36-0.43 s with NUMPY_MADVISE_HUGEPAGE=0).
    body = np.empty(length, dtype=np.uint8)
    view = memoryview(body)
    filled = 0
    while filled < length:
        count = os.readv(fd, [view[filled:]])
        if count == 0:
            raise ChannelError(f"the peer closed the stream after {filled} of {length} bytes of a frame")
        filled += count
    return body, first_byte_ns, now()


def send_timed(fd, encode, array, close_early, send_includes_encode):
    """Encode and write one frame, timed as the Node transport times it: a socket times encode and
    send apart; the pipe's send includes the encode, like Connection.send (pipe.ts)."""
    start_ns = now()
    chunks = encode(array)
    send_start_ns = now()
    body_bytes = write_frame(fd, chunks, close_early)
    end_ns = now()
    return {
        "startNs": start_ns,
        "encodeSeconds": (send_start_ns - start_ns) / 1e9,
        "sendSeconds": (end_ns - (start_ns if send_includes_encode else send_start_ns)) / 1e9,
        "bytes": body_bytes,
    }


def receive_timed(fd, decode, control, recv_includes_decode):
    """Read and decode one frame. A socket's recv runs from the first byte to the last; the pipe's
    to the decoded value, like Connection.recv after poll() (pipe.ts)."""
    body, first_byte_ns, last_byte_ns = read_frame(fd, control)
    decode_start_ns = now()
    data = decode(body)
    held_ns = now()
    return data, {
        "heldNs": held_ns,
        "recvSeconds": ((held_ns if recv_includes_decode else last_byte_ns) - first_byte_ns) / 1e9,
        "decodeSeconds": (held_ns - decode_start_ns) / 1e9,
    }


def sender(transport, control, encode, array, close_early):
    """The sending side of unix, tcp or pipe: connect (before armed), then one timed frame."""
    if transport == "pipe":
        enlarge_pipe(PIPE_FD)
        control.ready({})
        control.armed()
        report = send_timed(PIPE_FD, encode, array, close_early, send_includes_encode=True)
        os.close(PIPE_FD)  # the end of the stream
        return report
    peers = control.ready({})
    conn = connect(transport, peers)
    control.armed()
    report = send_timed(conn.fileno(), encode, array, close_early, send_includes_encode=False)
    conn.shutdown(socket.SHUT_WR)  # Node's socket.end()
    conn.close()
    return report


def receiver(transport, control, tmp_dir, decode):
    """The receiving side of unix, tcp or pipe: listen and accept (before armed), then one frame."""
    if transport == "pipe":
        enlarge_pipe(PIPE_FD)
        control.ready({})
        control.armed()
        data, report = receive_timed(PIPE_FD, decode, control, recv_includes_decode=True)
        os.close(PIPE_FD)
        return data, report
    server, info = listen(transport, tmp_dir)
    control.on_leave(lambda: close_listener(server))
    control.ready(info)
    conn = accept_one(server, control)
    control.armed()
    data, report = receive_timed(conn.fileno(), decode, control, recv_includes_decode=False)
    conn.close()
    return data, report
