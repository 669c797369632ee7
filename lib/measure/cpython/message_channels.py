"""The channels of message_patterns.py: each peer gets an End, send() one way and recv() the
other; every message is pickled by multiprocessing.

- pipe, roundtrip: one Pipe(duplex=True), a socketpair, both directions on it;
  pipe, rate: Pipe(duplex=False), an os.pipe like the article's transfer, for the stream, and a
  second Pipe(duplex=False) back for the acknowledgements. A blocking write on a full pipe is
  the stream's backpressure.
- queue: two Queues, one each way. A Queue is unbounded by default (put returns at once and its
  feeder thread buffers without limit), so the stream's queue gets a maxsize holding about 1 MiB
  of messages (2 to 1024 of them): put then blocks while it is full.
- manager: a SyncManager's two Queue proxies, one each way, the stream's bounded the same way;
  every put and every get is one call to the manager's server process.
"""

import multiprocessing.managers
import os

from forked_peers import become_peer

# A stream's queue holds about this many bytes of messages (see above).
STREAM_QUEUE_BYTES = 1 << 20


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
    manager.start(initializer=become_peer, initargs=(os.getpid(),))
    cleanup.manager = manager
    forth, back = manager.Queue(stream_max), manager.Queue()
    return End(forth.put, back.get), End(back.put, forth.get), manager._process
