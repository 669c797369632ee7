import type { TransferSpec } from '../../model/types';
import type { JsEngine } from './engines';

/**
 * What Bun and Deno are known not to do, checked before anything is spawned: each entry names the
 * runtime, its version and the API, and becomes a `limits` record. Known means measured here with
 * the pinned versions (see the README's "Runtimes" section); anything else that breaks is found at
 * run time and becomes a failed record with the runtime's own words.
 */
interface KnownLimit {
  runtime: JsEngine['runtime'];
  /** Does this limit stop this spec? */
  applies(spec: TransferSpec): boolean;
  /** The API the runtime lacks or breaks, and what happens. */
  why: string;
}

const KNOWN: readonly KnownLimit[] = [];

/** Why this runtime cannot run this transfer, naming runtime, version and API, or null. */
export function runtimeLimit(engine: JsEngine, spec: TransferSpec): string | null {
  const known = KNOWN.find((limit) => limit.runtime === engine.runtime && limit.applies(spec));
  return known ? `${engine.runtime} ${engine.version()}: ${known.why}` : null;
}
