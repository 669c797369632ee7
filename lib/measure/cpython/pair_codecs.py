"""The codecs of the pair peer's byte channels, byte for byte those of the Node peers.

A codec's encode returns the frame body as a list of chunks written in order (the raw codec's
header and the array's own memory: nothing joins them), its decode a one-dimensional int32 numpy
array over the received body. Each says how many whole copies of the payload it makes, so the
peer's `copies` counts them beside the kernel's.
"""

import struct

import numpy as np

# lib/measure/codecs/raw.ts: "IPCR" read as a little-endian uint32, kind 1 = an Int32Array, then
# the element count as a little-endian uint64. 16 bytes keep the elements 8-byte aligned.
RAW_HEADER = struct.Struct("<IIQ")
RAW_MAGIC = 0x52435049
RAW_KIND_INT32 = 1


class CodecError(Exception):
    """A body this codec cannot read, worded as Node's CodecError ("raw codec: ...")."""

    def __init__(self, codec, message):
        super().__init__(f"{codec} codec: {message}")


def encode_raw(array):
    # The array itself goes to the kernel: the only copy is the kernel's.
    return [RAW_HEADER.pack(RAW_MAGIC, RAW_KIND_INT32, len(array)), array]


def decode_raw(body):
    body_bytes = len(body)
    if body_bytes < RAW_HEADER.size:
        raise CodecError("raw", f"the body has {body_bytes} bytes, fewer than the {RAW_HEADER.size}-byte header")
    magic, kind, count = RAW_HEADER.unpack_from(body)
    if magic != RAW_MAGIC:
        raise CodecError("raw", f'the header starts with 0x{magic:x}, not the "IPCR" magic')
    if kind != RAW_KIND_INT32:
        raise CodecError("raw", f"the header says kind {kind}, expected {RAW_KIND_INT32}")
    if body_bytes - RAW_HEADER.size != count * 4:
        raise CodecError(
            "raw", f"the header announces {count} elements ({count * 4} bytes) but {body_bytes - RAW_HEADER.size} bytes follow it"
        )
    # A view of the body (aligned: the body starts a fresh allocation), no copy.
    return np.frombuffer(body, dtype=np.int32, count=count, offset=RAW_HEADER.size)


class ChunkSink:
    """A write-only file that keeps each piece written to it, uncopied, in order."""

    def __init__(self):
        self.chunks = []
        self.closed = False

    def write(self, data):
        self.chunks.append(data)
        return memoryview(data).nbytes

    def flush(self):
        pass

    def close(self):
        self.closed = True


def arrow_codec():
    """The arrow codec's encode and decode, with pyarrow imported now (outside any timed step)."""
    import pyarrow as pa
    import pyarrow.ipc  # pa.ipc is a submodule: make sure it is loaded

    def encode(array):
        # pa.array over a contiguous int32 numpy array without nulls wraps its memory (no copy),
        # and the stream is written into a sink that keeps the pieces it is given: pyarrow passes
        # a batch's body buffers to a Python file as views of their memory, so the elements go to
        # the kernel from the array itself, as Node's arrow codec sends them. (Into a
        # pa.BufferOutputStream they would be copied once more, into its growing buffer.)
        column = pa.array(array, type=pa.int32())
        batch = pa.record_batch([column], names=["v"])
        sink = ChunkSink()
        with pa.ipc.new_stream(pa.PythonFile(sink, mode="w"), batch.schema) as writer:
            writer.write_batch(batch)
        return sink.chunks

    def decode(body):
        try:
            table = pa.ipc.open_stream(pa.py_buffer(body)).read_all()
        except (pa.ArrowException, ValueError) as error:
            raise CodecError("arrow", f"not an Arrow IPC stream: {str(error).splitlines()[0]}") from None
        if table.schema.names != ["v"] or table.schema.field("v").type != pa.int32():
            fields = ", ".join(f"{field.name}: {field.type}" for field in table.schema)
            raise CodecError("arrow", f'the stream\'s columns are ({fields}), expected one int32 column "v"')
        column = table.column("v")
        if column.num_chunks != 1:
            raise CodecError("arrow", f"the stream holds {column.num_chunks} record batches, expected one")
        chunk = column.chunk(0)
        if chunk.null_count:
            raise CodecError("arrow", f"the column holds {chunk.null_count} nulls")
        # The body's buffers are 8-byte aligned inside the stream, so this is a view, no copy
        # (zero_copy_only makes a copy an error rather than a silent cost).
        return chunk.to_numpy(zero_copy_only=True)

    return encode, decode


def codec_of(name):
    """(encode, decode, copies the encode makes) of a codec id the byte channels carry."""
    if name == "raw":
        return encode_raw, decode_raw, 0
    if name == "arrow":
        encode, decode = arrow_codec()
        return encode, decode, 0
    raise ValueError(f"no codec {name!r}")
