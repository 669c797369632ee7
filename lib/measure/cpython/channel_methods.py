"""The article's methods that pickle the list through one of multiprocessing's channels: a Queue,
a Pipe, and a Manager's list (every call a round trip to the manager's server process).

Each method is three functions (article_transfer.py calls them): open_*(ch, ctx, workdir,
cleanup) makes its shared objects in the main process before the peers fork; send_*(ch, d)
returns {start, send, encode?, bytes?} (start in ns, durations in s); recv_*(ch, announce,
arrived) returns (data, {recv, end, decode?, bytes?}), polling as the article's receiver does.
A "bytes": None asks the receiver to count the pickled size after its check.
"""

import multiprocessing.managers
import os
import pickle

from forked_peers import become_peer, now, seconds


def open_queue(ch, ctx, workdir, cleanup):
    ch.queue = ctx.Queue()


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


def open_pipe(ch, ctx, workdir, cleanup):
    ch.pipe_recv, ch.pipe_send = ctx.Pipe(duplex=False)


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


def open_manager(ch, ctx, workdir, cleanup):
    manager = multiprocessing.managers.SyncManager(ctx=ctx)
    manager.start(initializer=become_peer, initargs=(os.getpid(),))
    cleanup.manager = manager
    ch.shared_list = manager.list()
    ch.broker_pid = manager._process.pid  # no public accessor for the server's pid


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
