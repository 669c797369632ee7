/**
 * "What the serializer costs": the tables, figures and sentences of the serializers notebook,
 * computed from a bench run (lib/sweep/bench-results.ts) — each transport and codec against its
 * floor, where its time goes (encode, channel, decode), and Node's raw channel against C.
 */
import { formatRatio, formatSeconds, formatSize, roundSignificant } from '../model/format';
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
 * bars and named in the title's note.
 */
export function timeSplitFigure(run: BenchRun, payload: PayloadKind, sizeElements?: number): FigureSpec {
  const rows = run.floorRows.filter((r) => r.payload === payload);
  const size = sizeElements ?? largest(rows);
  const ran = measured(rows.filter((r) => r.sizeElements === size));
  const categories = ran.map((r) => `${r.transport} · ${r.codec}`);
  const part = (name: 'encode' | 'channel' | 'decode'): BarSeries => ({
    name: name === 'channel' ? 'channel (and waiting)' : name,
    values: ran.map((r) => timeSplit(r)?.[name] ?? null),
  });
  const refused = rows.filter((r) => r.sizeElements === size && r.totalSeconds === null).map((r) => `${r.transport} · ${r.codec}`);
  return groupedBarFigure({
    title: `Where the time goes: ${payload === 'list' ? 'plain list' : 'Int32Array'} of ${formatSize(size)} elements${
      refused.length > 0 ? ` (not run: ${unique(refused.map((c) => c.split(' · ')[1])).join(', ')})` : ''
    }`,
    categories,
    xTitle: 'channel · codec',
    yTitle: 'time (s)',
    series: [part('encode'), part('channel'), part('decode')],
    stacked: true,
    showValues: false,
    width: 900,
  });
}

/** The C program's median for a channel at each size (the same bytes as an Int32Array of that size). */
function cSeries(channelRows: readonly ChannelRow[], channel: string, sizes: readonly number[]): (number | null)[] {
  return sizes.map((size) => channelRows.find((c) => c.channel === channel && c.sizeElements === size)?.cSeconds ?? null);
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
  const c = cSeries(run.channelRows, channel, sizes);
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

/**
 * The lesson of this run, in numbers: per payload at the largest size, the fastest codec on each
 * channel against v8 (the article's analog); how close the fastest stays to its floor; and how far
 * Node's raw channel is from C.
 */
export function serializerLessons(run: BenchRun): string {
  const lines: string[] = [];
  for (const payload of ['list', 'int32'] as const) {
    const rows = run.floorRows.filter((r) => r.payload === payload);
    if (rows.length === 0) continue;
    const size = largest(rows);
    const parts: string[] = [];
    for (const channel of unique(rows.map((r) => r.transport))) {
      const ran = measured(rows.filter((r) => r.transport === channel && r.sizeElements === size));
      if (ran.length === 0) continue;
      const best = ran.reduce((a, b) => ((b.totalSeconds as number) < (a.totalSeconds as number) ? b : a));
      const v8 = ran.find((r) => r.codec === 'v8');
      const versus =
        v8 && best !== v8 && v8.totalSeconds
          ? `, ${formatRatio(v8.totalSeconds / (best.totalSeconds as number))} faster than v8 (${formatSeconds(v8.totalSeconds)})`
          : '';
      const floor = best.ratio === null ? '' : `; ${formatRatio(best.ratio)} its floor`;
      parts.push(`\`${channel}\` — **${best.codec}** ${formatSeconds(best.totalSeconds)}${versus}${floor}`);
    }
    lines.push(
      `- ${payload === 'list' ? 'A plain list' : 'An Int32Array'} of ${formatSize(size)} elements, fastest codec per channel: ${parts.join('; ')}.`,
    );
  }
  const cRows = run.channelRows.filter((r) => r.ratio !== null);
  if (cRows.length > 0) {
    const size = Math.max(...cRows.map((r) => r.sizeElements));
    const at = cRows.filter((r) => r.sizeElements === size);
    lines.push(
      `- Node's raw channel against the C program, ${formatSize(size)} elements' bytes: ${at
        .map((r) => `\`${r.channel}\` ${formatSeconds(r.nodeSeconds)} vs ${formatSeconds(r.cSeconds)} (${formatRatio(r.ratio as number)})`)
        .join(', ')}.`,
    );
  }
  const refused = unique(benchRefusals(run).map((r) => `${r.codec} with ${r.payload === 'list' ? 'a list' : 'an Int32Array'}`));
  if (refused.length > 0) lines.push(`- Not run (each with its reason in the table above): ${refused.join(', ')}.`);
  return `In this run:\n\n${lines.join('\n')}`;
}
