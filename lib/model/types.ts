/**
 * The shared vocabulary of ipc-lab: what a transfer is asked to do, and the flat record it leaves.
 * Every module speaks these types; nothing here does any work.
 */

/** Where the two peers run: Node.js (this toolkit's transports) or CPython (the article's own methods). */
export type Runtime = 'node' | 'bun' | 'deno' | 'cpython';
export const RUNTIMES: readonly Runtime[] = ['node', 'bun', 'deno', 'cpython'];
/** The JavaScript runtimes: each runs the same compiled peers and Node's transports. */
export type JsRuntime = 'node' | 'bun' | 'deno';
export const JS_RUNTIMES: readonly JsRuntime[] = ['node', 'bun', 'deno'];

/**
 * The payload kinds. A one-shot transfer sends `list` (the article's plain list of integers) or
 * `int32` (the typed-array form). A message pattern sends `bytes` (a Buffer), `object` (a small
 * JSON-like record) or `int32` messages of a given size.
 */
export type PayloadKind = 'list' | 'int32' | 'bytes' | 'object';
export const PAYLOADS: readonly PayloadKind[] = ['list', 'int32', 'bytes', 'object'];
/** The payloads of the one-shot transfer. */
export const TRANSFER_PAYLOADS: readonly PayloadKind[] = ['list', 'int32'];
/** The payloads of the message patterns. */
export const MESSAGE_PAYLOADS: readonly PayloadKind[] = ['bytes', 'object', 'int32'];

/**
 * What a run does:
 * - `transfer`: the article's question — one payload of sizeElements integers, sent once;
 * - `roundtrip`: ping-pong — the sender sends a message, the receiver answers with one of the same
 *   size, sizeElements times after a warm-up; the record keeps the round trip's distribution;
 * - `rate`: a one-way stream of sizeElements messages as fast as the channel takes them (with its
 *   backpressure); the record keeps messages/s and bytes/s.
 */
export type Pattern = 'transfer' | 'roundtrip' | 'rate';
export const PATTERNS: readonly Pattern[] = ['transfer', 'roundtrip', 'rate'];
/** The patterns of many small messages. */
export const MESSAGE_PATTERNS: readonly Pattern[] = ['roundtrip', 'rate'];
/** The message sizes a message pattern sweeps by default, in bytes: 8 B to 1 MiB. */
export const DEFAULT_MESSAGE_SIZES: readonly number[] = [8, 64, 1024, 16 * 1024, 64 * 1024, 1024 * 1024];
/** Measured messages per run of a message pattern, by default. */
export const DEFAULT_MESSAGES = 10_000;

/** The serializers of lib/measure/codecs: a dimension of every transfer through a stream, file or broker. */
export type CodecId = 'v8' | 'json' | 'raw' | 'msgpackr' | 'packed' | 'arrow';
export const CODEC_IDS: readonly CodecId[] = ['v8', 'json', 'raw', 'msgpackr', 'packed', 'arrow'];

/**
 * What a record names as its codec: a serializer of lib/measure/codecs, or what a transport without
 * one does — `clone` (structured clone of a MessagePort), `none` (shared memory: the bytes are
 * copied, nothing is serialised), `pickle` (CPython's multiprocessing).
 */
export type CodecName = CodecId | 'clone' | 'none' | 'pickle';
export const CODEC_NAMES: readonly CodecName[] = [...CODEC_IDS, 'clone', 'none', 'pickle'];

/** Which side of a transfer a peer plays. `broker` only exists for the manager transport. */
export type Role = 'sender' | 'receiver' | 'broker';

/** What one transfer is asked to do: the unit the runner runs and the sweep repeats. */
export interface TransferSpec {
  /** The runtime of the sender (and of the receiver, unless receiverRuntime names another). */
  runtime: Runtime;
  /**
   * A pair across runtimes: the receiver's runtime when it is not the sender's (`node:cpython` is
   * runtime node, receiverRuntime cpython). Omitted, or equal to runtime: both peers run `runtime`.
   */
  receiverRuntime?: Runtime;
  /** A transport id, e.g. `pipe`, `tcp`, `shared-array-thread` (see lib/measure/transports/index.ts). */
  transport: string;
  payload: PayloadKind;
  /**
   * A transfer: the number of integers sent (the payload holds 0, 1, …, sizeElements − 1). A
   * message pattern: the number of measured messages (round trips, or messages of the stream).
   */
  sizeElements: number;
  /** What the run does (see Pattern); omitted: `transfer`. */
  pattern?: Pattern;
  /** A message pattern: the size of one message in bytes (for `object`, its JSON text's length). */
  messageBytes?: number | null;
  /**
   * The serializer. Omitted: the transport's analog of the article's (the first of its catalog
   * `codecs`: v8 where the article pickles).
   */
  codec?: CodecName;
}

/**
 * The faults the runner can inject on purpose, for tests of the failure paths:
 * - `corrupt`: the sender changes one element after building; verification must catch it;
 * - `close-early`: the sender closes its channel halfway through; the receiver must notice;
 * - `kill-sender`, `kill-receiver`, `kill-broker`: the runner kills that peer as the transfer starts;
 * - `sender-never-ready`: the sender hangs before saying it is ready;
 * - `receiver-hangs`: the receiver says it is ready, then never reports.
 */
export const FAULTS = [
  'none',
  'corrupt',
  'close-early',
  'kill-sender',
  'kill-receiver',
  'kill-broker',
  'sender-never-ready',
  'receiver-hangs',
] as const;

/** A fault the runner injects on purpose (see FAULTS). */
export type Fault = (typeof FAULTS)[number];

/**
 * The phase in which a transfer failed, as its record says:
 * - `limits`: refused before anything ran — the transfer cannot work by design (a size a channel
 *   cannot carry, an API a runtime lacks, a missing binary); a refusal, not a failure;
 * - `spawn`: a peer could not start (a missing interpreter, bad arguments);
 * - `build`: a peer was making its payload;
 * - `ready`: the peers were opening their channel and saying they are ready;
 * - `transfer`: the data was moving (a crash, a closed channel, out of memory);
 * - `verify`: the receiver found the data different from what was sent;
 * - `timeout`: no result within the transfer's time limit;
 * - `teardown`: the channel or the processes could not be closed cleanly;
 * - `interrupted`: a signal (SIGINT, SIGTERM) stopped the transfer.
 */
export const FAILED_PHASES = ['limits', 'spawn', 'build', 'ready', 'transfer', 'verify', 'timeout', 'teardown', 'interrupted'] as const;

/** A phase a transfer can fail in (see FAILED_PHASES). */
export type FailedPhase = (typeof FAILED_PHASES)[number];

/** The default limit for one transfer, spawn to report, in seconds (CLI, API and notebooks). */
export const DEFAULT_TIMEOUT_SECONDS = 900;

/** How the runner runs one transfer: limits and knobs that are not part of what is measured. */
export interface RunOptions {
  /** The whole transfer (spawn to report) must end within this many seconds, or it fails. */
  timeoutSeconds: number;
  /** V8 old-space limit given to each Node peer, in MiB; `0` picks one from the payload size. */
  heapLimitMb: number;
  /** Fault injection, for tests. */
  fault: Fault;
  /** The CPython interpreter used by the cpython runtime. */
  python: string;
  /** Write one line per phase of the transfer to stderr. */
  verbose: boolean;
}

/**
 * One transfer, flat: the row that every exporter, table and figure reads. Times are in seconds on
 * the system monotonic clock (CLOCK_MONOTONIC, shared by every process on the machine); a time
 * that a transport does not have (e.g. `encodeSeconds` for shared memory with an int32 payload) is
 * `null`, never 0.
 */
export interface TransferRecord {
  /** Schema version of this record layout; bumped when a field changes meaning. */
  schema: number;
  /** The sweep run this record belongs to (see RunDescription.runId). */
  runId: string;
  runtime: Runtime;
  /** The runtime's version ("20.20.2", "1.4.5", "2.9.6", "3.11.7"); '' in files from before schema 4, or when it could not be read. */
  runtimeVersion: string;
  /** The sender's runtime: `runtime` itself (records before schema 5 get it from `runtime`). */
  senderRuntime: Runtime;
  /** The receiver's runtime: `runtime` unless the transfer was a pair across runtimes (`node:cpython`). */
  receiverRuntime: Runtime;
  /** The receiver's runtime version when it differs from the sender's runtime; '' otherwise. */
  receiverRuntimeVersion: string;
  transport: string;
  payload: PayloadKind;
  /** The serializer the transfer used (see CodecName). */
  codec: CodecName;
  sizeElements: number;
  /** 0-based index among the measured repeats of this configuration; warm-up runs count from 0 too. */
  repeat: number;
  /** A warm-up run: kept in the file, left out of the statistics. */
  warmup: boolean;
  ok: boolean;
  /**
   * Empty when ok; otherwise why, on one line, in the failing code's own words — without the
   * transfer's name or the phase, which are fields of the record (describeFailure prints them).
   */
  error: string;
  /** The phase that failed (see FAILED_PHASES; `limits` is a refusal); '' when ok. */
  failedPhase: FailedPhase | '';
  /** Making the payload in the sender, before the transfer (not part of any other time). */
  buildSeconds: number | null;
  /** Serialising or converting the payload (v8 serialize, JSON, pickle, list → Int32Array). */
  encodeSeconds: number | null;
  /** Decoding at the receiver (v8 deserialize, unpickle). */
  decodeSeconds: number | null;
  /** Sender side, around the send as the article times it for this method (see the README). */
  sendSeconds: number | null;
  /** Receiver side, around the receive as the article times it for this method. */
  recvSeconds: number | null;
  /** From the sender's first step of the transfer until the receiver holds the decoded data. */
  totalSeconds: number | null;
  /** Checking every element at the receiver, after the transfer (not part of total). */
  verifySeconds: number | null;
  /** Bytes that crossed the channel (serialised size, or shared-memory bytes written). */
  bytes: number | null;
  /** Peak resident set size of each peer, in bytes (a thread host reports for both sides). */
  senderPeakRssBytes: number | null;
  receiverPeakRssBytes: number | null;
  brokerPeakRssBytes: number | null;
  /** The V8 heap limit the peers ran with, in MiB (null for CPython, and for Bun, whose JavaScriptCore has none). */
  heapLimitMb: number | null;
  /** Whether the memory the data was written into was fresh (first touch) or reused. */
  memory: 'fresh' | 'reused' | 'n/a';
  /**
   * Whole copies of the payload's bytes between the sender's built data and what the receiver
   * holds, counted by the peers: a hand-over of an Int32Array 0, a list packed into shared memory 1,
   * a raw frame through a socket 2 (into the kernel, out of it straight into the receiver's buffer;
   * 3 when the receiver reads chunked, see readWay), RawArray 2 (in, out); null where the transport
   * does not count them (a serializer's hidden copies).
   */
  copies: number | null;
  /**
   * Who first touched the pages the receiver ends up holding: `receiver` (it copied into memory it
   * allocated: its page faults are in recv), `sender` (a hand-over: the receiver maps the sender's
   * pages, and its first read, the verify pass, pays the page-table faults), `n/a` when not said.
   */
  firstTouch: 'sender' | 'receiver' | 'n/a';
  /**
   * How the receiver read its bytes (pipe, Unix socket, TCP, the manager's socket, a file):
   * `direct` — straight into the buffer it keeps (net.Socket's onread; read(2) into a buffer of the
   * file's size); `chunked` — through libuv's 64 KiB chunks, copied out of each (Bun's sockets and
   * pipes; the bench's comparison); `n/a` for other transports and CPython's, and in files before
   * schema 7.
   */
  readWay: 'direct' | 'chunked' | 'n/a';
  /** ISO-8601 time the transfer started, wall clock. */
  startedAt: string;
  /** What the run did (see Pattern). The fields below are null for a `transfer`. */
  pattern: Pattern;
  /** A message pattern: bytes of one message. */
  messageBytes: number | null;
  /** `roundtrip`: the distribution of one round trip over the measured messages (HDR histogram, ns resolution). */
  roundTripP50Seconds: number | null;
  roundTripP90Seconds: number | null;
  roundTripP99Seconds: number | null;
  roundTripP999Seconds: number | null;
  roundTripMaxSeconds: number | null;
  roundTripMeanSeconds: number | null;
  /** Messages per second: `rate` from the first send to the last message held; `roundtrip` 1 ÷ mean round trip. */
  messagesPerSecond: number | null;
  /** messagesPerSecond × messageBytes. */
  bytesPerSecond: number | null;
  /** CPU time (user + system) each peer spent over the measured messages, per message. */
  senderCpuSecondsPerMessage: number | null;
  receiverCpuSecondsPerMessage: number | null;
  /**
   * `roundtrip`: the HDR histogram as `percentile:nanoseconds` pairs separated by spaces (Node's
   * `histogram.percentiles`), so that a later analysis can recompute any percentile; '' otherwise.
   */
  histogram: string;
}

/** What a message pattern measured: the record's message fields, shared with the limits' rows. */
export type MessageMeasures = Pick<
  TransferRecord,
  | 'roundTripP50Seconds'
  | 'roundTripP90Seconds'
  | 'roundTripP99Seconds'
  | 'roundTripP999Seconds'
  | 'roundTripMaxSeconds'
  | 'roundTripMeanSeconds'
  | 'messagesPerSecond'
  | 'bytesPerSecond'
  | 'senderCpuSecondsPerMessage'
  | 'receiverCpuSecondsPerMessage'
  | 'histogram'
>;

/** The description of the machine and software a sweep ran on, saved beside its records. */
export interface RunDescription {
  schema: number;
  runId: string;
  ipcLabVersion: string;
  gitCommit: string;
  node: string;
  v8: string;
  python: string | null;
  /** Bun's and Deno's versions when installed (node_modules/.bin), else null (null in files from before schema 4). */
  bun: string | null;
  deno: string | null;
  os: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  date: string;
  commandLine: string;
  /** Free text: scale name, notes. */
  label: string;
  /** The serializers' libraries and versions, e.g. "v8 11.3 (node:v8), msgpackr 2.1.4" (empty in schema 1 files). */
  codecLibraries: string;
}

/** The version of TransferRecord/RunDescription this code writes and reads. */
export const RECORD_SCHEMA = 7;
