"""The article's methods that write the pickled list where the operating system carries bytes: a
file in the run's private dir, and a TCP connection over loopback. The functions' contract is
channel_methods.py's.
"""

import ctypes
import os
import pickle
import socket

from forked_peers import now, seconds

# recv() size for TCP: big enough to drain loopback quickly, small enough not to reserve 1 GiB
# per call as the article's recv(1024**3) does.
TCP_RECV_BYTES = 1 << 22


def open_file(ch, ctx, workdir, cleanup):
    ch.path = os.path.join(workdir, "payload.pickle")
    ch.flag = ctx.Value(ctypes.c_bool, False)


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


def open_tcp(ch, ctx, workdir, cleanup):
    ch.port = ctx.Value(ctypes.c_int, 0)


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
