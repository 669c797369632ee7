"""`shared-memory`: Python 3.8's multiprocessing.shared_memory.SharedMemory, the modern way to share
an array between processes, run by article_methods.py beside the article's seven methods.

The sender fills a numpy view of a named segment with the list, in place (encode), and passes the
segment's name through a multiprocessing.Pipe (send); the receiver attaches by name and holds a
numpy view of it (recv: no copy). Its verify pass reads the segment through a mapping of its own,
so it pays that mapping's page-table faults.

Who creates the segment, and why: the main process, before the peers fork, and it zero-fills it.
That is what RawArray gets (the main process creates its arena and memsets it to zero), so both
methods' senders write into tmpfs pages that already exist and neither pays their first touch in
its timed copy. It also gives the segment one owner that outlives both peers: the main process's
Cleanup unlinks it exactly once, after a success, a failure, a killed peer or SIGTERM.

The resource tracker: creating the segment registers it with the main process's tracker, which
the forked peers share (they inherit its pipe). Unlinking unregisters it, so no warning is
printed; should the main process die without unlinking (SIGKILL), the tracker unlinks it then. The
receiver's attach registers the name once more (before 3.13, which has track=False): the tracker
keeps a set, so that is the same entry, and the main process's unlink removes it.
"""

import contextlib
import os
import secrets
import sys
import time
from multiprocessing.shared_memory import SharedMemory

# 3.13 lets an attach stay out of the tracker altogether.
ATTACH_OPTIONS = {"track": False} if sys.version_info >= (3, 13) else {}

now = time.monotonic_ns


def create_segment(n):
    """The segment for n C ints, zero-filled (every page allocated), in the main process.

    Named as ipc-lab's temp dirs are (a label, the owner's pid, six letters): what a SIGKILL of
    the whole process group leaves in /dev/shm is known by the pid, and the driver removes it."""
    import numpy as np

    name = f"ipc-lab-pyshm-p{os.getpid()}-{secrets.token_hex(3)}"
    segment = SharedMemory(name=name, create=True, size=4 * n)
    np.frombuffer(segment.buf, dtype=np.uint8).fill(0)  # a temporary view: released at once
    return segment


def release_segment(segment):
    """Unmap the main process's mapping and unlink the name (which also unregisters it)."""
    segment.close()
    with contextlib.suppress(FileNotFoundError):
        segment.unlink()


def open_shared_memory(ch, ctx, workdir, cleanup):
    """The segment (owned by the main process's cleanup) and the pipe its name goes through."""
    ch.segment = cleanup.segment = create_segment(ch.n)
    ch.name_recv, ch.name_send = ctx.Pipe(duplex=False)


def send_shared_memory(ch, d):
    import numpy as np

    t0 = now()
    view = np.frombuffer(ch.segment.buf, dtype=np.intc, count=ch.n)
    # Element by element from the list straight into the segment: numpy makes no temporary array.
    if ch.fault == "close-early":
        view[: ch.n // 2] = d[: ch.n // 2]
    else:
        view[:] = d
    t1 = now()
    ch.name_send.send(ch.segment.name)
    t2 = now()
    return {"start": t0, "encode": (t1 - t0) / 1e9, "send": (t2 - t1) / 1e9, "bytes": 4 * ch.n}


def recv_shared_memory(ch, announce, arrived):
    import numpy as np

    announce()
    while not ch.name_recv.poll():
        pass
    arrived()
    t0 = now()
    # Attached by name, as an unrelated process would: not through the mapping fork inherited.
    attached = SharedMemory(name=ch.name_recv.recv(), **ATTACH_OPTIONS)
    d = np.ndarray((ch.n,), dtype=np.intc, buffer=attached.buf)
    t1 = now()
    # Kept until the process exits: collected earlier, it would try to unmap under the view.
    ch.attached = attached
    return d, {"recv": (t1 - t0) / 1e9, "end": t1}
