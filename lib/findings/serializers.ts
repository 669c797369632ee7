/**
 * "What the serializer costs" as data: from a bench run (lib/sweep/bench-results.ts), where a
 * transfer's time goes, the fastest codec per channel against v8 and its floor, Node's raw
 * channel against C, and what could not run.
 */
import { unique } from '../model/lists';
import type { PayloadKind } from '../model/types';
import type { BenchRun } from '../sweep/bench-results';
import type { ChannelRow } from '../sweep/channel-limits';
import type { FloorRow } from '../sweep/floors';

/** A row's time split: the codec's own encode and decode (its records' medians), the rest is the channel. */
export function timeSplit(r: FloorRow): { encode: number; channel: number; decode: number } | null {
  if (r.totalSeconds === null) return null;
  const encode = r.own.encode ?? 0;
  const decode = r.own.decode ?? 0;
  return { encode, decode, channel: Math.max(0, r.totalSeconds - encode - decode) };
}

/** The channels of a bench run, in its order. */
export function benchChannels(run: BenchRun): string[] {
  return unique(run.floorRows.map((r) => r.transport));
}

/** The fastest codec on one channel at one size, against v8 (the article's analog) and its own floor. */
export interface CodecWinner {
  channel: string;
  codec: string;
  seconds: number;
  /** v8's median total on the channel; null when v8 did not run there. */
  v8Seconds: number | null;
  /** v8Seconds ÷ seconds; null when the winner is v8 itself or v8 did not run. */
  overV8: number | null;
  /** The winner's total ÷ its floor; null without a floor. */
  floorRatio: number | null;
}

/** What a bench run shows, as data: the fastest codec per channel and payload, Node's raw channel against C, and what could not run. */
export interface SerializerFindings {
  /** Per payload, at its largest size. */
  fastest: { payload: PayloadKind; sizeElements: number; channels: CodecWinner[] }[];
  /** The largest size the C program ran, every channel there; null when it never ran. */
  againstC: { sizeElements: number; rows: ChannelRow[] } | null;
  /** Each codec and payload refused or failed at some size, once. */
  notRun: { codec: string; payload: PayloadKind }[];
}

/** The findings of a bench run (see SerializerFindings). */
export function serializerFindings(run: BenchRun): SerializerFindings {
  const fastest = (['list', 'int32'] as const).flatMap((payload) => {
    const rows = run.floorRows.filter((r) => r.payload === payload);
    if (rows.length === 0) return [];
    const sizeElements = Math.max(...rows.map((r) => r.sizeElements));
    const channels = unique(rows.map((r) => r.transport)).flatMap((channel): CodecWinner[] => {
      const ran = rows.filter((r) => r.transport === channel && r.sizeElements === sizeElements && r.totalSeconds !== null);
      if (ran.length === 0) return [];
      const best = ran.reduce((a, b) => ((b.totalSeconds as number) < (a.totalSeconds as number) ? b : a));
      const seconds = best.totalSeconds as number;
      const v8Seconds = ran.find((r) => r.codec === 'v8')?.totalSeconds ?? null;
      const overV8 = v8Seconds !== null && best.codec !== 'v8' ? v8Seconds / seconds : null;
      return [{ channel, codec: best.codec, seconds, v8Seconds, overV8, floorRatio: best.ratio }];
    });
    return [{ payload, sizeElements, channels }];
  });
  const withC = run.channelRows.filter((r) => r.ratio !== null);
  const cSize = Math.max(...withC.map((r) => r.sizeElements));
  const refused = run.floorRows.filter((r) => r.totalSeconds === null);
  return {
    fastest,
    againstC: withC.length === 0 ? null : { sizeElements: cSize, rows: withC.filter((r) => r.sizeElements === cSize) },
    notRun: refused
      .filter((r, i) => refused.findIndex((o) => o.codec === r.codec && o.payload === r.payload) === i)
      .map(({ codec, payload }) => ({ codec, payload })),
  };
}
