/**
 * "What the serializer costs": the tables and figures of the serializers notebook (12) from a
 * bench run — each transport and codec against its floor, where its time goes (encode, channel,
 * decode), and Node's raw channel against C. Its findings are lib/findings/serializers.ts.
 */

import { timeSplit } from '../findings/serializers';
import { formatSize, roundSignificant } from '../model/format';
import { unique } from '../model/lists';
import type { CodecName, PayloadKind } from '../model/types';
import { type BenchExperimentResult, benchProvenance, obtainBench } from '../sweep/bench-experiments';
import type { BenchRun } from '../sweep/bench-results';
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

/** The second table as flat rows: Node's raw channel read straight into the destination and through libuv's chunks, against the C program, with each way's spread over the rounds. */
export function channelTableRows(run: BenchRun): Record<string, string | number | null>[] {
  const percent = (spread: number | null) => (spread === null ? null : Math.round((spread / 2) * 100));
  return run.channelRows.map((r) => ({
    channel: r.channel,
    elements: formatSize(r.sizeElements),
    MB: roundSignificant(r.bytes / 1e6),
    'Node direct s': roundSignificant(r.nodeSeconds),
    'direct ±%': percent(r.nodeSpread),
    'Node chunked s': roundSignificant(r.chunkedSeconds),
    'chunked ±%': percent(r.chunkedSpread),
    'C s': roundSignificant(r.cSeconds),
    'C ±%': percent(r.cSpread),
    'direct ÷ C': roundSignificant(r.ratio),
    'chunked ÷ C': roundSignificant(r.chunkedRatio),
    why: r.reason,
  }));
}

/**
 * Where the time goes at the largest size: one stacked bar per channel and codec — encode, the
 * channel (and waiting), decode — for one payload. Combinations that could not run are left out
 * of the bars and named in the title.
 */
export function timeSplitFigure(run: BenchRun, payload: PayloadKind): FigureSpec {
  const rows = run.floorRows.filter((r) => r.payload === payload);
  const size = Math.max(...rows.map((r) => r.sizeElements));
  const ran = rows.filter((r) => r.sizeElements === size && r.totalSeconds !== null);
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
    const candidates = rows.filter((r) => r.sizeElements === size && r.totalSeconds !== null && r.floorSeconds !== null);
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

/** Combinations the bench refused or that failed, one row each with the reason (largest size first). */
export function benchRefusals(run: BenchRun): Record<string, string>[] {
  return run.floorRows
    .filter((r) => r.totalSeconds === null)
    .map((r) => ({ channel: r.transport, codec: r.codec, payload: r.payload, elements: formatSize(r.sizeElements), why: r.reason }));
}
