/**
 * The catalog of transports: what each one is, as data (Node's in node-transports.ts, CPython's
 * in cpython-transports.ts, the fields in transport-info.ts), and the questions asked of it. The
 * README's table, the notebooks' tables and the sweep's expansion all read these lists.
 */

import { CPYTHON_TRANSPORTS } from './cpython-transports';
import { NODE_TRANSPORTS } from './node-transports';
import type { TransportInfo } from './transport-info';
import type { CodecName, Pattern, Runtime } from './types';

export { CPYTHON_TRANSPORTS } from './cpython-transports';
export { NODE_TRANSPORTS } from './node-transports';
export type { TransportInfo } from './transport-info';

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
