import type { TransferSpec } from '../../model/types';
import type { JsEngine } from './engines';
import { availableMemoryBytes, gib } from './limits';

/**
 * What Bun and Deno are known not to do, checked before anything is spawned: each entry names the
 * runtime, its version and the API, and becomes a `limits` record. Known means measured here with
 * the pinned versions (see the README's "Runtimes" section); anything else that breaks is found at
 * run time and becomes a failed record with the runtime's own words.
 */
interface KnownLimit {
  runtime: JsEngine['runtime'];
  /** Why this spec cannot run (the API the runtime lacks or breaks, and what happens), or null. */
  stops(spec: TransferSpec): string | null;
}

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
      return (
        `node:v8 serialize of a plain list takes about ${BUN_V8_LIST_BYTES_PER_ELEMENT} bytes of memory per element in Bun ` +
        `(JavaScriptCore's serializer, measured): ${gib(neededBytes)} here, more than half of the ${gib(availableBytes)} available`
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

/** Why this runtime cannot run this transfer, naming runtime, version and API, or null. */
export function runtimeLimit(engine: JsEngine, spec: TransferSpec): string | null {
  for (const limit of KNOWN) {
    const why = limit.runtime === engine.runtime ? limit.stops(spec) : null;
    if (why) return `${engine.runtime} ${engine.version()}: ${why}`;
  }
  return null;
}
