import type { CodecName, Pattern, PayloadKind, Runtime } from './types';

/**
 * What one transport is, as data: an entry of the catalog (catalog.ts), which the README's table,
 * the notebooks' tables and the sweep's expansion all read. The code that moves the bytes lives in
 * lib/measure/transports/<id>.ts (Node) and lib/measure/cpython/article_methods.py (CPython).
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

// The lists the catalog's entries share, named once so that two transports meaning the same thing
// cannot drift apart.

/** Both payloads of a transfer: the article's list and the int32 array. */
export const BOTH: readonly PayloadKind[] = ['list', 'int32'];
/** The article's list alone (CPython's methods). */
export const LIST: readonly PayloadKind[] = ['list'];
/** A stream, a file or a broker carries bytes: any serializer; v8 (Node's pickle) is the analog. */
export const SERIALIZERS: readonly CodecName[] = ['v8', 'json', 'raw', 'msgpackr', 'packed', 'arrow'];
/** A ring carries message kinds only (bytes, object, int32): every serializer but packed, which packs plain lists. */
export const RING_CODECS: readonly CodecName[] = ['v8', 'json', 'raw', 'msgpackr'];
/** Message ports and transfer lists: structured clone, no serializer of ours. */
export const CLONE: readonly CodecName[] = ['clone'];
/** Shared memory and hand-overs: the data is copied or mapped as it is. */
export const NONE: readonly CodecName[] = ['none'];
/** CPython's methods pickle. */
export const PICKLE: readonly CodecName[] = ['pickle'];
/** A channel that carries a stream of messages runs every pattern. */
export const ALL_PATTERNS: readonly Pattern[] = ['transfer', 'roundtrip', 'rate'];
/** A channel made for messages (a ring buffer): the one-shot transfer is another transport's. */
export const MESSAGES_ONLY: readonly Pattern[] = ['roundtrip', 'rate'];
