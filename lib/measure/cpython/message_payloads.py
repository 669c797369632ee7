"""The messages of message_patterns.py: message seq of a kind and size, the same content every
runtime sends. A kind's make(seq) builds one, wrong(msg, seq) says what is wrong with a received
one (None: nothing), and corrupt(msg) returns a copy with one piece of content changed and the
seq intact.
"""

import array
import json
import struct

from program_life import Failure


class BytesKind:
    """B bytes: uint32 LE seq, uint32 LE ~seq, then byte i = (i * 31 + 7) & 0xff."""

    HEAD = struct.Struct("<II")

    def __init__(self, size):
        self.size = size
        self.tail = bytes((i * 31 + 7) & 0xFF for i in range(8, size))

    def make(self, seq):
        return self.HEAD.pack(seq, ~seq & 0xFFFFFFFF) + self.tail

    def wrong(self, msg, seq):
        if type(msg) is not bytes:
            return f"is a {type(msg).__name__}, expected bytes"
        if len(msg) != self.size:
            return f"has {len(msg)} bytes, expected {self.size}"
        got, check = self.HEAD.unpack_from(msg)
        if got != seq or check != ~seq & 0xFFFFFFFF:
            return f"carries seq {got} (check word {check:#010x}), expected {seq}"
        if not msg.endswith(self.tail):  # a memcmp, no copy
            i = next(i for i in range(8, self.size) if msg[i] != self.tail[i - 8])
            return f"byte {i} is {msg[i]}, expected {self.tail[i - 8]}"
        return None

    def corrupt(self, msg):
        return msg[:-1] + bytes([msg[-1] ^ 0xFF])


class Int32Kind:
    """B / 4 C ints in an array.array('i'): element 0 = seq, element i = i."""

    def __init__(self, size):
        self.count = size // 4
        self.template = array.array("i", range(self.count))
        if self.template.itemsize != 4:
            raise Failure("limits", f"this CPython's C int has {self.template.itemsize} bytes, int32 messages need 4")
        self.tail = self.template.tobytes()[4:]

    def make(self, seq):
        msg = self.template[:]  # a slice of an array is a memcpy
        msg[0] = seq
        return msg

    def wrong(self, msg, seq):
        if type(msg) is not array.array or msg.typecode != "i":
            return f"is a {type(msg).__name__}, expected an array.array('i')"
        if len(msg) != self.count:
            return f"has {len(msg)} elements, expected {self.count}"
        if msg[0] != seq:
            return f"carries seq {msg[0]}, expected {seq}"
        if not msg.tobytes().endswith(self.tail):
            i = next(i for i in range(1, self.count) if msg[i] != i)
            return f"element {i} is {msg[i]}, expected {i}"
        return None

    def corrupt(self, msg):
        bad = msg[:]
        bad[-1] ^= 1
        return bad


class ObjectKind:
    """{"seq":S,"kind":"tick","values":[0..k-1],"pad":"xx…"}, compact JSON exactly B characters."""

    KEYS = frozenset(("seq", "kind", "values", "pad"))

    def __init__(self, size):
        self.size = size
        self.values = list(range(min(16, size // 64)))
        empty = {"seq": 0, "kind": "tick", "values": self.values, "pad": ""}
        self.fixed = len(json.dumps(empty, separators=(",", ":"))) - 1  # without seq's one digit
        self.pads = {}  # by the number of digits of seq

    def pad(self, seq):
        digits = len(str(seq))
        if digits not in self.pads:
            self.pads[digits] = "x" * (self.size - self.fixed - digits)
        return self.pads[digits]

    def make(self, seq):
        return {"seq": seq, "kind": "tick", "values": self.values, "pad": self.pad(seq)}

    def wrong(self, msg, seq):
        if type(msg) is not dict:
            return f"is a {type(msg).__name__}, expected a dict"
        if msg.keys() != self.KEYS:
            return f"has the keys {sorted(msg)}, expected {sorted(self.KEYS)}"
        if msg["seq"] != seq:
            return f"carries seq {msg['seq']!r}, expected {seq}"
        if msg["kind"] != "tick":
            return f"has kind {msg['kind']!r}, expected 'tick'"
        if msg["values"] != self.values:
            return f"has values {msg['values']!r}, expected {self.values}"
        if msg["pad"] != self.pad(seq):
            return f"has a pad of {len(msg['pad'])} characters that is not {len(self.pad(seq))} x"
        return None

    def corrupt(self, msg):
        return {**msg, "kind": "tock"}


KINDS = {"bytes": BytesKind, "int32": Int32Kind, "object": ObjectKind}
