/**
 * The bench's two tables from its plan's results, purely: the samples of each row gathered from the
 * steps that measured them (bench-plan.ts built them), then the arithmetic of floors.ts and
 * channel-limits.ts. Nothing here runs anything.
 */
import { describeFailure } from '../model/record';
import type { PayloadKind } from '../model/types';
import { type BenchBlock, type BenchCombo, benchBlocks, channelsOf } from './bench-plan';
import type { BenchRunConfig } from './bench-results';
import { type ChannelRow, channelRow, NODE_CHANNEL_PARTS, NODE_CHUNKED_CHANNEL } from './channel-limits';
import { type FloorPart, type FloorRow, floorRow, type OwnTiming } from './floors';
import type { StepResult } from './steps';

type Samples = Partial<Record<string, number[]>>;

const push = (samples: Samples, key: string, seconds: number | null): void => {
  if (seconds === null) return;
  samples[key] = [...(samples[key] ?? []), seconds];
};

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
  const samples: Samples = {};
  const errors: string[] = [];
  let bytes: number | null = null;
  const encodes = new Set<string>();
  for (const r of results) {
    if (r.kind !== 'floor-op' || r.step.table !== 'floor') continue;
    if (r.step.payload !== block.payload || r.step.sizeElements !== block.sizeElements || r.step.codec !== codec) continue;
    if (r.step.op === 'encode') encodes.add(r.key);
    if (!r.ok) errors.push(r.error);
    for (const [part, seconds] of Object.entries(r.seconds)) push(samples, part, seconds);
    if (r.step.op === 'encode' && r.ok) bytes = r.bytes;
  }
  for (const r of results) {
    if (r.kind !== 'transfer' || r.step.bytesOf === undefined || !encodes.has(r.step.bytesOf)) continue;
    if (r.ok) push(samples, r.step.spec.transport, r.record.totalSeconds);
    else errors.push(`${r.step.spec.transport}: ${describeFailure(r.record)}`);
  }
  // Without a codec, the bytes a transfer moves are the int32 data's (a clone's are V8's business: unknown).
  return { samples, errors, bytes: encodes.size > 0 ? bytes : 4 * block.sizeElements };
}

/** One row of the first table from its transfers and its group's samples. */
function comboRow(results: readonly StepResult[], block: BenchBlock, combo: BenchCombo, group: ReturnType<typeof groupSamples>): FloorRow {
  const { recipe } = combo;
  const { sizeElements } = block;
  const refused = (refusal: string) => floorRow({ recipe, sizeElements, bytes: null, totals: [], samples: {}, refusal });
  if (combo.refusal !== null) return refused(combo.refusal);
  const totals: number[] = [];
  const ownSamples: Samples = {};
  const errors: string[] = [];
  for (const { record } of transfersOf(results, combo.transport, block.payload, sizeElements, combo.codec)) {
    if (!record.ok && record.failedPhase === 'limits') return refused(record.error);
    if (record.ok && record.totalSeconds !== null) {
      totals.push(record.totalSeconds);
      push(ownSamples, 'encode', record.encodeSeconds);
      push(ownSamples, 'send', record.sendSeconds);
      push(ownSamples, 'recv', record.recvSeconds);
      push(ownSamples, 'decode', record.decodeSeconds);
    } else {
      errors.push(describeFailure(record));
    }
  }
  return floorRow({
    recipe,
    sizeElements,
    bytes: group.bytes,
    totals,
    samples: group.samples as Partial<Record<FloorPart, number[]>>,
    ownSamples: ownSamples as Partial<Record<OwnTiming, number[]>>,
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
      const nodeSamples: Samples = {};
      const cSamples: number[] = [];
      const errors: string[] = [];
      for (const part of NODE_CHANNEL_PARTS[channel]) {
        for (const r of transfersOf(results, part, 'int32', sizeElements)) {
          if (r.ok) push(nodeSamples, part, r.record.totalSeconds);
          else errors.push(`${part}: ${describeFailure(r.record)}`);
        }
        for (const r of results) {
          if (r.kind !== 'floor-op' || r.step.table !== 'channel' || r.step.op !== part || r.step.sizeElements !== sizeElements) continue;
          if (r.ok) push(nodeSamples, part, r.seconds[part] ?? null);
          else errors.push(r.error);
        }
      }
      const chunkedSamples: number[] = [];
      const chunked = NODE_CHUNKED_CHANNEL[channel];
      for (const r of chunked ? transfersOf(results, chunked, 'int32', sizeElements) : []) {
        if (!r.ok) errors.push(`${chunked}: ${describeFailure(r.record)}`);
        else if (r.record.totalSeconds !== null) chunkedSamples.push(r.record.totalSeconds);
      }
      for (const r of results) {
        if (r.kind !== 'c-channel' || r.step.channel !== channel || r.step.bytes !== 4 * sizeElements) continue;
        if (r.seconds !== null) cSamples.push(r.seconds);
        else errors.push(r.error);
      }
      const parts = nodeSamples as Partial<Record<FloorPart, number[]>>;
      rows.push(channelRow({ channel, sizeElements, nodeSamples: parts, chunkedSamples, cSamples, errors }));
    }
  }
  return rows;
}
