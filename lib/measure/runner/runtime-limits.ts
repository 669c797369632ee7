import type { TransferSpec } from '../../model/types';
import type { JsEngine } from './engines';
import { availableMemoryBytes, gib } from './limits';

/**
 * What Bun and Deno are known not to do, checked before anything is spawned: each entry names the
 * API, and becomes a `limits` record of that runtime and version. Known means measured here with
 * the pinned versions (see the README's "Runtimes" section); anything else that breaks is found at
 * run time and becomes a failed record with the runtime's own words.
 */
interface KnownLimit {
  runtime: JsEngine['runtime'];
  /** Why this spec cannot run with this V8 heap limit (the API the runtime lacks or breaks, and what happens), or null. */
  stops(spec: TransferSpec, heapLimitMb: number): string | null;
}

/**
 * Deno's worker threads with `resourceLimits` drop a message whose ArrayBuffer is large beside the
 * worker's old-space limit — no 'message', no 'messageerror', no error: the receiver waits forever.
 * Measured with Deno 2.9.6, an Int32Array posted between two workers: 200 MB arrives with a
 * 2164 MiB limit, 400 MB does not; 400 MB arrives with 4096 MiB, 200 MB not with 1024 MiB. Refused
 * where the buffer is more than an eighth of the limit (Node carries all four).
 */
const DENO_WORKER_HEAP_PER_MESSAGE_BYTE = 8;

/**
 * Bun's node:v8 serialize of a plain list, measured with Bun 1.4.5 on this machine: a peak of about
 * 150 bytes of memory per element in the sender (1.46 GB of RSS for 10^7) and ≈ 60× Node's time.
 */
const BUN_V8_LIST_BYTES_PER_ELEMENT = 150;

const KNOWN: readonly KnownLimit[] = [
  {
    runtime: 'bun',
    stops(spec) {
      if (spec.codec !== 'v8' || spec.payload !== 'list' || (spec.pattern ?? 'transfer') !== 'transfer') return null;
      const neededBytes = BUN_V8_LIST_BYTES_PER_ELEMENT * spec.sizeElements;
      const availableBytes = availableMemoryBytes();
      if (neededBytes <= availableBytes / 2) return null;
      // The reason names the need, not the moment's free memory: the same refusal reads the same in
      // every round, so a summary lists it once.
      return (
        `node:v8 serialize of a plain list takes about ${BUN_V8_LIST_BYTES_PER_ELEMENT} bytes of memory per element in Bun ` +
        `(JavaScriptCore's serializer, measured): ${gib(neededBytes)} here, more than half of the memory available`
      );
    },
  },
  {
    runtime: 'deno',
    stops(spec, heapLimitMb) {
      const bytes = 4 * spec.sizeElements;
      if (!['queue', 'transfer'].includes(spec.transport) || spec.payload !== 'int32' || (spec.pattern ?? 'transfer') !== 'transfer')
        return null;
      if (bytes * DENO_WORKER_HEAP_PER_MESSAGE_BYTE <= heapLimitMb * 2 ** 20) return null;
      const neededMb = Math.ceil((bytes * DENO_WORKER_HEAP_PER_MESSAGE_BYTE) / 2 ** 20);
      return (
        `a worker with resourceLimits drops a message whose ArrayBuffer is over about 1/${DENO_WORKER_HEAP_PER_MESSAGE_BYTE} of its ` +
        `${heapLimitMb} MiB heap limit, silently (no message, no error; measured): give --heap-mb ${neededMb} or more`
      );
    },
  },
  {
    runtime: 'deno',
    stops: (spec) =>
      spec.transport === 'pipe' && (spec.pattern ?? 'transfer') !== 'transfer'
        ? "the pipe's message patterns need a stream on the FIFO that carries the way back, and Deno's net.Socket cannot wrap " +
          'a FIFO\'s fd (new net.Socket({ fd }) fails with "open EEXIST")'
        : null,
  },
];

/**
 * Why this runtime cannot run this transfer, naming the API, or null. The runtime and its version
 * are not repeated in the words: the record keeps them (runtime, runtimeVersion) and is printed with them.
 */
export function runtimeLimit(engine: JsEngine, spec: TransferSpec, heapLimitMb: number): string | null {
  for (const limit of KNOWN) {
    const why = limit.runtime === engine.runtime ? limit.stops(spec, heapLimitMb) : null;
    if (why) return why;
  }
  return null;
}
