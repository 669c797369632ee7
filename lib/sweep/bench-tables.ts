/**
 * The bench's two tables from its plan's results, purely: the samples of each row gathered from the
 * steps that measured them (bench-plan.ts built them), then the arithmetic of floors.ts and
 * channel-limits.ts. Every sample is also kept under its step's round (rounds.ts), so that a ratio
 * can be taken between timings measured seconds apart. Nothing here runs anything.
 */
import { describeFailure } from '../model/record';
import type { PayloadKind } from '../model/types';
import { type BenchBlock, type BenchCombo, benchBlocks, channelsOf } from './bench-plan';
import type { BenchRunConfig } from './bench-results';
import { type ChannelRow, channelRow, NODE_CHANNEL_PARTS, NODE_CHUNKED_CHANNEL, nodeChannelRecipe } from './channel-limits';
import { type FloorPart, type FloorRow, floorRow, type OwnTiming, partsOf } from './floors';
import { type ChannelRound, type FloorRound, roundFloorSeconds } from './rounds';
import type { StepResult } from './steps';

type Timings = Partial<Record<string, number>>;

/** Timings by name (a floor part, an own timing), both in the order measured and under the round that measured them. */
interface Gathered {
  samples: Partial<Record<string, number[]>>;
  rounds: Map<number, Timings>;
}

const gathered = (): Gathered => ({ samples: {}, rounds: new Map() });

const gather = (into: Gathered, round: number, name: string, seconds: number | null): void => {
  if (seconds === null) return;
  const samples = into.samples[name] ?? [];
  samples.push(seconds);
  into.samples[name] = samples;
  const timings = into.rounds.get(round) ?? {};
  timings[name] = seconds;
  into.rounds.set(round, timings);
};

/** The rounds any of `into` measured, each once, in order. */
const roundsIn = (...into: Gathered[]): number[] => [...new Set(into.flatMap((g) => [...g.rounds.keys()]))].sort((a, b) => a - b);

/** One round's timings of `names`, those it has. */
const only = (timings: Timings | undefined, names: readonly string[]): Timings =>
  Object.fromEntries(names.flatMap((name) => (timings?.[name] === undefined ? [] : [[name, timings[name]]])));

/** The transfer results of one configuration measured for its own sake (not a floor's raw channel). */
function transfersOf(results: readonly StepResult[], transport: string, payload: PayloadKind, sizeElements: number, codec?: string) {
  return results.filter(
    (r): r is Extract<StepResult, { kind: 'transfer' }> =>
      r.kind === 'transfer' &&
      r.step.bytesOf === undefined &&
      r.step.spec.transport === transport &&
      r.step.spec.payload === payload &&
      r.step.spec.sizeElements === sizeElements &&
      (codec === undefined || r.record.codec === codec),
  );
}

/** A codec group's shared samples at one size: its floor operations and raw channels over all rounds, their errors, the encoded size. */
function groupSamples(results: readonly StepResult[], block: BenchBlock, codec: string) {
  const parts = gathered();
  const errors: string[] = [];
  let bytes: number | null = null;
  const encodes = new Set<string>();
  for (const r of results) {
    if (r.kind !== 'floor-op' || r.step.table !== 'floor') continue;
    if (r.step.payload !== block.payload || r.step.sizeElements !== block.sizeElements || r.step.codec !== codec) continue;
    if (r.step.op === 'encode') encodes.add(r.key);
    if (!r.ok) errors.push(r.error);
    for (const [part, seconds] of Object.entries(r.seconds)) gather(parts, r.step.round, part, seconds);
    if (r.step.op === 'encode' && r.ok) bytes = r.bytes;
  }
  for (const r of results) {
    if (r.kind !== 'transfer' || r.step.bytesOf === undefined || !encodes.has(r.step.bytesOf)) continue;
    if (r.ok) gather(parts, r.step.round, r.step.spec.transport, r.record.totalSeconds);
    else errors.push(`${r.step.spec.transport}: ${describeFailure(r.record)}`);
  }
  // Without a codec, the bytes a transfer moves are the int32 data's (a clone's are V8's business: unknown).
  return { parts, errors, bytes: encodes.size > 0 ? bytes : 4 * block.sizeElements };
}

/** One row of the first table from its transfers and its group's samples. */
function comboRow(results: readonly StepResult[], block: BenchBlock, combo: BenchCombo, group: ReturnType<typeof groupSamples>): FloorRow {
  const { recipe } = combo;
  const { sizeElements } = block;
  const refused = (refusal: string) => floorRow({ recipe, sizeElements, bytes: null, totals: [], samples: {}, refusal, byRound: [] });
  if (combo.refusal !== null) return refused(combo.refusal);
  const totals = gathered();
  const own = gathered();
  const errors: string[] = [];
  for (const { step, record } of transfersOf(results, combo.transport, block.payload, sizeElements, combo.codec)) {
    if (!record.ok && record.failedPhase === 'limits') return refused(record.error);
    if (record.ok && record.totalSeconds !== null) {
      gather(totals, step.round, 'total', record.totalSeconds);
      gather(own, step.round, 'encode', record.encodeSeconds);
      gather(own, step.round, 'send', record.sendSeconds);
      gather(own, step.round, 'recv', record.recvSeconds);
      gather(own, step.round, 'decode', record.decodeSeconds);
    } else {
      errors.push(describeFailure(record));
    }
  }
  const byRound = roundsIn(group.parts, totals).map(
    (round): FloorRound => ({
      round,
      totalSeconds: totals.rounds.get(round)?.total ?? null,
      // Only the row's own floor parts: its codec group measured the other transports' parts too.
      parts: only(group.parts.rounds.get(round), partsOf(recipe)),
      own: { ...own.rounds.get(round) },
    }),
  );
  return floorRow({
    recipe,
    sizeElements,
    bytes: group.bytes,
    totals: totals.samples.total ?? [],
    samples: group.parts.samples as Partial<Record<FloorPart, number[]>>,
    ownSamples: own.samples as Partial<Record<OwnTiming, number[]>>,
    byRound,
    errors: [...errors, ...group.errors],
  });
}

/** The first table: a row per transport, codec, payload and size, in the order asked. */
export function floorRows(config: BenchRunConfig, results: readonly StepResult[]): FloorRow[] {
  return benchBlocks(config).flatMap((block) => {
    const groups = new Map([...block.groups.keys()].map((codec) => [codec, groupSamples(results, block, codec)]));
    return block.combos.map((combo) =>
      comboRow(results, block, combo, groups.get(combo.codec) ?? groupSamples(results, block, combo.codec)),
    );
  });
}

/** The second table: per size and channel, Node's parts (and its chunked read) against the C program. */
export function channelRows(config: BenchRunConfig, results: readonly StepResult[]): ChannelRow[] {
  const rows: ChannelRow[] = [];
  for (const sizeElements of new Set(config.sizes)) {
    for (const channel of channelsOf(config)) {
      const node = gathered();
      const others = gathered(); // the chunked read and the C program
      const errors: string[] = [];
      for (const part of NODE_CHANNEL_PARTS[channel]) {
        for (const r of transfersOf(results, part, 'int32', sizeElements)) {
          if (r.ok) gather(node, r.step.round, part, r.record.totalSeconds);
          else errors.push(`${part}: ${describeFailure(r.record)}`);
        }
        for (const r of results) {
          if (r.kind !== 'floor-op' || r.step.table !== 'channel' || r.step.op !== part || r.step.sizeElements !== sizeElements) continue;
          if (r.ok) gather(node, r.step.round, part, r.seconds[part] ?? null);
          else errors.push(r.error);
        }
      }
      const chunked = NODE_CHUNKED_CHANNEL[channel];
      for (const r of chunked ? transfersOf(results, chunked, 'int32', sizeElements) : []) {
        if (r.ok) gather(others, r.step.round, 'chunked', r.record.totalSeconds);
        else errors.push(`${chunked}: ${describeFailure(r.record)}`);
      }
      for (const r of results) {
        if (r.kind !== 'c-channel' || r.step.channel !== channel || r.step.bytes !== 4 * sizeElements) continue;
        if (r.seconds !== null) gather(others, r.step.round, 'c', r.seconds);
        else errors.push(r.error);
      }
      const byRound = roundsIn(node, others).map(
        (round): ChannelRound => ({
          round,
          nodeSeconds: roundFloorSeconds(nodeChannelRecipe(channel), node.rounds.get(round) ?? {}),
          chunkedSeconds: others.rounds.get(round)?.chunked ?? null,
          cSeconds: others.rounds.get(round)?.c ?? null,
        }),
      );
      rows.push(
        channelRow({
          channel,
          sizeElements,
          nodeSamples: node.samples as Partial<Record<FloorPart, number[]>>,
          chunkedSamples: others.samples.chunked ?? [],
          cSamples: others.samples.c ?? [],
          byRound,
          errors,
        }),
      );
    }
  }
  return rows;
}
