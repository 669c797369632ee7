import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import * as Arrow from 'apache-arrow';
import { arrowCodec } from '../../lib/measure/codecs/arrow';
import { encodedLength, MAX_BUFFER_BYTES } from '../../lib/measure/codecs/codec';
import { findPython, probePyarrow, pythonPackagesEnv } from '../../lib/measure/cpython/python-interpreter';
import { buildPayload, verifyPayload } from '../../lib/measure/payload';

/** The bytes a channel would deliver: the chunks joined into one new body, as a frame reader does. */
function wire(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
}

/** A stream of `columns` written by apache-arrow itself, for the bodies arrow must refuse. */
function streamOf(columns: Record<string, Arrow.Vector>): Uint8Array {
  return Arrow.tableToIPC(new Arrow.Table(columns), 'stream');
}

test("arrow sends the array's own memory between its metadata and its end, and the receiver gets a view", () => {
  const sent = buildPayload('int32', 50_001) as Int32Array;
  const chunks = arrowCodec.encode(sent);
  assert.equal(chunks.length, 3, 'metadata, the column, padding and end-of-stream');
  assert.equal(chunks[1].buffer, sent.buffer, 'the column chunk is the array itself, not a copy');
  assert.equal(chunks[1].byteLength, 4 * 50_001);
  // 50 001 elements take 200 004 bytes, padded to 200 008: 4 bytes of padding before the 8-byte end.
  assert.equal(encodedLength(chunks), 288 + 4 * 50_001 + 4);
  assert.ok(encodedLength(chunks) <= arrowCodec.bytesBound('int32', 50_001));
  const body = wire(chunks);
  assert.deepEqual(
    body,
    Buffer.from(Arrow.tableToIPC(new Arrow.Table({ v: Arrow.makeVector(sent) }), 'stream')),
    "byte for byte apache-arrow's own stream",
  );
  const received = arrowCodec.decode(body, 'int32') as Int32Array;
  assert.equal(verifyPayload(received, 50_001), null);
  assert.equal(received.buffer, body.buffer, 'the received array is a view of the body, not a copy');
  body.writeInt32LE(-7, received.byteOffset - body.byteOffset + 4 * 3);
  assert.equal(received[3], -7, 'a write to the body shows in the view');
  // A body at an offset that is not a multiple of 8 (a small message cut from a larger chunk):
  // arrow copies the column to align it, and the values still arrive.
  received[3] = 3;
  const shifted = Buffer.alloc(body.length + 3);
  body.copy(shifted, 3);
  const copied = arrowCodec.decode(shifted.subarray(3), 'int32') as Int32Array;
  assert.equal(verifyPayload(copied, 50_001), null, 'an unaligned body decodes intact');
});

test('arrow carries a plain list as int32 and gives a plain array back; it refuses a non-int32 element in one line', () => {
  for (const size of [0, 1, 1000]) {
    const received = arrowCodec.decode(wire(arrowCodec.encode(buildPayload('list', size))), 'list');
    assert.ok(Array.isArray(received), `${size}: a plain array back`);
    assert.equal(verifyPayload(received as number[], size), null);
  }
  assert.equal((arrowCodec.decode(wire(arrowCodec.encode(new Int32Array(0))), 'int32') as Int32Array).length, 0);
  assert.throws(
    () => arrowCodec.encode([1, 2.5]),
    /^CodecError: arrow codec: element 1 is 2.5, not an int32: use v8 or msgpackr for this list$/,
  );
  assert.throws(() => arrowCodec.encode([0, 2 ** 31]), /element 1 is 2147483648, not an int32/);
  assert.throws(() => arrowCodec.encode(new Uint8Array(8)), /^CodecError: arrow codec: carries int32 columns .* use raw or v8$/);
});

test('arrow refuses messages of bytes and objects, and sizes beyond one Buffer, saying what to use', () => {
  assert.equal(arrowCodec.limit('int32', 1e8), null);
  assert.equal(arrowCodec.limit('list', 1e8), null);
  assert.equal(arrowCodec.limit('bytes', 16), 'arrow codec: carries int32 columns, not raw bytes: use raw');
  assert.equal(arrowCodec.limit('object', 16), 'arrow codec: carries int32 columns, not an object: use v8');
  assert.match(
    arrowCodec.limit('int32', MAX_BUFFER_BYTES / 4) ?? '',
    /^arrow codec: \d+ int32 elements may need \d+ bytes, beyond Node's largest Buffer/,
  );
});

test('arrow refuses in one line a body that is not a stream of one Int32 column without nulls', () => {
  const good = wire(arrowCodec.encode(buildPayload('int32', 100)));
  const cases: [string, Uint8Array, RegExp][] = [
    [
      'not a stream',
      Buffer.from('hello world, not arrow'),
      /^CodecError: arrow codec: the body of 22 bytes is not an Arrow IPC stream \(.+\)$/,
    ],
    ['truncated', good.subarray(0, 100), /^CodecError: arrow codec: the body of 100 bytes is not an Arrow IPC stream/],
    ['empty', new Uint8Array(0), /^CodecError: arrow codec: the body of 0 bytes holds no Arrow schema, not one Int32 column$/],
    [
      'float64',
      streamOf({ v: Arrow.makeVector(new Float64Array([1, 2])) }),
      /^CodecError: arrow codec: the stream's column "v" is Float64, not Int32$/,
    ],
    ['uint32', streamOf({ v: Arrow.makeVector(new Uint32Array([1, 2])) }), /column "v" is Uint32, not Int32/],
    [
      'two columns',
      streamOf({ v: Arrow.makeVector(new Int32Array(2)), w: Arrow.makeVector(new Int32Array(2)) }),
      /the stream has 2 columns, not one Int32 column/,
    ],
    ['nulls', streamOf({ v: Arrow.vectorFromArray([1, null, 3], new Arrow.Int32()) }), /column "v" has 1 nulls; an int32 payload has none/],
  ];
  for (const [name, body, expected] of cases) {
    assert.throws(() => arrowCodec.decode(body, 'int32'), expected, name);
  }
});

/** Runs `script` in `python` with the CPython peers' packages on PYTHONPATH, `input` on stdin; resolves stdout. */
function runPython(python: string, script: string, input: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      python,
      ['-c', script],
      { env: pythonPackagesEnv(), encoding: 'buffer', maxBuffer: 1 << 26 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}: ${String(stderr).trim()}`)) : resolve(stdout)),
    );
    child.stdin?.end(input);
  });
}

test('pyarrow reads what arrow writes, and arrow reads what pyarrow writes', async (t) => {
  const python = await findPython().catch(() => null);
  const pyarrow = python ? await probePyarrow(python.path) : null;
  if (!python || !pyarrow) {
    t.skip(`pyarrow is not importable${python ? ` by ${python.path}` : ''}: run npx ts-node tools/setup/setup.ts`);
    return;
  }
  const size = 100_003;
  // Node → Python: open_stream reads one Int32 column `v` holding 0 … n − 1.
  const read = await runPython(
    python.path,
    [
      'import sys, pyarrow as pa, pyarrow.ipc as ipc',
      't = ipc.open_stream(sys.stdin.buffer.read()).read_all()',
      'v = t.column("v")',
      'print(t.num_columns, t.num_rows, v.type, v.null_count, v.to_numpy().tolist() == list(range(t.num_rows)))',
    ].join('\n'),
    wire(arrowCodec.encode(buildPayload('int32', size))),
  );
  assert.equal(String(read).trim(), `1 ${size} int32 0 True`);
  // Python → Node: new_stream writes what decode takes, as an Int32Array and as a list.
  const written = await runPython(
    python.path,
    [
      'import sys, pyarrow as pa, pyarrow.ipc as ipc',
      'n = int(sys.stdin.read())',
      't = pa.table({"v": pa.array(range(n), type=pa.int32())})',
      'sink = pa.BufferOutputStream()',
      'with ipc.new_stream(sink, t.schema) as w: w.write_table(t)',
      'sys.stdout.buffer.write(sink.getvalue().to_pybytes())',
    ].join('\n'),
    Buffer.from(String(size)),
  );
  assert.equal(
    verifyPayload(arrowCodec.decode(written, 'int32') as Int32Array, size),
    null,
    `pyarrow ${pyarrow}'s stream as an Int32Array`,
  );
  assert.equal(verifyPayload(arrowCodec.decode(written, 'list') as number[], size), null, `pyarrow ${pyarrow}'s stream as a list`);
});
