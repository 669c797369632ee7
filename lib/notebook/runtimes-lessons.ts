/**
 * What the runtimes notebook says in words, computed from the records (never typed in): which
 * runtime is fastest on each question and by how much, what the message patterns show, and what
 * each runtime could not run and why. Every sentence says what is missing rather than throwing,
 * since a smoke run has only a few configurations.
 */
import { formatBytes, formatRatio, formatSeconds, formatSize, plural } from '../model/format';
import { unique } from '../model/lists';
import { RUNTIMES, type Runtime, type TransferRecord } from '../model/types';
import { RUNTIME_NAMES } from './palette';
import {
  largestSize,
  type Measured,
  messageMedian,
  messageSizesOf,
  messageTransportsOf,
  methodsOf,
  presentRuntimes,
  runtimeTitle,
  transferMedian,
} from './runtimes';

/** One row of the caveats table: the failed or refused configurations of a runtime that share a reason. */
export interface CaveatRow {
  runtime: string;
  /** `limits` (refused in advance) or the phase that failed at run time. */
  phase: string;
  reason: string;
  count: number;
  transports: string;
  /** What ran: `list 1e8`, `roundtrip 64 B` … */
  configurations: string;
}

/** Longest reason text kept in a table cell, in characters. */
const REASON_CHARS = 140;

/**
 * Why a record failed, short: the error after its `runtime transport … : phase:` prefix, without
 * the runtime's own `deno 2.9.6:` prefix, cut before any parenthesised detail and at REASON_CHARS.
 * The part kept is the sentence that names the API.
 */
export function shortReason(record: TransferRecord): string {
  let text = record.error;
  const marker = `: ${record.failedPhase}: `;
  const at = text.indexOf(marker);
  if (at >= 0) text = text.slice(at + marker.length);
  text = text.replace(new RegExp(`^${record.runtime} [^:\\s]*: `), '');
  const paren = text.indexOf(' (');
  if (paren > 40) text = text.slice(0, paren);
  text = text.trim().replace(/[.;,]$/, '');
  return text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS - 1).trimEnd()}…` : text || '(no reason given)';
}

/** How a caveat names one configuration: `list 1e8` for a transfer, `roundtrip 64 B` for a message pattern. */
function configurationOf(r: TransferRecord): string {
  return r.pattern === 'transfer' ? `${r.payload} ${formatSize(r.sizeElements)}` : `${r.pattern} ${formatBytes(r.messageBytes ?? 0)}`;
}

/** Every failed or refused measured record, grouped by runtime × phase × reason, runtimes in order. */
export function runtimeCaveatRows(records: readonly TransferRecord[]): CaveatRow[] {
  const groups = new Map<string, TransferRecord[]>();
  for (const rt of presentRuntimes(records)) {
    for (const r of records.filter((x) => x.runtime === rt && !x.ok && !x.warmup)) {
      const key = `${rt}\u0000${r.failedPhase}\u0000${shortReason(r)}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  }
  return [...groups.values()].map((rs) => ({
    runtime: runtimeTitle(rs[0].runtime, records),
    phase: rs[0].failedPhase,
    reason: shortReason(rs[0]),
    count: rs.length,
    transports: unique(rs.map((r) => r.transport)).join(', '),
    configurations: unique(rs.map(configurationOf)).join(', '),
  }));
}

/** The geometric mean of positive numbers. */
export function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

/** What a comparison's categories are called, one and many. */
interface Noun {
  one: string;
  many: string;
}
const METHOD: Noun = { one: 'method', many: 'methods' };
const TRANSPORT: Noun = { one: 'transport', many: 'transports' };

/** One runtime against Node.js over some categories: the ratios where both were measured. */
function ratiosAgainstNode(categories: readonly string[], measure: (runtime: Runtime, category: string) => Measured, runtime: Runtime) {
  return categories.flatMap((c) => {
    const node = measure('node', c).value;
    const other = measure(runtime, c).value;
    return node !== null && node > 0 && other !== null && other > 0 ? [{ category: c, ratio: other / node }] : [];
  });
}

/**
 * For a set of categories (methods or transports) where smaller is better: each runtime's geometric
 * mean of runtime ÷ Node.js and its extreme (the category furthest from Node.js), the fastest
 * runtime by that mean, and how many categories each runtime is fastest on.
 */
function comparison(
  records: readonly TransferRecord[],
  categories: readonly string[],
  measure: (runtime: Runtime, category: string) => Measured,
  noun: Noun,
  runtimes: readonly Runtime[] = presentRuntimes(records),
): string[] {
  if (!runtimes.includes('node')) return [`No ${RUNTIME_NAMES.node} records: no ratio to Node.js can be given.`];
  const lines: string[] = [];
  const means = new Map<Runtime, number>([['node', 1]]);
  const coverage = new Map<Runtime, number>();
  for (const rt of runtimes.filter((r) => r !== 'node')) {
    const ratios = ratiosAgainstNode(categories, measure, rt);
    if (ratios.length === 0) {
      lines.push(`- ${runtimeTitle(rt, records)}: no ${noun.many} measured in both it and Node.js.`);
      continue;
    }
    const mean = geometricMean(ratios.map((r) => r.ratio));
    means.set(rt, mean);
    coverage.set(rt, ratios.length);
    const far = ratios.reduce((a, b) => (Math.abs(Math.log(b.ratio)) > Math.abs(Math.log(a.ratio)) ? b : a));
    lines.push(
      `- ${runtimeTitle(rt, records)} ÷ Node.js: ${formatRatio(mean)} (geometric mean over ${plural(ratios.length, noun.one, noun.many)}); ` +
        `furthest from Node.js on \`${far.category}\`: ${formatRatio(far.ratio)}.`,
    );
  }
  // Means over different sets of categories do not rank: only the runtimes that ran as many as the
  // widest one compete (CPython runs three of the seven message transports).
  const widest = Math.max(0, ...coverage.values());
  const unranked = [...coverage].filter(([, n]) => n < widest).map(([rt]) => rt);
  const [best, bestMean] = [...means].filter(([rt]) => !unranked.includes(rt)).sort((a, b) => a[1] - b[1])[0];
  const aside = unranked.length
    ? ` ${unranked.map((rt) => `${RUNTIME_NAMES[rt]} (${coverage.get(rt)} of ${widest})`).join(', ')} had fewer ${noun.many} with a time and ${unranked.length === 1 ? 'is' : 'are'} not ranked.`
    : '';
  const wins = new Map<Runtime, string[]>();
  for (const c of categories) {
    const measured = runtimes.map((rt) => ({ rt, v: measure(rt, c).value })).filter((m): m is { rt: Runtime; v: number } => m.v !== null);
    if (measured.length < 2) continue;
    const winner = measured.reduce((a, b) => (b.v < a.v ? b : a)).rt;
    wins.set(winner, [...(wins.get(winner) ?? []), c]);
  }
  const winText = [...wins].map(([rt, cs]) => `${RUNTIME_NAMES[rt]} on ${cs.length} (${cs.map((c) => `\`${c}\``).join(', ')})`).join('; ');
  const head =
    means.size === 1
      ? `Only Node.js has times here: no other runtime to compare.`
      : best === 'node'
        ? `Fastest by the geometric mean: Node.js (every ${unranked.length ? 'ranked' : 'other'} runtime's mean ratio is above 1).`
        : `Fastest by the geometric mean: ${RUNTIME_NAMES[best]}, ${formatRatio(bestMean)} Node.js's time (${formatRatio(1 / bestMean)} faster).`;
  return [head + aside, ...lines, ...(winText ? [`Fastest per ${noun.one}: ${winText}.`] : [])];
}

/**
 * Questions (a) and (b) in words: at the payload's largest size, which runtime is fastest over the
 * methods and by how much, each runtime's geometric mean ÷ Node.js and the method furthest from it.
 */
export function transferLesson(records: readonly TransferRecord[], payload: 'list' | 'int32'): string {
  const what = payload === 'list' ? 'the list' : 'the Int32Array';
  const size = largestSize(records, payload);
  if (size === null) return `This run has no transfers of ${what}.`;
  const methods = methodsOf(records.filter((r) => r.payload === payload));
  const withPayload = presentRuntimes(records.filter((r) => r.pattern === 'transfer' && r.payload === payload));
  const lines = comparison(records, methods, (rt, m) => transferMedian(records, rt, m, payload, size), METHOD, withPayload);
  const absent = presentRuntimes(records).filter((rt) => !withPayload.includes(rt));
  const missing = absent.length ? `\n\n${absent.map((rt) => RUNTIME_NAMES[rt]).join(', ')}: no transfers of ${what} in this run.` : '';
  return `**${what === 'the list' ? 'The list' : 'The Int32Array'} at ${formatSize(size)} elements**, median total time. ${lines.join('\n')}${missing}`;
}

/**
 * The message patterns in words, per message size: round trip p50 of each transport per runtime
 * (ipc and tcp first: the channels a JavaScript program uses most), and the stream rate's
 * geometric mean ÷ Node.js per runtime.
 */
export function messageLesson(records: readonly TransferRecord[]): string {
  const sizes = messageSizesOf(records);
  if (sizes.length === 0) return 'This run has no message patterns.';
  const runtimes = presentRuntimes(records);
  const first = ['ipc', 'tcp'];
  const parts = sizes.map((bytes) => {
    const transports = messageTransportsOf(records, 'roundtrip');
    const ordered = [...first.filter((t) => transports.includes(t)), ...transports.filter((t) => !first.includes(t))];
    const p50 = (rt: Runtime, t: string) => messageMedian(records, rt, t, 'roundtrip', bytes, 'roundTripP50Seconds');
    const lines = ordered.map((t) => {
      const cells = runtimes.map((rt) => {
        const m = p50(rt, t);
        return `${RUNTIME_NAMES[rt]} ${m.value !== null ? formatSeconds(m.value) : m.status}`;
      });
      return `- \`${t}\`: ${cells.join(', ')}`;
    });
    // A rate is better when larger: compare time per message (1 ÷ rate) so that "smaller is better" holds.
    const perMessage = (rt: Runtime, t: string): Measured => {
      const m = messageMedian(records, rt, t, 'rate', bytes, 'messagesPerSecond');
      return m.value !== null && m.value > 0 ? { ...m, value: 1 / m.value } : { ...m, value: null };
    };
    const rate = comparison(records, messageTransportsOf(records, 'rate'), perMessage, TRANSPORT);
    return (
      `**${formatBytes(bytes)} messages.** Round trip p50 (median over rounds):\n\n${lines.join('\n')}\n\n` +
      `Stream, time per message (1 ÷ rate), runtime ÷ Node.js. ${rate.join('\n')}`
    );
  });
  return parts.join('\n\n');
}

/**
 * The caveats in one sentence per runtime: how many of its measured runs were refused in advance and
 * how many failed at run time, with their short reasons; "ran everything" otherwise.
 */
export function caveatSentences(records: readonly TransferRecord[]): string {
  const rows = runtimeCaveatRows(records);
  const runtimes = presentRuntimes(records);
  if (runtimes.length === 0) return 'This run has no records.';
  return runtimes
    .map((rt) => {
      const title = runtimeTitle(rt, records);
      const mine = rows.filter((r) => r.runtime === title);
      const total = records.filter((r) => r.runtime === rt && !r.warmup).length;
      if (mine.length === 0) return `- ${title}: all ${total} runs arrived intact.`;
      const limits = mine.filter((r) => r.phase === 'limits');
      const failed = mine.filter((r) => r.phase !== 'limits');
      const count = (rs: CaveatRow[]) => rs.reduce((s, r) => s + r.count, 0);
      const describe = (rs: CaveatRow[]) => rs.map((r) => `${r.reason} (${r.transports}; ${r.configurations})`).join('; ');
      const said = [
        limits.length ? `${count(limits)} refused in advance — ${describe(limits)}` : '',
        failed.length ? `${count(failed)} failed at run time — ${describe(failed)}` : '',
      ].filter(Boolean);
      return `- ${title}: of ${total} runs, ${said.join('; and ')}.`;
    })
    .join('\n');
}

/** The runtimes the experiment asks for but this run's records lack, as a sentence ('' when none is missing). */
export function missingRuntimesSentence(records: readonly TransferRecord[]): string {
  const absent = RUNTIMES.filter((rt) => !records.some((r) => r.runtime === rt));
  return absent.length ? `This run has no records from ${absent.map((rt) => RUNTIME_NAMES[rt]).join(', ')}.` : '';
}
