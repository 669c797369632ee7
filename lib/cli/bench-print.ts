import {
  basisText,
  benchTargetResults,
  type TargetResult,
  thresholdText,
  verdictCounts,
  verdictText,
} from '../findings/machine-speed-targets';
import { formatBytes, formatRatio, formatSeconds, formatSize, MISSING, roundSignificant } from '../model/format';
import { type ChannelRow, NODE_CHUNKED_CHANNEL } from '../sweep/channel-limits';
import { type FloorPartMedian, type FloorRow, OWN_TIMINGS } from '../sweep/floors';

/** How the bench's two tables are read, printed under them. */
export const HOW_TO_READ =
  'transport ÷ floor = what ipc-lab costs; Node raw ÷ C = what Node costs, reading straight into the destination ' +
  '(direct, as the stream transports read) or through libuv’s 64 KiB chunks (chunked)';

/**
 * The parts of a floor in one line, each median shown by `show`:
 * "raw-pipe 50.0 ms + encode 30.0 ms + 2 × decode 20.0 ms".
 */
export function describeParts(parts: readonly FloorPartMedian[], show: (seconds: number | null) => string = formatSeconds): string {
  return parts.map((p) => `${p.times > 1 ? `${p.times} × ` : ''}${p.part} ${show(p.medianSeconds)}`).join(' + ');
}

/** The totals' (max − min) ÷ median, as ±half of it in percent: "±4%". */
const spread = (x: number | null): string => (x === null ? MISSING : `±${((x / 2) * 100).toFixed(0)}%`);

/** The header of the first table. */
export function floorHeader(): string {
  return [
    'transport'.padEnd(19),
    'codec'.padEnd(8),
    'size'.padStart(5),
    'bytes'.padStart(10),
    'total'.padStart(9),
    'spread'.padStart(6),
    'floor'.padStart(9),
    '÷ floor'.padStart(8),
    'flag'.padEnd(10),
    'floor parts (medians)',
  ].join(' ');
}

/** One line of the first table; a row that has no ratio ends with why. */
export function floorLine(r: FloorRow): string {
  const line = [
    r.transport.padEnd(19),
    r.codec.padEnd(8),
    formatSize(r.sizeElements).padStart(5),
    formatBytes(r.bytes).padStart(10),
    formatSeconds(r.totalSeconds).padStart(9),
    spread(r.totalSpread).padStart(6),
    formatSeconds(r.floorSeconds).padStart(9),
    formatRatio(r.ratio).padStart(8),
    (r.over ? `> ${r.limit}×` : '').padEnd(10),
    r.totalSeconds === null && r.floorSeconds === null && r.reason ? '' : describeParts(r.parts),
  ].join(' ');
  return r.reason ? `${line.trimEnd()}  (${r.reason})` : line.trimEnd();
}

/** The header of the second table. */
export function channelHeader(): string {
  return [
    'channel'.padEnd(8),
    'size'.padStart(5),
    'bytes'.padStart(10),
    'Node direct'.padStart(11),
    'spread'.padStart(6),
    'chunked'.padStart(9),
    'spread'.padStart(6),
    'C'.padStart(9),
    'spread'.padStart(6),
    'direct ÷ C'.padStart(10),
    'chunked ÷ C'.padStart(11),
    "Node's parts (medians)",
  ].join(' ');
}

/** One line of the second table. */
export function channelLine(r: ChannelRow): string {
  const line = [
    r.channel.padEnd(8),
    formatSize(r.sizeElements).padStart(5),
    formatBytes(r.bytes).padStart(10),
    formatSeconds(r.nodeSeconds).padStart(11),
    spread(r.nodeSpread).padStart(6),
    formatSeconds(r.chunkedSeconds).padStart(9),
    spread(r.chunkedSpread).padStart(6),
    formatSeconds(r.cSeconds).padStart(9),
    spread(r.cSpread).padStart(6),
    formatRatio(r.ratio).padStart(10),
    formatRatio(r.chunkedRatio).padStart(11),
    describeParts(r.nodeParts),
  ].join(' ');
  return r.reason ? `${line}  (${r.reason})` : line;
}

/** The header of the targets table. */
export function targetHeader(): string {
  return [
    'target'.padEnd(40),
    'subject'.padEnd(7),
    'size'.padStart(5),
    'payload'.padEnd(7),
    'must be'.padEnd(8),
    'measured'.padStart(8),
    'spread'.padStart(6),
    'rounds'.padStart(6),
    'verdict',
  ].join(' ');
}

/**
 * One line of the targets table: a target on one subject, its value (a ratio, or a spread as ±%)
 * and its verdict; a ratio of medians (a row saved without its rounds) says so after the verdict.
 */
export function targetLine(r: TargetResult): string {
  const value = r.target.measure === 'total-spread' ? spread(r.value === null ? null : 2 * r.value) : formatRatio(r.value);
  return [
    r.target.compared.padEnd(40),
    r.subject.padEnd(7),
    (r.sizeElements === null ? MISSING : formatSize(r.sizeElements)).padStart(5),
    (r.payload ?? MISSING).padEnd(7),
    thresholdText(r.target).padEnd(8),
    value.padStart(8),
    spread(r.spread === null ? null : 2 * r.spread).padStart(6),
    String(r.rounds).padStart(6),
    r.basis === 'medians' ? `${verdictText(r.verdict)} (${basisText(r.basis)})` : verdictText(r.verdict),
  ].join(' ');
}

/** The targets table (issue 20's, judged from this run's rows) and the count of each verdict. */
export function targetsReport(results: readonly TargetResult[]): string[] {
  const counts = verdictCounts(results);
  return [
    'Targets (issue 20: each ratio the median of its same-round ratios, over at least 3 interleaved rounds; ' +
      'a value with fewer rounds is shown, not judged)',
    targetHeader(),
    ...results.map(targetLine),
    `met ${counts.met}, missed ${counts.missed}, not measured ${counts['not-measured']}`,
  ];
}

/** Both tables, their notes, the targets and the line saying how to read them. */
export function benchReport(title: string, floorRows: readonly FloorRow[], channelRows: readonly ChannelRow[]): string {
  const out = [title, '', 'Transport ÷ floor (the floor: the operations its mechanism cannot avoid, each measured alone)', floorHeader()];
  out.push(...floorRows.map(floorLine));
  const notes = [...new Set(floorRows.filter((r) => r.note).map((r) => `${r.transport}: ${r.note}`))];
  if (notes.length > 0) out.push('', ...notes.map((note) => `  note — ${note}`));
  if (channelRows.length > 0) {
    out.push('', 'Node raw ÷ C (the same bytes between two processes, into a fresh destination; Node read both ways)', channelHeader());
    out.push(...channelRows.map(channelLine));
  }
  out.push('', ...targetsReport(benchTargetResults({ floorRows, channelRows })));
  out.push('', `How to read: ${HOW_TO_READ}.`);
  return `${out.join('\n')}\n`;
}

/** A part's median in the CSV's `parts` cell: seconds, six significant digits, no unit (as the other cells). */
const csvSeconds = (seconds: number | null): string => String(roundSignificant(seconds, 6) ?? MISSING);

const csvCell = (value: string | number | boolean | null): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? JSON.stringify(text) : text;
};

/**
 * Both tables as one CSV, one row per line of either: `table` says which (`floor` or `channel`);
 * for a channel row, `name` is the channel, `readWay` how Node read it (`direct`; a stream channel
 * has a second line, `chunked`), `seconds` Node's time and `baselineSeconds` the C program's; for
 * a floor row, `name` is the transport, `seconds` its total and `baselineSeconds` its floor. The
 * transport's own timings (its records' medians) follow, for seeing where the rest goes.
 */
export function benchCsv(floorRows: readonly FloorRow[], channelRows: readonly ChannelRow[]): string {
  const header = [
    'table',
    'name',
    'readWay',
    'codec',
    'payload',
    'sizeElements',
    'bytes',
    'seconds',
    'spread',
    'baselineSeconds',
    'ratio',
    'limit',
    'over',
    'parts',
    ...OWN_TIMINGS.map((name) => `own_${name}Seconds`),
    'reason',
  ];
  const lines = [header.join(',')];
  for (const r of floorRows) {
    lines.push(
      [
        'floor',
        r.transport,
        '',
        r.codec,
        r.payload,
        r.sizeElements,
        r.bytes,
        r.totalSeconds,
        r.totalSpread,
        r.floorSeconds,
        r.ratio,
        r.limit,
        r.over,
        describeParts(r.parts, csvSeconds),
        ...OWN_TIMINGS.map((name) => r.own[name]),
        r.reason,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  for (const r of channelRows) {
    const ways = [
      { way: 'direct', seconds: r.nodeSeconds, spread: r.nodeSpread, ratio: r.ratio, parts: describeParts(r.nodeParts, csvSeconds) },
    ];
    const chunked = NODE_CHUNKED_CHANNEL[r.channel];
    if (chunked)
      ways.push({
        way: 'chunked',
        seconds: r.chunkedSeconds,
        spread: r.chunkedSpread,
        ratio: r.chunkedRatio,
        parts: `${chunked} ${csvSeconds(r.chunkedSeconds)}`,
      });
    for (const { way, seconds, spread: waySpread, ratio, parts } of ways) {
      lines.push(
        ['channel', r.channel, way, '', 'int32', r.sizeElements, r.bytes, seconds, waySpread, r.cSeconds, ratio, '', '', parts]
          .concat(
            OWN_TIMINGS.map(() => null),
            [r.reason],
          )
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
