#!/usr/bin/env python3
"""The CPython peer of a pair across runtimes: one role of one transfer whose other peer is a
Node, Bun or Deno peer (lib/measure/peer.ts). It speaks that peer's protocol and moves its bytes,
so the runner cannot tell them apart.

Usage (the runner's, never by hand): pair_peer.py '<PeerConfig JSON>' with the repo root as cwd,
stdin /dev/null, fd 3 the control channel (a Unix socketpair) and, for `pipe`, fd 5 the pipe.

The control channel (lib/measure/control.ts) carries JSON lines both ways:
  peer   {"type":"ready","role":R,"info":{...},"pid":P}   set up; info says where to connect
  runner {"type":"peers","info":{...}}                      every peer's info, merged
  peer   {"type":"armed","role":R}                          connected, waiting
  runner {"type":"go"}
  peer   {"type":"result","result":{...}} or {"type":"failed","role":R,"phase":...,"error":...}
  runner {"type":"stop"}                                    exit: 0 after a result, 1 otherwise
A stop before the report, or the channel's end of file (the runner died), ends the peer at once.

Payload: int32 only, the integers 0 .. n-1 in a numpy array built in place (for a hand-over, in
the shared mapping itself). Times are time.monotonic_ns(), CLOCK_MONOTONIC, the clock the Node
peers read, so the runner subtracts a receiver's heldNs and a sender's startNs across processes.
The control channel is pair_control.py; the transports live beside it: pair_channels.py (unix,
tcp, pipe), pair_handoff.py (handoff, handoff-name), pair_codecs.py (raw, arrow).
"""

import sys

# The sibling modules would otherwise leave __pycache__/ dirs inside the repository.
sys.dont_write_bytecode = True

import importlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

# Elements written (and compared, in array_check) per step: no temporary of n elements beside the payload.
from array_check import CHUNK_ELEMENTS, first_wrong_array  # noqa: E402
from pair_control import Control  # noqa: E402

CONTROL_FD = 3
BYTE_CHANNELS = ("unix", "tcp", "pipe")
HANDOFFS = ("handoff", "handoff-name")
BYTE_CODECS = ("raw", "arrow")
# The modules whose own exceptions are expected failures (the other peer closed early, sent
# something wrong): reported by their message alone.
EXPECTED_FROM = ("pair_channels", "pair_handoff", "pair_codecs")
PYARROW_MISSING = (
    "pyarrow is not installed for {python}: run `npx ts-node tools/setup/setup.ts` (installs pyarrow 25.0.1 into .cpython-packages/)"
)

now = time.monotonic_ns


class Failure(Exception):
    """An expected failure: reported as one line with its phase, never with a traceback."""

    def __init__(self, phase, message):
        super().__init__(message)
        self.phase = phase


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def fill_integers(array):
    import numpy as np  # imported (and its absence reported) by limit(), once the spec is known

    for start in range(0, len(array), CHUNK_ELEMENTS):
        stop = min(len(array), start + CHUNK_ELEMENTS)
        array[start:stop] = np.arange(start, stop, dtype=np.int32)


def limit(config):
    """Why this peer cannot run the config, in one line, or None."""
    role, spec = config.get("role"), config.get("spec") or {}
    transport, codec = spec.get("transport"), spec.get("codec")
    n = spec.get("sizeElements")
    if role not in ("sender", "receiver"):
        return f"the CPython pair peer plays sender or receiver, not {role!r}"
    if spec.get("pattern", "transfer") not in (None, "transfer"):
        return f"the CPython pair peer runs one transfer, not the {spec['pattern']} pattern"
    if spec.get("payload") != "int32":
        return f"the CPython pair peer sends int32 only, not {spec.get('payload')}"
    if transport not in BYTE_CHANNELS + HANDOFFS:
        return f"the CPython pair peer has no transport {transport!r}: it runs {', '.join(BYTE_CHANNELS + HANDOFFS)}"
    if transport in BYTE_CHANNELS and codec not in BYTE_CODECS:
        return f"{transport} carries the raw or arrow codec in the CPython pair peer, not {codec!r}"
    if transport in HANDOFFS and codec not in (None, "none"):
        return f"{transport} hands memory over and takes no codec, not {codec!r}"
    if not isinstance(n, int) or not 1 <= n <= 2**31:
        return f"size must be 1 .. 2147483648 elements (int32 holds n - 1), got {n!r}"
    shm_path = str((config.get("prepared") or {}).get("shmPath", ""))
    if transport == "handoff-name" and os.path.dirname(shm_path) != "/dev/shm":
        return f"handoff-name needs prepared.shmPath directly in /dev/shm (where SharedMemory names live), got {shm_path!r}"
    try:
        importlib.import_module("numpy")
    except ImportError:
        return f"numpy is not installed for {sys.executable}: apt-get install -y python3-numpy"
    if codec == "arrow":
        try:
            importlib.import_module("pyarrow")
        except ImportError:
            return PYARROW_MISSING.format(python=sys.executable)
    return None


def run_sender(config, control, channel, codec):
    spec, fault = config["spec"], config.get("fault", "none")
    transport, n = spec["transport"], spec["sizeElements"]
    if fault == "sender-never-ready":
        control.idle_forever()
    control.phase = "build"
    build_start_ns = now()
    region = None
    if transport == "handoff":
        region = channel.MemfdRegion(n)
    elif transport == "handoff-name":
        region = channel.NamedRegion(str(config["prepared"]["shmPath"]), n)
    control.keep(region)
    import numpy as np  # imported (and its absence reported) by limit()

    array = region.array if region else np.empty(n, dtype=np.int32)
    fill_integers(array)
    build_seconds = (now() - build_start_ns) / 1e9
    if fault == "corrupt":
        array[n // 2] = -1
    control.phase = "ready"
    close_early = fault == "close-early"
    if region:
        report = channel.sender(control, region, close_early)
        copies, memory = 0, "fresh"
    else:
        encode, _, encode_copies = codec
        report = channel.sender(transport, control, encode, array, close_early)
        copies, memory = 1 + encode_copies, "n/a"  # the encode's copies, then the kernel's
    return {
        "role": "sender",
        "buildSeconds": build_seconds,
        "startNs": str(report["startNs"]),
        "encodeSeconds": None if region else report["encodeSeconds"],
        "sendSeconds": report["sendSeconds"],
        "bytes": report["bytes"],
        "memory": memory,
        "copies": copies,
        "runtimeVersion": platform.python_version(),
        "peakRssBytes": peak_rss_bytes(),
    }


def run_receiver(config, control, channel, codec):
    spec, fault = config["spec"], config.get("fault", "none")
    transport, n = spec["transport"], spec["sizeElements"]
    if transport in HANDOFFS:
        shm_path = str((config.get("prepared") or {}).get("shmPath", ""))
        data, mapping, report = channel.receiver(control, config["tmpDir"], shm_path)
        control.keep(mapping)
        copies, first_touch = 0, "sender"
    else:
        data, report = channel.receiver(transport, control, config["tmpDir"], codec[1])
        copies, first_touch = 1, "receiver"  # the kernel's copy into our buffer; decode is a view
    if fault == "receiver-hangs":
        control.idle_forever()
    control.phase = "verify"
    verify_start_ns = now()
    verify_error = first_wrong_array(data, n)
    return {
        "role": "receiver",
        "heldNs": str(report["heldNs"]),
        "recvSeconds": report["recvSeconds"],
        "decodeSeconds": report["decodeSeconds"],
        "verifySeconds": (now() - verify_start_ns) / 1e9,
        "verifyError": verify_error,
        "copies": copies,
        "firstTouch": first_touch,
        "runtimeVersion": platform.python_version(),
        "peakRssBytes": peak_rss_bytes(),
    }


def run(config, control):
    problem = limit(config)
    if problem:
        raise Failure("limits", problem)
    transport = config["spec"]["transport"]
    if transport in HANDOFFS:
        import pair_handoff as channel

        codec = None
        if transport == "handoff-name":
            channel.start_tracker()
    else:
        import pair_channels as channel
        import pair_codecs

        codec = pair_codecs.codec_of(config["spec"]["codec"])
    role_of = run_sender if config["role"] == "sender" else run_receiver
    return role_of(config, control, channel, codec)


def one_line(error, role):
    """What went wrong, in one line; only a bug (an error nobody expected) leaves a traceback."""
    if isinstance(error, Failure) or type(error).__module__ in EXPECTED_FROM:
        return str(error)
    if isinstance(error, MemoryError):
        return f"out of memory (MemoryError) in the {role}"
    if isinstance(error, OSError):
        return str(error)  # "[Errno 32] Broken pipe": the other peer or the system failed us
    traceback.print_exc()
    return f"unexpected {type(error).__name__}: {error}"


def main(argv):
    try:
        config = json.loads(argv[1])
        role = config["role"]
    except (IndexError, ValueError, KeyError, TypeError):
        print("pair_peer.py: expected one argument, the PeerConfig JSON (see lib/measure/peer.ts)", file=sys.stderr)
        return 2
    try:
        control = Control(CONTROL_FD, role)
    except OSError as error:
        print(f"pair_peer.py: fd {CONTROL_FD} is not the control channel ({error.strerror})", file=sys.stderr)
        return 2
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda received, _frame: control.leave(1, received))
    try:
        control.report({"type": "result", "result": run(config, control)}, 0)
    except Exception as error:  # noqa: BLE001  (every failure is reported, in one line)
        phase = error.phase if isinstance(error, Failure) else control.phase
        control.report({"type": "failed", "role": role, "phase": phase, "error": one_line(error, role)}, 1)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
