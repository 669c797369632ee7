/**
 * Sweeps are data: a SweepConfig names runtimes, transports, payloads and sizes, and expandSweep
 * turns it into the ordered list of transfers to run, in one pure function. Combinations that a
 * runtime cannot run are skipped with a note; a config that makes no sense is a UsageError.
 */
import { patternsOf, type TransportInfo } from '../model/catalog';
import { plural } from '../model/format';
import { isPair, type RuntimeChoice, specRuntimes, transportOfChoice, transportsOfChoice } from '../model/pairs';
import { describeSpec } from '../model/record';
import { type CodecName, DEFAULT_MESSAGE_SIZES, DEFAULT_MESSAGES, MESSAGE_PAYLOADS, type Pattern, type TransferSpec } from '../model/types';
import { UsageError } from '../model/usage-error';
import { type CodecChoice, checkSweepConfig, type SweepConfig, type SweepOrder } from './sweep-config';

export { CODEC_CHOICES, type CodecChoice, checkSweepConfig, SWEEP_ORDERS, type SweepConfig, type SweepOrder } from './sweep-config';

/** One transfer of a sweep, in the order it should run. */
export interface PlannedTransfer {
  spec: TransferSpec;
  /** 0-based; warm-ups count from 0 too. */
  repeat: number;
  warmup: boolean;
}

/** The expansion of a sweep: the transfers to run and one note per skipped combination. */
export interface SweepPlan {
  transfers: PlannedTransfer[];
  notes: string[];
}

/**
 * The ordered transfers of a sweep: runtime × transport × payload × codec × size in the order
 * given, each configuration's warm-ups (repeat 0 … w−1) then its measured repeats (0 … r−1), or
 * with `order: 'interleaved'` all warm-ups first and then the repeats round by round. A transport
 * a runtime lacks, or a payload a transport does not carry, is skipped with a note; a transport
 * no selected runtime knows, or a config where everything is skipped, is a UsageError.
 */
export function expandSweep(config: SweepConfig): SweepPlan {
  const clean = checkSweepConfig(config);
  const specs: TransferSpec[] = [];
  const refused: TransferSpec[] = [];
  const notes: string[] = [];
  for (const pattern of clean.patterns ?? ['transfer']) {
    if (pattern === 'transfer') expandTransfers(clean, specs, notes);
    else expandMessages(clean, pattern, specs, refused, notes);
  }
  // A transport that cannot run a pattern is run once, to leave its `limits` record, not once per size and repeat.
  const transfers = [
    ...orderTransfers(specs, clean.warmups, clean.repeats, clean.order ?? 'grouped'),
    ...refused.map((spec) => ({ spec, repeat: 0, warmup: false })),
  ];
  if (transfers.length === 0) {
    throw new UsageError(`nothing to run: every combination was skipped (${notes.join('; ')})`);
  }
  return { transfers, notes };
}

/**
 * The message patterns: runtime × transport × payload × codec × message size, each run moving
 * `messages` messages. Payloads other than bytes, object and int32 are skipped with a note.
 */
function expandMessages(clean: SweepConfig, pattern: Pattern, specs: TransferSpec[], refused: TransferSpec[], notes: string[]): void {
  const payloads = clean.payloads.filter((p) => MESSAGE_PAYLOADS.includes(p));
  const skipped = clean.payloads.filter((p) => !MESSAGE_PAYLOADS.includes(p));
  if (skipped.length > 0) notes.push(`${pattern} sends ${MESSAGE_PAYLOADS.join(', ')} messages: payload ${skipped.join(', ')} skipped`);
  if (payloads.length === 0) return;
  for (const runtime of clean.runtimes) {
    for (const transport of transportIdsOf(clean, runtime, notes)) {
      const info = transportOfChoice(runtime, transport);
      const sizes = clean.messageSizes ?? DEFAULT_MESSAGE_SIZES;
      const count = (messageBytes: number) => clean.messages ?? messagesFor(messageBytes);
      const base = { ...specRuntimes(runtime), transport, pattern };
      if (!patternsOf(info).includes(pattern)) {
        refused.push({ ...base, payload: payloads[0], messageBytes: sizes[0], sizeElements: count(sizes[0]) });
        continue;
      }
      for (const payload of payloads) {
        for (const codec of codecsOf(clean, runtime, transport, info, notes)) {
          for (const messageBytes of sizes) {
            const sizeElements = count(messageBytes);
            specs.push(
              codec === info?.codecs[0] && !isPair(base)
                ? { ...base, payload, messageBytes, sizeElements }
                : { ...base, payload, messageBytes, sizeElements, codec },
            );
          }
        }
      }
    }
  }
}

/** One run of a message pattern moves at most this many bytes by default: 256 MiB. */
export const DEFAULT_BYTES_PER_RUN = 256 * 2 ** 20;

/**
 * Measured messages of one run of `messageBytes`-byte messages: `maxMessages`, or fewer (at least
 * 100) so that the run moves at most `maxBytesPerRun` — 10 000 round trips of 1 MiB would take minutes.
 */
export function messagesFor(messageBytes: number, maxMessages = DEFAULT_MESSAGES, maxBytesPerRun = DEFAULT_BYTES_PER_RUN): number {
  return Math.max(100, Math.min(maxMessages, Math.floor(maxBytesPerRun / messageBytes)));
}

/** The transports of a runtime (or a pair) a sweep names, in catalog order for `all`; unknown ones noted. */
function transportIdsOf(clean: SweepConfig, runtime: RuntimeChoice, notes: string[]): string[] {
  const ids = clean.transports === 'all' ? transportsOfChoice(runtime).map((t) => t.id) : clean.transports;
  const runnable: string[] = [];
  for (const id of ids) {
    const note = `${runtime} has no "${id}" transport: skipped`;
    if (transportOfChoice(runtime, id)) runnable.push(id);
    else if (!notes.includes(note)) notes.push(note);
  }
  return runnable;
}

/** The codecs one transport runs in this sweep, with a note for those it does not take. */
function codecsOf(
  clean: SweepConfig,
  runtime: RuntimeChoice,
  transport: string,
  info: TransportInfo | undefined,
  notes: string[],
): CodecName[] {
  const codecs = codecsFor(info?.codecs ?? ['none'], clean.codecs ?? 'analog');
  if (Array.isArray(clean.codecs) && codecs.length < clean.codecs.length) {
    const skipped = clean.codecs.filter((c) => c !== 'analog' && !codecs.includes(c));
    const note = `${runtime} ${transport} takes codec ${(info?.codecs ?? ['none']).join(', ')}: ${skipped.join(', ')} skipped`;
    if (skipped.length > 0 && !notes.includes(note)) notes.push(note);
  }
  return codecs;
}

/** The one-shot transfers: runtime × transport × payload × codec × size. */
function expandTransfers(clean: SweepConfig, specs: TransferSpec[], notes: string[]): void {
  const transferPayloads = clean.payloads.filter((p) => !MESSAGE_PAYLOADS.includes(p) || p === 'int32');
  const messageOnly = clean.payloads.filter((p) => !transferPayloads.includes(p));
  if (messageOnly.length > 0) notes.push(`a transfer sends list or int32 payloads: ${messageOnly.join(', ')} skipped`);
  if (transferPayloads.length === 0) return;
  for (const runtime of clean.runtimes) {
    const named = transportIdsOf(clean, runtime, notes);
    const runnable = named.filter((id) => patternsOf(transportOfChoice(runtime, id)).includes('transfer'));
    const messagesOnly = named.filter((id) => !runnable.includes(id));
    // Named on purpose, they get a note; under `all` they are simply not transfer transports.
    if (messagesOnly.length > 0 && clean.transports !== 'all')
      notes.push(`${runtime} ${messagesOnly.join(', ')} carry messages only (--pattern roundtrip or rate): skipped`);
    for (const payload of transferPayloads) {
      const refusing = runnable.filter((id) => !transportOfChoice(runtime, id)?.payloads.includes(payload));
      if (refusing.length > 0 && refusing.length === runnable.length && refusing.length > 1) {
        notes.push(`${runtime} transports cannot carry ${payload} payloads: skipped`);
      } else if (refusing.length > 0) {
        notes.push(`${runtime} ${refusing.join(', ')} cannot carry ${payload} payloads: skipped`);
      }
    }
    for (const transport of runnable) {
      const info = transportOfChoice(runtime, transport);
      const carried = info?.payloads ?? [];
      const codecs = codecsOf(clean, runtime, transport, info, notes);
      for (const payload of transferPayloads.filter((p) => carried.includes(p))) {
        for (const codec of codecs) {
          for (const sizeElements of clean.sizes) {
            // The analog codec stays implicit, so specs (and their names) read as before codecs existed;
            // a pair names its codec always (its analog is not the Node transport's).
            const base = { ...specRuntimes(runtime), transport, payload, sizeElements };
            const spec: TransferSpec = codec === info?.codecs[0] && !isPair(base) ? base : { ...base, codec };
            specs.push(spec);
          }
        }
      }
    }
  }
}

/** Each configuration's warm-ups and repeats, grouped by configuration or interleaved round by round. */
function orderTransfers(specs: readonly TransferSpec[], warmups: number, repeats: number, order: SweepOrder): PlannedTransfer[] {
  const transfers: PlannedTransfer[] = [];
  if (order === 'grouped') {
    for (const spec of specs) {
      for (let repeat = 0; repeat < warmups; repeat++) transfers.push({ spec, repeat, warmup: true });
      for (let repeat = 0; repeat < repeats; repeat++) transfers.push({ spec, repeat, warmup: false });
    }
    return transfers;
  }
  for (const spec of specs) for (let repeat = 0; repeat < warmups; repeat++) transfers.push({ spec, repeat, warmup: true });
  for (let repeat = 0; repeat < repeats; repeat++) for (const spec of specs) transfers.push({ spec, repeat, warmup: false });
  return transfers;
}

/** The codecs one transport runs: its analog, all it takes, or those of a list it takes (in the list's order, once each). */
function codecsFor(accepted: readonly CodecName[], wanted: CodecChoice[] | 'analog' | 'all'): CodecName[] {
  // Shared memory and the hand-overs serialize nothing: a list of serializers does not apply to them.
  if (accepted.length === 1 && accepted[0] === 'none') return ['none'];
  if (wanted === 'analog') return [accepted[0]];
  if (wanted === 'all') return [...accepted];
  const named = wanted.map((c) => (c === 'analog' ? accepted[0] : c)).filter((c) => accepted.includes(c));
  return [...new Set(named)];
}

/** "node pipe list 1e8 ×3 (+1 warm-up)": one line per configuration of a plan, for logs. */
export function describePlan(plan: SweepPlan): string[] {
  const lines = new Map<string, { measured: number; warmups: number }>();
  for (const t of plan.transfers) {
    const key = describeSpec(t.spec);
    const counts = lines.get(key) ?? { measured: 0, warmups: 0 };
    if (t.warmup) counts.warmups++;
    else counts.measured++;
    lines.set(key, counts);
  }
  return [...lines].map(([key, c]) => {
    const warmups = c.warmups === 0 ? '' : ` (+${plural(c.warmups, 'warm-up')})`;
    return `${key} ×${c.measured}${warmups}`;
  });
}
