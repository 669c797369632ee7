import type { CodecName, Pattern, PayloadKind, Runtime } from './types';

/**
 * What each transport is, as data: the README's table, the notebooks' tables and the sweep's
 * expansion all read this one list. The code that moves the bytes lives in lib/measure/transports/<id>.ts
 * (Node) and lib/measure/cpython/article_methods.py (CPython).
 */
export interface TransportInfo {
  id: string;
  runtime: Runtime;
  /** The article's method this reproduces, or null for what Node has beyond the article. */
  articleMethod: string | null;
  /** Processes or threads: which kind of peers exchange the data. */
  peers: 'processes' | 'threads';
  /** The mechanism, in a few words. */
  mechanism: string;
  /** Payload kinds this transport carries. */
  payloads: readonly PayloadKind[];
  /**
   * The codecs it takes; the first is the article's analog, the default. A stream, a file or a
   * broker takes every serializer; message ports clone, shared memory copies, CPython pickles.
   */
  codecs: readonly CodecName[];
  /** What the data must be, as in the article's "Data constraints" column. */
  dataConstraint: string;
  /**
   * The patterns it runs (see Pattern); omitted: the one-shot `transfer` only. A transport whose
   * channel carries a stream of messages runs the round trip and the rate too.
   */
  patterns?: readonly Pattern[];
  /** Whether the receiver needs a separate completion flag to know the data is complete. */
  needsFlag: boolean;
  /** Where send and recv start and stop, and what encode/decode cover. */
  timing: string;
}

const BOTH: readonly PayloadKind[] = ['list', 'int32'];
const LIST: readonly PayloadKind[] = ['list'];
/** A stream, a file or a broker carries bytes: any serializer; v8 (Node's pickle) is the analog. */
const SERIALIZERS: readonly CodecName[] = ['v8', 'json', 'raw', 'msgpackr', 'packed', 'arrow'];
/** A ring carries message kinds only (bytes, object, int32): every serializer but packed, which packs plain lists. */
const RING_CODECS: readonly CodecName[] = ['v8', 'json', 'raw', 'msgpackr'];
const CLONE: readonly CodecName[] = ['clone'];
const NONE: readonly CodecName[] = ['none'];
const PICKLE: readonly CodecName[] = ['pickle'];
/** A channel that carries a stream of messages runs every pattern. */
const ALL_PATTERNS: readonly Pattern[] = ['transfer', 'roundtrip', 'rate'];
/** A channel made for messages (a ring buffer): the one-shot transfer is another transport's. */
const MESSAGES_ONLY: readonly Pattern[] = ['roundtrip', 'rate'];

export const NODE_TRANSPORTS: readonly TransportInfo[] = [
  {
    id: 'queue',
    runtime: 'node',
    articleMethod: 'Queue',
    peers: 'threads',
    mechanism: 'two worker threads, MessagePort.postMessage (structured clone)',
    payloads: BOTH,
    codecs: CLONE,
    dataConstraint: 'anything structured-clone can copy',
    patterns: ALL_PATTERNS,
    needsFlag: false,
    timing: 'send = postMessage (clones synchronously); recv = taking the message off the port (deserialises)',
  },
  {
    id: 'pipe',
    runtime: 'node',
    articleMethod: 'Pipe',
    peers: 'processes',
    mechanism: 'anonymous OS pipe (pipe(2)) between two processes, a codec (v8.serialize by default), length-prefixed frame',
    payloads: BOTH,
    codecs: SERIALIZERS,
    dataConstraint: 'anything its codec can encode (v8: any structured-clone value; raw: typed arrays), < 4 GiB per frame',
    patterns: ALL_PATTERNS,
    needsFlag: false,
    timing: 'send = serialise + write until the pipe took it; recv = first byte to decoded value (includes decode)',
  },
  {
    id: 'ipc',
    runtime: 'node',
    articleMethod: null,
    peers: 'processes',
    mechanism: "child_process.fork IPC channel, process.send with serialization 'advanced'",
    payloads: BOTH,
    codecs: ['v8'],
    dataConstraint: 'anything v8.serialize can encode, < 4 GiB per message',
    patterns: ALL_PATTERNS,
    needsFlag: false,
    timing: "send = process.send until its callback; recv = the 'message' event (decode happens before it, inside total)",
  },
  {
    id: 'ipc-json',
    runtime: 'node',
    articleMethod: null,
    peers: 'processes',
    mechanism: "child_process.fork IPC channel, process.send with serialization 'json'",
    payloads: BOTH,
    codecs: ['json'],
    dataConstraint: "JSON text under V8's string limit (2^29 − 24 characters)",
    patterns: ALL_PATTERNS,
    needsFlag: false,
    timing: "send = process.send until its callback; recv = the 'message' event",
  },
  {
    id: 'shared-array',
    runtime: 'node',
    articleMethod: 'shared memory (Array)',
    peers: 'processes',
    mechanism: 'a /dev/shm file mapped by both processes (N-API mmap), written element by element under a lock, completion flag',
    payloads: BOTH,
    codecs: NONE,
    dataConstraint: 'one-dimensional int32 array, size fixed in advance',
    needsFlag: true,
    timing: 'send = lock, write each element, unlock, set flag; recv = lock, copy each element out, unlock',
  },
  {
    id: 'shared-array-thread',
    runtime: 'node',
    articleMethod: 'shared memory (Array)',
    peers: 'threads',
    mechanism: 'SharedArrayBuffer between two worker threads, written element by element under an Atomics lock, completion flag',
    payloads: BOTH,
    codecs: NONE,
    dataConstraint: 'one-dimensional int32 array, size fixed in advance',
    needsFlag: true,
    timing: 'send = lock, write each element, unlock, set flag; recv = lock, copy each element out, unlock',
  },
  {
    id: 'manager',
    runtime: 'node',
    articleMethod: 'Manager',
    peers: 'processes',
    mechanism:
      'a broker process owns a list; sender and receiver call append / len / pop on it over a Unix socket (frames in the codec, v8 by default); the message patterns: put / get on two named queues (a get waits at the broker)',
    payloads: BOTH,
    codecs: SERIALIZERS,
    dataConstraint: 'anything its codec can encode; every call is a round trip',
    patterns: ALL_PATTERNS,
    needsFlag: false,
    timing: 'send = the append call (until the broker acknowledges); recv = the pop call',
  },
  {
    id: 'raw-array',
    runtime: 'node',
    articleMethod: 'RawArray',
    peers: 'processes',
    mechanism: 'a /dev/shm file mapped by both processes (N-API mmap), bulk TypedArray.set with no lock, completion flag',
    payloads: BOTH,
    codecs: NONE,
    dataConstraint: 'one-dimensional int32 array, size fixed in advance',
    needsFlag: true,
    timing: "encode = list → Int32Array (the article's numpy cast); send = set + flag; recv = bulk copy out",
  },
  {
    id: 'raw-array-thread',
    runtime: 'node',
    articleMethod: 'RawArray',
    peers: 'threads',
    mechanism: 'SharedArrayBuffer between two worker threads, bulk TypedArray.set with no lock, completion flag',
    payloads: BOTH,
    codecs: NONE,
    dataConstraint: 'one-dimensional int32 array, size fixed in advance',
    needsFlag: true,
    timing: 'encode = list → Int32Array; send = set + flag; recv = bulk copy out',
  },
  {
    id: 'file',
    runtime: 'node',
    articleMethod: 'File',
    peers: 'processes',
    mechanism: 'a codec (v8.serialize by default) into a file in a private temp dir, then a shared-memory completion flag',
    payloads: BOTH,
    codecs: SERIALIZERS,
    dataConstraint: 'anything its codec can encode; needs disk space',
    needsFlag: true,
    timing: 'send = serialise + write the file + set flag; recv = read the file + decode',
  },
  {
    id: 'tcp',
    runtime: 'node',
    articleMethod: 'socket',
    peers: 'processes',
    mechanism: 'net over 127.0.0.1, ephemeral port, a codec (v8.serialize by default), length-prefixed frame',
    payloads: BOTH,
    codecs: SERIALIZERS,
    dataConstraint: 'anything its codec can encode, < 4 GiB per frame',
    patterns: ALL_PATTERNS,
    needsFlag: true,
    timing: 'encode and decode separate (as the article times pickle); send = write until flushed; recv = first byte to last byte',
  },
  {
    id: 'unix',
    runtime: 'node',
    articleMethod: 'socket',
    peers: 'processes',
    mechanism: 'net over a Unix domain socket in a private temp dir, a codec (v8.serialize by default), length-prefixed frame',
    payloads: BOTH,
    codecs: SERIALIZERS,
    dataConstraint: 'anything its codec can encode, < 4 GiB per frame',
    patterns: ALL_PATTERNS,
    needsFlag: true,
    timing: 'encode and decode separate; send = write until flushed; recv = first byte to last byte',
  },
  {
    id: 'transfer',
    runtime: 'node',
    articleMethod: null,
    peers: 'threads',
    mechanism: 'ArrayBuffer moved to another worker thread with a transfer list (zero copy)',
    payloads: BOTH,
    codecs: CLONE,
    dataConstraint: 'ArrayBuffers only (a list is packed into an Int32Array first)',
    patterns: ALL_PATTERNS,
    needsFlag: false,
    timing: 'encode = list → Int32Array; send = postMessage with transfer list; recv = taking the message',
  },
  {
    id: 'ring',
    runtime: 'node',
    articleMethod: null,
    peers: 'processes',
    mechanism:
      'a ring buffer per direction in a /dev/shm file both processes map (N-API mmap), length-prefixed records in a codec (v8 by default); the waiting side polls: spins on Atomics.load 50 µs, then yields with setImmediate up to 2 ms, then checks every 1 ms timer',
    payloads: ['int32'],
    codecs: RING_CODECS,
    patterns: MESSAGES_ONLY,
    dataConstraint: 'messages only (round trip, rate), each record at most a quarter of the ring (1–64 MiB)',
    needsFlag: false,
    timing: 'messages: send = encode + copy into the ring (waits while it is full); receive = poll, copy out, decode',
  },
  {
    id: 'ring-thread',
    runtime: 'node',
    articleMethod: null,
    peers: 'threads',
    mechanism:
      'a ring buffer per direction in a SharedArrayBuffer between two worker threads, length-prefixed records in a codec (v8 by default); the waiting side spins 5 µs, then Atomics.wait, woken by Atomics.notify',
    payloads: ['int32'],
    codecs: RING_CODECS,
    patterns: MESSAGES_ONLY,
    dataConstraint: 'messages only (round trip, rate), each record at most a quarter of the ring (1–64 MiB)',
    needsFlag: false,
    timing: 'messages: send = encode + copy into the ring (waits while it is full); receive = wait, copy out, decode',
  },
  {
    id: 'handoff',
    runtime: 'node',
    articleMethod: null,
    peers: 'processes',
    mechanism:
      'a hand-over, no copy: the sender builds the Int32Array in a memfd it maps, seals it (F_SEAL_FUTURE_WRITE, SHRINK, GROW, SEAL) and passes the descriptor over a Unix socket (SCM_RIGHTS, N-API); the receiver maps it read-only',
    payloads: BOTH,
    codecs: NONE,
    dataConstraint: 'one-dimensional int32 array (a list is packed into the mapping, one pass)',
    needsFlag: false,
    timing:
      "encode = packing a list into the mapping (int32: built there, in build); send = seal + sendmsg; recv = the message arriving to holding the view (recvmsg, fstat, mmap); verify pays the receiver's page-table faults",
  },
  {
    id: 'handoff-name',
    runtime: 'node',
    articleMethod: null,
    peers: 'processes',
    mechanism:
      "a hand-over by name, no copy: the sender builds the Int32Array in a file directly in /dev/shm (as Python's SharedMemory names it), then says so over a Unix socket; the receiver opens the name read-only and maps it",
    payloads: BOTH,
    codecs: NONE,
    dataConstraint: 'one-dimensional int32 array (a list is packed into the mapping, one pass)',
    needsFlag: false,
    timing:
      "encode = packing a list into the mapping (int32: built there, in build); send = chmod 0400 + the message; recv = the message arriving to holding the view (open, mmap); verify pays the receiver's page-table faults",
  },
];

export const CPYTHON_TRANSPORTS: readonly TransportInfo[] = [
  {
    id: 'queue',
    runtime: 'cpython',
    articleMethod: 'Queue',
    peers: 'processes',
    mechanism: "multiprocessing.Queue (pickle, feeder thread, pipe); messages: two Queues, one each way (a stream's bounded)",
    payloads: LIST,
    codecs: PICKLE,
    dataConstraint: 'anything picklable',
    patterns: ALL_PATTERNS,
    needsFlag: false,
    timing: 'send = put (returns before the data is written); recv = get (includes unpickle)',
  },
  {
    id: 'pipe',
    runtime: 'cpython',
    articleMethod: 'Pipe',
    peers: 'processes',
    mechanism:
      'multiprocessing.Pipe(duplex=False) (pickle over os.pipe); messages: a duplex Pipe (socketpair) for the round trip, two one-way Pipes for the stream',
    payloads: LIST,
    codecs: PICKLE,
    dataConstraint: 'anything picklable',
    patterns: ALL_PATTERNS,
    needsFlag: false,
    timing: 'send = send (pickle + write); recv = recv after poll (read + unpickle)',
  },
  {
    id: 'shared-array',
    runtime: 'cpython',
    articleMethod: 'shared memory (Array)',
    peers: 'processes',
    mechanism: 'multiprocessing.Array(c_int) with its lock, plus a Value flag',
    payloads: LIST,
    codecs: PICKLE,
    dataConstraint: 'one-dimensional array',
    needsFlag: true,
    timing: 'send = slice assignment + flag; recv = slice copy out',
  },
  {
    id: 'manager',
    runtime: 'cpython',
    articleMethod: 'Manager',
    peers: 'processes',
    mechanism: 'multiprocessing.Manager().list() proxy (server process); messages: two Manager().Queue() proxies, one call per message',
    payloads: LIST,
    codecs: PICKLE,
    dataConstraint: 'lists, dicts and other proxied types',
    patterns: ALL_PATTERNS,
    needsFlag: false,
    timing: 'send = append; recv = pop after len > 0',
  },
  {
    id: 'raw-array',
    runtime: 'cpython',
    articleMethod: 'RawArray',
    peers: 'processes',
    mechanism: 'multiprocessing.sharedctypes.RawArray(c_int) via numpy, plus a Value flag',
    payloads: LIST,
    codecs: PICKLE,
    dataConstraint: 'one-dimensional array',
    needsFlag: true,
    timing: 'encode = numpy cast; send = numpy copy in + flag; recv = numpy copy out',
  },
  {
    id: 'file',
    runtime: 'cpython',
    articleMethod: 'File',
    peers: 'processes',
    mechanism: 'pickle.dump into a file in a private temp dir, plus a Value flag',
    payloads: LIST,
    codecs: PICKLE,
    dataConstraint: 'anything picklable',
    needsFlag: true,
    timing: 'send = pickle.dump + flag; recv = pickle.load',
  },
  {
    id: 'tcp',
    runtime: 'cpython',
    articleMethod: 'socket',
    peers: 'processes',
    mechanism: 'TCP over 127.0.0.1 with an ephemeral port, pickle',
    payloads: LIST,
    codecs: PICKLE,
    dataConstraint: 'anything picklable',
    needsFlag: true,
    timing: 'encode = pickle.dumps, decode = pickle.loads (separate); send = connect + sendall; recv = accept to EOF',
  },
  {
    id: 'shared-memory',
    runtime: 'cpython',
    articleMethod: null,
    peers: 'processes',
    mechanism:
      "Python 3.8's multiprocessing.shared_memory.SharedMemory: the sender fills a numpy view of a named segment in place, the receiver attaches by name and holds a numpy view (no copy)",
    payloads: LIST,
    codecs: NONE,
    dataConstraint: 'one-dimensional array of fixed size',
    needsFlag: true,
    timing:
      'encode = the list into the numpy view of the segment (one pass); send = the name through a Pipe; recv = attaching by name to holding the view; verify pays the page-table faults',
  },
];

/** The article's seven methods, by the id each runtime gives them (the same ids in Node, Bun, Deno and CPython), in its order. */
export const ARTICLE_METHOD_IDS: readonly string[] = ['queue', 'pipe', 'shared-array', 'manager', 'raw-array', 'file', 'tcp'];

/** Every transport of a runtime, in the article's order: Bun and Deno run Node's (the same compiled peers). */
export function transportsOf(runtime: Runtime): readonly TransportInfo[] {
  return runtime === 'cpython' ? CPYTHON_TRANSPORTS : NODE_TRANSPORTS;
}

/** The catalog entry for a transport id in a runtime, or undefined. */
export function findTransport(runtime: Runtime, id: string): TransportInfo | undefined {
  return transportsOf(runtime).find((t) => t.id === id);
}

/** The patterns a transport runs: its catalog's, or the one-shot transfer alone. */
export function patternsOf(info: TransportInfo | undefined): readonly Pattern[] {
  return info?.patterns ?? ['transfer'];
}

/** Every transport id known to any runtime, without repeats. */
export function allTransportIds(): string[] {
  return [...new Set([...NODE_TRANSPORTS, ...CPYTHON_TRANSPORTS].map((t) => t.id))];
}

/**
 * The codec a spec runs with: the one it names, else the transport's analog (the first of its
 * catalog codecs). Transports outside the catalog (the bench's raw channels, the test double)
 * move bytes without a serializer: `none`.
 */
export function codecOfSpec(spec: { runtime: Runtime; transport: string; codec?: CodecName }): CodecName {
  return spec.codec ?? findTransport(spec.runtime, spec.transport)?.codecs[0] ?? 'none';
}
