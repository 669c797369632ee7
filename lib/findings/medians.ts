/**
 * The medians of a set of records as typed rows, one per configuration: what the article-family
 * findings, tables and figures start from.
 */
import { transportLabel } from '../model/record';
import type { CodecName, PayloadKind, Runtime, TransferRecord } from '../model/types';
import { median } from '../sweep/stats';
import { groupByConfiguration, summarizeGroup } from '../sweep/summary';

/** The phase columns, in the order a transfer goes through them. */
export const PHASES = ['encodeSeconds', 'sendSeconds', 'recvSeconds', 'decodeSeconds', 'totalSeconds'] as const;
export type Phase = (typeof PHASES)[number];

/** The medians of one configuration's ok measured runs: every phase, the build before the clock, and the bytes moved. */
export interface MedianRow extends Record<Phase, number | null> {
  runtime: Runtime;
  /** The transport's id, e.g. `pipe`. */
  transport: string;
  /** What tables and figures call it: the id, or `pipe/raw` for a codec other than its analog. */
  label: string;
  payload: PayloadKind;
  codec: CodecName;
  sizeElements: number;
  buildSeconds: number | null;
  bytes: number | null;
}

/** One MedianRow per configuration that has an ok measured run, in the order the records first name it. */
export function medianRows(records: readonly TransferRecord[]): MedianRow[] {
  const groups = groupByConfiguration(records.filter((r) => r.ok && !r.warmup));
  return [...groups.values()].map((group) => {
    const s = summarizeGroup(group);
    const bytes = group.map((r) => r.bytes).filter((b): b is number => b !== null);
    return {
      runtime: s.runtime,
      transport: s.transport,
      label: transportLabel(s),
      payload: s.payload,
      codec: s.codec,
      sizeElements: s.sizeElements,
      buildSeconds: s.buildMedianSeconds,
      encodeSeconds: s.encodeMedianSeconds,
      sendSeconds: s.sendMedianSeconds,
      recvSeconds: s.recvMedianSeconds,
      decodeSeconds: s.decodeMedianSeconds,
      totalSeconds: s.totalMedianSeconds,
      bytes: bytes.length > 0 ? median(bytes) : null,
    };
  });
}
