/**
 * "What the serializer costs": the tables, figures and findings of the serializers notebook,
 * computed from a bench run (lib/sweep/bench-results.ts) — each transport and codec against its
 * floor, where its time goes (encode, channel, decode), and Node's raw channel against C.
 */
import { formatSize, roundSignificant } from '../model/format';
import { unique } from '../model/lists';
import type { CodecName, PayloadKind } from '../model/types';
import { type BenchExperimentResult, benchProvenance, obtainBench } from '../sweep/bench-experiments';
import type { BenchRun } from '../sweep/bench-results';
import type { ChannelRow } from '../sweep/channel-limits';
import type { FloorRow } from '../sweep/floors';
import { showMarkdown } from './display';
import { type BarSeries, type FigureSpec, groupedBarFigure, type LineSeries, lineFigure } from './figures';
import { notebookProgress } from './live-progress';
import { CODEC_COLORS } from './palette';
import { preferFromEnv } from './report';

/** Run (or load) a bench experiment and say where its numbers come from. */
export async function runBenchAndDescribe(name: string): Promise<BenchExperimentResult> {
  const result = await obtainBench(name, { prefer: preferFromEnv(), progress: notebookProgress() });
  showMarkdown(benchProvenance(result));
  return result;
}

/** The rows that ran (a total and a floor), in the run's order. */
const measured = (rows: readonly FloorRow[]) => rows.filter((r) => r.totalSeconds !== null);
const largest = (rows: readonly FloorRow[]) => Math.max(...rows.map((r) => r.sizeElements));

/** The first table as flat rows: channel, codec, payload, size, total, spread, floor, ratio, and why when there is none. */
export function floorTableRows(run: BenchRun, payload?: PayloadKind): Record<string, string | number | null>[] {
  return run.floorRows
    .filter((r) => payload === undefined || r.payload === payload)
    .map((r) => ({
      channel: r.transport,
      codec: r.codec,
      payload: r.payload,
      elements: formatSize(r.sizeElements),
      'encoded MB': r.bytes === null ? null : roundSignificant(r.bytes / 1e6),
      'total s': roundSignificant(r.totalSeconds),
      'spread ±%': r.totalSpread === null ? null : Math.round((r.totalSpread / 2) * 100),
      'floor s': roundSignificant(r.floorSeconds),
      '÷ floor': roundSignificant(r.ratio),
      over: r.over ? `> ${r.limit}×` : '',
      why: r.totalSeconds === null ? r.reason : '',
    }));
}

/** The second table as flat rows: Node's raw channel against the C program, same bytes. */
export function channelTableRows(run: BenchRun): Record<string, string | number | null>[] {
  return run.channelRows.map((r) => ({
    channel: r.channel,
    elements: formatSize(r.sizeElements),
    MB: roundSignificant(r.bytes / 1e6),
    'Node raw s': roundSignificant(r.nodeSeconds),
    'C s': roundSignificant(r.cSeconds),
    'Node ÷ C': roundSignificant(r.ratio),
    why: r.reason,
  }));
}

/** A row's time split: the codec's own encode and decode (its records' medians), the rest is the channel. */
export function timeSplit(r: FloorRow): { encode: number; channel: number; decode: number } | null {
  if (r.totalSeconds === null) return null;
  const encode = r.own.encode ?? 0;
  const decode = r.own.decode ?? 0;
  return { encode, decode, channel: Math.max(0, r.totalSeconds - encode - decode) };
}

/**
 * Where the time goes at one size: one stacked bar per channel and codec — encode, the channel
 * (and waiting), decode — for one payload. Combinations that could not run are left out of the
 * bars and named in the title.
 */
export function timeSplitFigure(run: BenchRun, payload: PayloadKind, sizeElements?: number): FigureSpec {
  const rows = run.floorRows.filter((r) => r.payload === payload);
  const size = sizeElements ?? largest(rows);
  const ran = measured(rows.filter((r) => r.sizeElements === size));
  const part = (name: 'encode' | 'channel' | 'decode'): BarSeries => ({
    name: name === 'channel' ? 'channel (and waiting)' : name,
    values: ran.map((r) => timeSplit(r)?.[name] ?? null),
  });
  const refused = unique(rows.filter((r) => r.sizeElements === size && r.totalSeconds === null).map((r) => r.codec));
  return groupedBarFigure({
    title: `Where the time goes: ${payload === 'list' ? 'plain list' : 'Int32Array'} of ${formatSize(size)} elements${
      refused.length > 0 ? ` (not run: ${refused.join(', ')})` : ''
    }`,
    categories: ran.map((r) => `${r.transport} · ${r.codec}`),
    xTitle: 'channel · codec',
    yTitle: 'time (s)',
    series: [part('encode'), part('channel'), part('decode')],
    stacked: true,
    showValues: false,
    width: 900,
  });
}

/**
 * One channel, every codec and payload against size: each codec's total (list solid, Int32Array
 * dashed), the floor of the fastest codec at each size, and the C program moving 4 bytes an
 * element through the same kind of channel — the machine's limit for data of that size.
 */
export function channelCodecFigure(run: BenchRun, channel: string): FigureSpec {
  const rows = run.floorRows.filter((r) => r.transport === channel);
  const sizes = unique(rows.map((r) => r.sizeElements)).sort((a, b) => a - b);
  const series: LineSeries[] = [];
  for (const payload of ['list', 'int32'] as const) {
    for (const codec of unique(rows.filter((r) => r.payload === payload).map((r) => r.codec))) {
      const of = (size: number) => rows.find((r) => r.payload === payload && r.codec === codec && r.sizeElements === size);
      const y = sizes.map((size) => of(size)?.totalSeconds ?? null);
      if (y.every((v) => v === null)) continue;
      const color = CODEC_COLORS[codec as CodecName];
      series.push({
        name: `${payload} · ${codec}`,
        x: sizes,
        y,
        style: { ...(color ? { color } : {}), dash: payload === 'list' ? 'solid' : 'dash' },
      });
    }
  }
  const fastestFloor = sizes.map((size) => {
    const candidates = measured(rows.filter((r) => r.sizeElements === size)).filter((r) => r.floorSeconds !== null);
    return candidates.length === 0 ? null : Math.min(...candidates.map((r) => r.floorSeconds as number));
  });
  series.push({ name: 'floor of the fastest codec', x: sizes, y: fastestFloor, style: { color: '#777777', dash: 'dot', symbol: 'x' } });
  // The C program moves the same bytes as an Int32Array of each size.
  const c = sizes.map((size) => run.channelRows.find((r) => r.channel === channel && r.sizeElements === size)?.cSeconds ?? null);
  if (c.some((v) => v !== null))
    series.push({ name: 'C program, 4 B per element', x: sizes, y: c, style: { color: '#222222', dash: 'longdash', symbol: 'diamond' } });
  return lineFigure({
    title: `${channel}: total time per codec against size (log–log)`,
    xTitle: 'elements',
    yTitle: 'total time (s)',
    logX: true,
    logY: true,
    series,
    width: 860,
  });
}

/** The channels of a bench run, in its order. */
export function benchChannels(run: BenchRun): string[] {
  return unique(run.floorRows.map((r) => r.transport));
}

/** Combinations the bench refused or that failed, one row each with the reason (largest size first). */
export function benchRefusals(run: BenchRun): Record<string, string>[] {
  const rows = run.floorRows.filter((r) => r.totalSeconds === null);
  return rows.map((r) => ({
    channel: r.transport,
    codec: r.codec,
    payload: r.payload,
    elements: formatSize(r.sizeElements),
    why: r.reason,
  }));
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
    const sizeElements = largest(rows);
    const channels = unique(rows.map((r) => r.transport)).flatMap((channel): CodecWinner[] => {
      const ran = measured(rows.filter((r) => r.transport === channel && r.sizeElements === sizeElements));
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
