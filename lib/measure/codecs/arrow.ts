import type * as ArrowLib from 'apache-arrow';
import type { PayloadKind } from '../../model/types';
import { bufferLimit, type Carried, type Codec, CodecError } from './codec';
import { concatTurnedSlow, packList, toPlainArray } from './packed';

/**
 * The bytes of a stream around its one column, at any size: the schema message (136), the record
 * batch message (144) and the end-of-stream marker (8), plus up to 7 bytes padding the column to
 * a multiple of 8. Measured 288 bytes beside the 4-byte elements (FlatBuffers write fixed-width
 * fields, so it does not grow with the count); 512 leaves room for another writer's metadata.
 */
const ARROW_OVERHEAD_BYTES = 512;

/**
 * apache-arrow, loaded on first use (or by prepare) rather than at import: the notebooks' kernel
 * imports the codec registry through the runner without encoding anything, and apache-arrow is
 * some hundred modules. Made once with it: the schema every stream carries, its record batches'
 * struct type, and `ChunkSink`, the writer's sink that keeps each chunk the writer hands it, as
 * the view it is, where arrow's own queue would join them into one new buffer.
 */
interface Loaded {
  lib: typeof ArrowLib;
  schema: ArrowLib.Schema<{ v: ArrowLib.Int32 }>;
  batchType: ArrowLib.Struct<{ v: ArrowLib.Int32 }>;
  ChunkSink: new (chunks: Uint8Array[]) => ArrowLib.AsyncByteQueue;
}
let loaded: Loaded | undefined;
function arrow(): Loaded {
  if (!loaded) {
    const lib = require('apache-arrow') as typeof ArrowLib;
    concatTurnedSlow();
    class ChunkSink extends lib.AsyncByteQueue {
      constructor(private readonly chunks: Uint8Array[]) {
        super();
      }
      // The writer hands over Uint8Array views (its `_write` converts every chunk first).
      override write(chunk: Uint8Array): void {
        if (chunk.byteLength > 0) this.chunks.push(chunk);
      }
    }
    const field = new lib.Field('v', new lib.Int32(), false);
    loaded = { lib, schema: new lib.Schema([field]), batchType: new lib.Struct([field]), ChunkSink };
  }
  return loaded;
}

/**
 * The stream of one Int32 column `v` as chunks: its metadata in one small buffer, the column as a
 * view of the array's own memory, then padding and the end-of-stream marker in another. Arrow's
 * RecordBatchStreamWriter writes the messages; the record batch refers to the array's memory
 * (makeData keeps the Int32Array, the writer's assembler takes a subarray of it), and the sink
 * above keeps that view, so no element is copied (`tableToIPC` would join everything into one new
 * buffer). The batch is built from its parts, not through `new Table({ v: makeVector(values) })`:
 * the same bytes for a third of the time (33 µs against 127 µs an encode, measured here warm,
 * 10^6 elements), the rest being a Table's schema inference and merging.
 */
function encodeColumn(values: Int32Array): Uint8Array[] {
  const { lib, schema, batchType, ChunkSink } = arrow();
  const length = values.length;
  const column = lib.makeData({ type: schema.fields[0].type, length, nullCount: 0, data: values });
  const batch = new lib.RecordBatch(schema, lib.makeData({ type: batchType, length, nullCount: 0, children: [column] }));
  const pieces: Uint8Array[] = [];
  const writer = new lib.RecordBatchStreamWriter();
  writer.reset(new ChunkSink(pieces), schema);
  writer.write(batch);
  writer.finish();
  // About ten pieces of a few bytes each (continuation markers, lengths, flatbuffers, padding):
  // joined into one buffer on each side of the column, so a channel writes three chunks, not ten.
  const chunks: Uint8Array[] = [];
  let small: Uint8Array[] = [];
  for (const piece of pieces) {
    if (piece.buffer !== values.buffer) {
      small.push(piece);
      continue;
    }
    if (small.length > 0) chunks.push(Buffer.concat(small));
    small = [];
    chunks.push(piece);
  }
  if (small.length > 0) chunks.push(Buffer.concat(small));
  return chunks;
}

/**
 * The one Int32 column of a stream, as a view of the body when arrow can give one: a single
 * record batch without nulls whose column is 8-byte aligned in memory (arrow copies it to align
 * it otherwise; several batches are joined into one new array). Read with a RecordBatchReader,
 * not `tableFromIPC`, whose Table assembly triples the time (33 µs against 91 µs a decode, warm,
 * 10^6 elements) for nothing this codec uses.
 */
function decodeColumn(body: Uint8Array): Int32Array {
  const { lib } = arrow();
  let schema: ArrowLib.Schema | undefined;
  const columns: Int32Array[] = [];
  let nulls = 0;
  try {
    const reader = lib.RecordBatchReader.from(body).open();
    schema = reader.schema;
    // The columns are checked before any is read: a batch of another type would fail in toArray.
    if (schema) checkSchema(schema);
    for (const batch of reader) {
      const column = batch.getChildAt(0);
      if (!column) continue;
      nulls += column.nullCount;
      columns.push(column.toArray() as Int32Array);
    }
  } catch (error) {
    if (error instanceof CodecError) throw error;
    const why = String((error as Error).message).split('\n')[0];
    throw new CodecError('arrow', `the body of ${body.byteLength} bytes is not an Arrow IPC stream (${why})`);
  }
  // apache-arrow reads an empty body as a stream without a schema rather than refusing it.
  if (!schema) throw new CodecError('arrow', `the body of ${body.byteLength} bytes holds no Arrow schema, not one Int32 column`);
  if (nulls > 0)
    throw new CodecError('arrow', `the stream's column "${schema.fields[0].name}" has ${nulls} nulls; an int32 payload has none`);
  if (columns.length === 1) return columns[0];
  const joined = new Int32Array(columns.reduce((sum, c) => sum + c.length, 0));
  let offset = 0;
  for (const column of columns) {
    joined.set(column, offset);
    offset += column.length;
  }
  return joined;
}

/** Throws the codec's one-line error unless the schema is one signed 32-bit integer column. */
function checkSchema(schema: ArrowLib.Schema): void {
  const { fields } = schema;
  if (fields.length !== 1) {
    throw new CodecError('arrow', `the stream has ${fields.length} columns, not one Int32 column`);
  }
  const [{ name, type }] = fields;
  if (!arrow().lib.DataType.isInt(type) || type.bitWidth !== 32 || !type.isSigned) {
    throw new CodecError('arrow', `the stream's column "${name}" is ${String(type)}, not Int32`);
  }
}

/**
 * arrow — an Apache Arrow IPC stream (schema, one record batch, end-of-stream) of one Int32
 * column `v`: what `pyarrow.ipc.new_stream` writes and `pyarrow.ipc.open_stream` reads, so a
 * Node peer and a CPython peer understand each other. An Int32Array is sent from its own memory
 * and received as a view of the body, like raw; a plain list is packed into int32 first and
 * rebuilt as a plain array, like packed.
 */
export const arrowCodec: Codec = {
  id: 'arrow',
  description: "Apache Arrow IPC stream of one Int32 column (pyarrow reads it); sent from the array's memory, received as a view",
  limit: (kind: PayloadKind, sizeElements: number) =>
    kind === 'list' || kind === 'int32'
      ? bufferLimit('arrow', kind, sizeElements, ARROW_OVERHEAD_BYTES + 4 * sizeElements)
      : kind === 'bytes'
        ? 'arrow codec: carries int32 columns, not raw bytes: use raw'
        : 'arrow codec: carries int32 columns, not an object: use v8',
  bytesBound: (_kind: PayloadKind, sizeElements: number) => ARROW_OVERHEAD_BYTES + 4 * sizeElements,
  prepare() {
    // Loading is not all of it: the first encode and decode run much of apache-arrow for the
    // first time (V8 compiles lazily), 4–9 ms and 3–9 ms measured here at 10^6 elements, about 1 ms
    // each after this round trip of one element, the rest the cost of still cold code.
    decodeColumn(Buffer.concat(encodeColumn(new Int32Array(1))));
  },
  encode(data: Carried) {
    if (data instanceof Int32Array) return encodeColumn(data);
    if (Array.isArray(data)) return encodeColumn(packList('arrow', data));
    throw new CodecError('arrow', 'carries int32 columns (an Int32Array or a list of int32) only, not bytes or an object: use raw or v8');
  },
  decode(body: Uint8Array, kind: PayloadKind): Carried {
    if (kind !== 'list' && kind !== 'int32') {
      throw new CodecError('arrow', `carries int32 columns, not ${kind}: use ${kind === 'bytes' ? 'raw' : 'v8'}`);
    }
    const values = decodeColumn(body);
    return kind === 'list' ? toPlainArray(values) : values;
  },
};
