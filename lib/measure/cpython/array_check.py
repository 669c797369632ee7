"""Checking a received int32 numpy array element by element, in the words of Node's verifyPayload
(lib/measure/payload.ts): the article's methods (article_methods.py, whose RawArray and
SharedMemory receivers hold numpy views) and the pair peer (pair_peer.py) both answer with it.
Imports numpy, so the article's program imports this module only once it holds an array."""

import numpy as np

# Compared a slice at a time: one arange of 10^8 would be 400 MB more at the receiver's peak.
CHUNK_ELEMENTS = 1 << 20


def first_wrong_array(data, n):
    """None when data holds exactly 0 .. n-1 as int32, else the first problem, one line."""
    if data.ndim != 1 or data.dtype != np.int32:
        return f"received a {data.dtype} array of shape {data.shape}, expected {n} int32 elements"
    if len(data) != n:
        return f"received {len(data)} elements, expected {n}"
    for start in range(0, n, CHUNK_ELEMENTS):
        stop = min(n, start + CHUNK_ELEMENTS)
        wrong = np.flatnonzero(data[start:stop] != np.arange(start, stop, dtype=np.int32))
        if wrong.size:
            i = start + int(wrong[0])
            return f"element {i} is {int(data[i])}, expected {i}"
    return None
