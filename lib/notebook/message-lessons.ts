/**
 * The rest of the messages notebook (lib/notebook/messages.ts has the points, targets and the
 * latency and rate figures): running the experiment with its provenance, CPU per message, the
 * codecs on small objects, ipc-bench's published rates beside this run's, and the lesson as
 * sentences with this run's numbers.
 */
import { C_MESSAGE_CHANNELS, NODE_MINIMAL_CHANNELS } from '../measure/message-limits/row';
import {
  formatBytes,
  formatCount,
  formatRate,
  formatRatio,
  formatSeconds,
  MISSING,
  machineLine,
  plural,
  roundSignificant,
} from '../model/format';
import { shownPath } from '../model/paths';
import type { PayloadKind } from '../model/types';
import { type MessageExperimentResult, obtainMessages } from '../sweep/message-experiments';
import { showMarkdown } from './display';
import { type BarSeries, type FigureSpec, groupedBarFigure, rehash } from './figures';
import { type IpcBenchRates, ipcBenchRates } from './ipc-bench';
import { notebookProgress } from './live-progress';
import {
  findPoint,
  LIMIT_FOR,
  type MessagePattern,
  type MessagePoint,
  type MessageRun,
  messagePoints,
  messageSeriesName,
  messageSizes,
} from './messages';
import { PHASE_COLORS, shadesOf } from './palette';
import { preferFromEnv } from './report';

/** Where a message run's numbers come from, in the form every notebook's provenance line has. */
export function messagesProvenance(result: MessageExperimentResult): string {
  const d = result.description;
  const how = result.source === 'run' ? 'Measured by this notebook run' : `Loaded from ${shownPath(result.path)} (saved by an earlier run)`;
  return (
    `${how}: experiment \`${result.name}\` at scale \`${result.scale}\`, ${plural(result.records.length, 'transfer')}, ` +
    `run ${d.runId} on ${d.date.slice(0, 10)} — and ${plural(result.limits.length, 'run')} of the limits (the C program and bare Node) in the same rounds; ` +
    `${machineLine(d)}.`
  );
}

/** Run (or load, with IPC_LAB_PREFER=saved) the message experiment, its progress one updating output, and say where its numbers come from. */
export async function runMessagesAndDescribe(name = 'messages'): Promise<MessageExperimentResult> {
  const result = await obtainMessages(name, { prefer: preferFromEnv(), progress: notebookProgress() });
  showMarkdown(messagesProvenance(result));
  return result;
}

/** Failed transfers and limit runs, one row each with its reason. */
export function messageFailureRows(run: MessageRun): Record<string, string>[] {
  return [
    ...run.records
      .filter((r) => !r.ok)
      .map((r) => ({
        what: `${r.runtime} ${r.transport} ${r.payload} ${r.codec}`,
        pattern: r.pattern,
        size: formatBytes(r.messageBytes ?? 0),
        why: r.error,
      })),
    ...run.limits
      .filter((l) => !l.ok)
      .map((l) => ({
        what: messageSeriesName(l.source, l.channel, null),
        pattern: l.pattern,
        size: formatBytes(l.messageBytes),
        why: l.error ?? '',
      })),
  ];
}

/** One sentence: every run verified, or how many failed (the table says why). */
export function messageCheckSentence(run: MessageRun): string {
  const failed = messageFailureRows(run).length;
  const total = run.records.length + run.limits.length;
  return failed === 0
    ? `All ${run.records.length} transfers and ${run.limits.length} limit runs ended ok: every message was checked (its sequence number and content) by the peer that received it.`
    : `${failed} of ${total} runs failed or were refused; the table below says why. Every other message was checked by the peer that received it.`;
}

/** The size the one-size views use: 64 B when the run has it, else its smallest. */
export function smallSize(run: MessageRun): number {
  const sizes = messageSizes(run);
  return sizes.includes(64) ? 64 : sizes[0];
}

/** The Node transports, CPython's and the limits, in the order the CPU figure lists them. */
function cpuCategories(points: readonly MessagePoint[], bytes: number): [MessagePoint['source'], string][] {
  const keys: [MessagePoint['source'], string][] = [
    ...Object.keys(LIMIT_FOR).map((t): [MessagePoint['source'], string] => ['node', t]),
    ...['pipe', 'queue', 'manager'].map((t): [MessagePoint['source'], string] => ['cpython', t]),
    ...C_MESSAGE_CHANNELS.map((c): [MessagePoint['source'], string] => ['c', c]),
    ...NODE_MINIMAL_CHANNELS.map((c): [MessagePoint['source'], string] => ['node-minimal', c]),
  ];
  return keys.filter(([source, label]) => points.some((p) => p.source === source && p.label === label && p.messageBytes === bytes));
}

/**
 * CPU per message at one size (default smallSize): each peer's user + system CPU time per round
 * trip and per streamed message, beside the stream's wall time per message — a peer whose CPU per
 * message is near the wall time was busy all along (a polling receiver), one far below it slept.
 */
export function cpuFigure(run: MessageRun, messageBytes = smallSize(run)): FigureSpec {
  const points = messagePoints(run);
  const categories = cpuCategories(points, messageBytes);
  const at = (pattern: MessagePattern, pick: (p: MessagePoint) => number | null) =>
    categories.map(([source, label]) => {
      const p = findPoint(points, source, label, pattern, messageBytes);
      const v = p ? pick(p) : null;
      return v === null ? null : v * 1e6;
    });
  const [, , sendLight] = shadesOf(PHASE_COLORS.send, 3);
  const [, , receiveLight] = shadesOf(PHASE_COLORS.receive, 3);
  const series: BarSeries[] = [
    {
      name: 'round trip: client CPU',
      values: at('roundtrip', (p) => p.senderCpuSecondsPerMessage),
      style: { color: sendLight },
    },
    {
      name: 'round trip: server CPU',
      values: at('roundtrip', (p) => p.receiverCpuSecondsPerMessage),
      style: { color: receiveLight },
    },
    { name: 'stream: sender CPU', values: at('rate', (p) => p.senderCpuSecondsPerMessage), style: { color: PHASE_COLORS.send } },
    { name: 'stream: receiver CPU', values: at('rate', (p) => p.receiverCpuSecondsPerMessage), style: { color: PHASE_COLORS.receive } },
    {
      name: 'stream: wall time per message',
      values: at('rate', (p) => (p.messagesPerSecond ? 1 / p.messagesPerSecond : null)),
      style: { color: PHASE_COLORS.total },
    },
  ];
  const fig = groupedBarFigure({
    title: `CPU per message at ${formatBytes(messageBytes)}: each peer's user + system time (log scale)`,
    categories: categories.map(([source, label]) => messageSeriesName(source, label, label === 'ipc-json' ? 'object' : 'bytes')),
    yTitle: 'µs per message',
    logY: true,
    showValues: false,
    series,
    width: 900,
    height: 440,
  });
  // Room on the right for the last slanted category name.
  return rehash({ ...fig, layout: { ...fig.layout, margin: { ...(fig.layout.margin as object), r: 90 } } });
}

/** The polling ring's cost in numbers: its receiver's CPU per streamed message against the wall time, beside blocking transports. */
export function pollingSentence(run: MessageRun, messageBytes = smallSize(run)): string {
  const points = messagePoints(run);
  const line = (label: string) => {
    const p = findPoint(points, 'node', label, 'rate', messageBytes);
    if (!p?.messagesPerSecond || p.receiverCpuSecondsPerMessage === null) return null;
    const wall = 1 / p.messagesPerSecond;
    return `\`${label}\` receiver ${formatSeconds(p.receiverCpuSecondsPerMessage)} CPU per message over ${formatSeconds(wall)} wall (${Math.round((p.receiverCpuSecondsPerMessage / wall) * 100)} % of a core)`;
  };
  // In a round trip each peer waits for the other half the time: a poller's CPU then exceeds a sleeper's.
  const roundTrip = (label: string) => {
    const p = findPoint(points, 'node', label, 'roundtrip', messageBytes);
    if (!p?.p50Seconds || p.senderCpuSecondsPerMessage === null || p.receiverCpuSecondsPerMessage === null) return null;
    return `\`${label}\` ${formatSeconds(p.senderCpuSecondsPerMessage)} + ${formatSeconds(p.receiverCpuSecondsPerMessage)} (p50 ${formatSeconds(p.p50Seconds)})`;
  };
  const labels = ['ring', 'ring-thread', 'pipe', 'queue', 'ipc'];
  const parts = labels.map(line).filter((l): l is string => l !== null);
  const trips = labels.map(roundTrip).filter((l): l is string => l !== null);
  if (parts.length === 0 && trips.length === 0) return `No run at ${formatBytes(messageBytes)} measured CPU in this run.`;
  return (
    (parts.length > 0 ? `Streaming ${formatBytes(messageBytes)} messages: ${parts.join('; ')}. ` : '') +
    (trips.length > 0 ? `CPU of client + server per round trip: ${trips.join('; ')}. ` : '') +
    `Atomics.wait cannot wake another process, so the ` +
    "process `ring`'s waiting peer polls the shared mapping: it spins on Atomics.load for 50 µs, then yields to its event loop " +
    'until 2 ms, then checks every 1 ms — fast while messages keep coming, a core burnt meanwhile, and a slow tail once it sleeps. ' +
    '`ring-thread` spins 5 µs, then sleeps in Atomics.wait until notified; the others block in the kernel or the event loop.'
  );
}

/** The codec series on small objects: each channel's analog and the other codecs, per size. */
const CODEC_SERIES: readonly { label: string; payload: PayloadKind; shown: string }[] = [
  { label: 'pipe', payload: 'object', shown: 'pipe · v8' },
  { label: 'pipe/json', payload: 'object', shown: 'pipe · json' },
  { label: 'pipe/msgpackr', payload: 'object', shown: 'pipe · msgpackr' },
  { label: 'ipc', payload: 'object', shown: 'ipc · advanced (v8)' },
  { label: 'ipc-json', payload: 'object', shown: 'ipc-json · json' },
  { label: 'queue', payload: 'object', shown: 'queue · structured clone' },
];

/** The codec comparison as a table: per size and series, p50, p99, round trips/s, stream rate and CPU per message. */
export function codecRows(run: MessageRun): Record<string, string | number | null>[] {
  const points = messagePoints(run);
  const sizes = messageSizes(run).filter((b) =>
    points.some((p) => p.payload === 'object' && p.messageBytes === b && p.label !== 'ipc-json'),
  );
  return sizes.flatMap((bytes) =>
    CODEC_SERIES.map((s) => {
      const rt = findPoint(points, 'node', s.label, 'roundtrip', bytes, s.payload);
      const rate = findPoint(points, 'node', s.label, 'rate', bytes, s.payload);
      return {
        size: formatBytes(bytes),
        'channel · codec': s.shown,
        'p50 µs': rt?.p50Seconds ? roundSignificant(rt.p50Seconds * 1e6) : null,
        'p99 µs': rt?.p99Seconds ? roundSignificant(rt.p99Seconds * 1e6) : null,
        'stream messages/s': roundSignificant(rate?.messagesPerSecond ?? null),
        'sender CPU µs/msg': rate?.senderCpuSecondsPerMessage ? roundSignificant(rate.senderCpuSecondsPerMessage * 1e6) : null,
        'receiver CPU µs/msg': rate?.receiverCpuSecondsPerMessage ? roundSignificant(rate.receiverCpuSecondsPerMessage * 1e6) : null,
      };
    }).filter((r) => r['p50 µs'] !== null || r['stream messages/s'] !== null),
  );
}

/** JSON against v8 for the same objects on the same channel, per size: the pipe's codecs, and fork IPC's two serializations. */
export function jsonSentence(run: MessageRun): string {
  const points = messagePoints(run);
  const pairs = [
    { channel: 'pipe', json: 'pipe/json', v8: 'pipe' },
    { channel: 'fork IPC', json: 'ipc-json', v8: 'ipc' },
  ];
  const wins: string[] = [];
  const losses: string[] = [];
  const lines: string[] = [];
  for (const bytes of messageSizes(run)) {
    for (const pair of pairs) {
      const get = (label: string, pattern: MessagePattern) => findPoint(points, 'node', label, pattern, bytes, 'object');
      const [jr, vr] = [get(pair.json, 'rate'), get(pair.v8, 'rate')];
      const [jt, vt] = [get(pair.json, 'roundtrip'), get(pair.v8, 'roundtrip')];
      if (!jr?.messagesPerSecond || !vr?.messagesPerSecond || !jt?.p50Seconds || !vt?.p50Seconds) continue;
      const rateGain = jr.messagesPerSecond / vr.messagesPerSecond;
      const where = `${pair.channel} at ${formatBytes(bytes)}`;
      (rateGain > 1 ? wins : losses).push(where);
      lines.push(
        `- ${where}: JSON ${formatRate(jr.messagesPerSecond, 'messages')} against v8's ${formatCount(vr.messagesPerSecond)} ` +
          `(${formatRatio(rateGain)}), p50 round trip ${formatSeconds(jt.p50Seconds)} against ${formatSeconds(vt.p50Seconds)} (${formatRatio(jt.p50Seconds / vt.p50Seconds)}).`,
      );
    }
  }
  if (lines.length === 0) return 'This run has no pair of JSON and v8 runs on the same objects.';
  return (
    `JSON against v8 for the same small objects (stream rate, then round trip; above 1× JSON streams faster, below 1× its round trip is quicker):\n\n${lines.join('\n')}\n\n` +
    `JSON streams faster at ${wins.length === 0 ? 'no size' : wins.join(', ')}; v8 at ${losses.length === 0 ? 'no size' : losses.join(', ')}.`
  );
}

/** The Node transport standing for an ipc-bench channel. */
const NODE_FOR_CHANNEL: Readonly<Record<string, string>> = { pipe: 'pipe', unix: 'unix', tcp: 'tcp', shm: 'ring' };

/**
 * ipc-bench's published round trips per second (100 B, 1 KiB) beside this run's at 64 B and 1 KiB:
 * the C program, bare Node and Node's transport over the same kind of channel (round trips per
 * second = 1 ÷ the mean round trip). Their 100 B is not our 64 B: the sizes differ.
 */
export function ipcBenchRows(run: MessageRun, rates: IpcBenchRates = ipcBenchRates()): Record<string, string | number | null>[] {
  const points = messagePoints(run);
  const rt = (source: MessagePoint['source'], label: string | null | undefined, bytes: number) =>
    label ? roundSignificant(findPoint(points, source, label, 'roundtrip', bytes)?.messagesPerSecond ?? null) : null;
  const i100 = rates.messageBytes.indexOf(100);
  const i1k = rates.messageBytes.indexOf(1024);
  return rates.rows.map((r) => {
    const c = r.channel;
    const node = c ? NODE_FOR_CHANNEL[c] : undefined;
    const minimal = c && c !== 'shm' ? c : undefined;
    return {
      'ipc-bench mechanism': r.broken ? `${r.mechanism} (broken)` : r.mechanism,
      'published 100 B': r.roundTripsPerSecond[i100] ?? null,
      'published 1 KiB': r.roundTripsPerSecond[i1k] ?? null,
      'channel here': c ?? MISSING,
      'C 64 B': rt('c', c, 64),
      'C 1 KiB': rt('c', c, 1024),
      'bare Node 64 B': rt('node-minimal', minimal, 64),
      'bare Node 1 KiB': rt('node-minimal', minimal, 1024),
      'Node transport': node ?? MISSING,
      'Node 64 B': rt('node', node, 64),
      'Node 1 KiB': rt('node', node, 1024),
    };
  });
}

/** The comparison with ipc-bench in one sentence: their machine, and our C program ÷ theirs at 64 B (their 100 B) and at 1 KiB. */
export function ipcBenchSentence(run: MessageRun, rates: IpcBenchRates = ipcBenchRates()): string {
  const rows = ipcBenchRows(run, rates);
  const ratios = (ours: string, theirs: string) =>
    rows
      .filter((r) => typeof r[ours] === 'number' && typeof r[theirs] === 'number')
      .map((r) => `${r['channel here']} ${formatRatio((r[ours] as number) / (r[theirs] as number))}`);
  const small = ratios('C 64 B', 'published 100 B');
  const large = ratios('C 1 KiB', 'published 1 KiB');
  const s = rates.source;
  const parts = [
    small.length > 0 ? `at our 64 B against their 100 B ${small.join(', ')}` : '',
    large.length > 0 ? `at 1 KiB ${large.join(', ')}` : '',
  ].filter((p) => p !== '');
  return (
    `ipc-bench's rates are its README's (commit ${s.commit.slice(0, 7)}), measured on ${s.machine} — another machine; its "${s.unit}" ` +
    'counts round trips (a message and its answer), as our round trips per second (1 ÷ the mean round trip) do, and its sizes are ' +
    '100 B and 1 KiB where ours are 64 B and 1 KiB. ' +
    (parts.length > 0
      ? `Our C program ÷ ipc-bench over the same kind of channel: ${parts.join('; ')}.`
      : 'This run has no C round trip at 64 B or 1 KiB to set beside them.')
  );
}

/** The best series of some sources at a pattern and size: lowest p50 (roundtrip) or highest rate. */
function best(points: readonly MessagePoint[], pattern: MessagePattern, bytes: number, keep: (p: MessagePoint) => boolean) {
  const candidates = points.filter(
    (p) => p.pattern === pattern && p.messageBytes === bytes && keep(p) && (pattern === 'roundtrip' ? p.p50Seconds : p.messagesPerSecond),
  );
  if (candidates.length === 0) return undefined;
  return candidates.reduce((a, b) =>
    pattern === 'roundtrip'
      ? (b.p50Seconds as number) < (a.p50Seconds as number)
        ? b
        : a
      : (b.messagesPerSecond as number) > (a.messagesPerSecond as number)
        ? b
        : a,
  );
}

const THREAD_TRANSPORTS = new Set(['queue', 'transfer', 'ring-thread']);
const mainNode = (p: MessagePoint) => p.source === 'node' && (p.payload === 'bytes' || p.label === 'ipc-json');

/** The fastest Node transport for small messages, by round trip and by stream rate, overall and between processes, with CPython's and the limits' best beside it. */
export function fastestSentence(run: MessageRun, messageBytes = smallSize(run)): string {
  const points = messagePoints(run);
  const describe = (pattern: MessagePattern, p: MessagePoint | undefined) =>
    p === undefined
      ? MISSING
      : pattern === 'roundtrip'
        ? `\`${p.name}\` (p50 ${formatSeconds(p.p50Seconds)}, p99 ${formatSeconds(p.p99Seconds)})`
        : `\`${p.name}\` (${formatRate(p.messagesPerSecond, 'messages')})`;
  const lines = (['roundtrip', 'rate'] as const).map((pattern) => {
    const all = best(points, pattern, messageBytes, mainNode);
    const processes = best(points, pattern, messageBytes, (p) => mainNode(p) && !THREAD_TRANSPORTS.has(p.label));
    const cpython = best(points, pattern, messageBytes, (p) => p.source === 'cpython');
    const minimal = best(points, pattern, messageBytes, (p) => p.source === 'node-minimal');
    const c = best(points, pattern, messageBytes, (p) => p.source === 'c');
    return (
      `- ${pattern === 'roundtrip' ? 'Round trip' : 'Stream rate'}: fastest Node transport ${describe(pattern, all)}` +
      `${processes && processes !== all ? `; between processes ${describe(pattern, processes)}` : ''}. ` +
      `Beside it: CPython's best ${describe(pattern, cpython)}, bare Node's best ${describe(pattern, minimal)}, the C floor's best ${describe(pattern, c)}.`
    );
  });
  return `For ${formatBytes(messageBytes)} messages in this run:\n\n${lines.join('\n')}`;
}

/**
 * Where batching pays: per Node transport, how many small messages per second arrive when they
 * travel one by one, and when 16 (or 1024) of them are packed into one 1 KiB (or 64 KiB) message —
 * the larger message's stream rate × the small messages it carries.
 */
export function batchingSentence(run: MessageRun): string {
  const points = messagePoints(run);
  const small = smallSize(run);
  const larger = messageSizes(run).filter((b) => b > small && (b === 1024 || b === 65536));
  if (larger.length === 0) return `This run streamed one message size only (${formatBytes(small)}): it cannot say whether batching pays.`;
  const parts: string[] = [];
  for (const label of Object.keys(LIMIT_FOR)) {
    const one = findPoint(points, 'node', label, 'rate', small)?.messagesPerSecond;
    if (!one) continue;
    const gains = larger
      .map((b) => {
        const rate = findPoint(points, 'node', label, 'rate', b)?.messagesPerSecond;
        return rate ? `${formatRatio((rate * (b / small)) / one)} in ${formatBytes(b)} batches` : null;
      })
      .filter((g): g is string => g !== null);
    if (gains.length > 0) parts.push(`\`${label}\` ${formatRate(one)} one by one, ${gains.join(', ')}`);
  }
  return (
    `Batching ${formatBytes(small)} messages (the larger message's stream rate × the ${formatBytes(small)} messages it holds, ` +
    `against sending them one by one): ${parts.join('; ')}. Above 1×, batching pays; the per-message cost, not the bytes, limits small messages.`
  );
}

/**
 * How much of a blocking round trip is waking the other side: the C program's p50 round trip over
 * each channel at the smallest size, against two messages of its own stream over the same channel
 * (what the bytes cost when nobody sleeps). A sleeping process — on a virtual machine, its idle
 * virtual CPU — takes tens of µs to wake, and a round trip wakes a side twice. The sentence names
 * the channel where the gap is widest, with both numbers.
 */
export function wakeupSentence(run: MessageRun): string {
  const points = messagePoints(run).filter((p) => p.source === 'c');
  let widest: { channel: string; bytes: number; p50: number; perMessage: number } | null = null;
  for (const channel of new Set(points.map((p) => p.label))) {
    const sizes = points.filter((p) => p.label === channel).map((p) => p.messageBytes);
    if (sizes.length === 0) continue;
    const bytes = Math.min(...sizes);
    const p50 = findPoint(points, 'c', channel, 'roundtrip', bytes)?.p50Seconds ?? null;
    const rate = findPoint(points, 'c', channel, 'rate', bytes)?.messagesPerSecond ?? null;
    if (p50 === null || rate === null || rate <= 0) continue;
    const perMessage = 1 / rate;
    if (!widest || p50 / perMessage > widest.p50 / widest.perMessage) widest = { channel, bytes, p50, perMessage };
  }
  if (!widest) return 'This run has no C round trip and stream over one channel at one size to compare.';
  const gap = widest.p50 / (2 * widest.perMessage);
  const facts =
    `The C program's round trip over ${widest.channel} at ${formatBytes(widest.bytes)} has a p50 of ${formatSeconds(widest.p50)}, ` +
    `while its stream moves one such message every ${formatSeconds(widest.perMessage)}: the round trip is ${formatRatio(gap)} two streamed messages.`;
  if (gap < 10) return `${facts} Blocking costs little on this machine in this run: most of a round trip is moving the bytes.`;
  return (
    `**A caveat for every blocking round trip here.** ${facts} Nearly all of a blocking round trip is waking the other ` +
    'side: a process asleep in the kernel — on a virtual machine, its idle virtual CPU — takes tens of µs to wake, ' +
    'twice per round trip, whatever the channel. So blocking transports sit on that floor here (it can drop to a few µs ' +
    'when the CPUs stay busy, and differ from run to run); the spinning process `ring` skips it at the CPU cost shown above.'
  );
}
