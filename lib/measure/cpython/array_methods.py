"""The article's methods that copy the list into shared memory of C ints: multiprocessing's Array
(behind a lock) and RawArray (no lock, filled and read through numpy). Python 3.8's SharedMemory
is the third, in shared_memory_method.py. The functions' contract is channel_methods.py's.

numpy is imported by the main process before the peers fork (article_methods.run), and only for
raw-array and shared-memory: importing it costs every peer memory and time.
"""

import ctypes
import multiprocessing.sharedctypes

from forked_peers import now, seconds

C_INT_BYTES = ctypes.sizeof(ctypes.c_int)


def open_shared_array(ch, ctx, workdir, cleanup):
    ch.array = ctx.Array(ctypes.c_int, ch.n)  # lock=True, as the article's mp.Array
    ch.flag = ctx.Value(ctypes.c_bool, False)


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


def open_raw_array(ch, ctx, workdir, cleanup):
    ch.raw = multiprocessing.sharedctypes.RawArray(ctypes.c_int, ch.n)
    ch.flag = ctx.Value(ctypes.c_bool, False)


def send_raw_array(ch, d):
    import numpy as np  # loaded already (see above): this only binds the name

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
    import numpy as np  # loaded already (see above): this only binds the name

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
