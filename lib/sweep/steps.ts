/**
 * A plan is a list of steps, data only: what to measure, in the order to measure it. One loop
 * (run-plan.ts) runs any plan; a sweep, the message bench and the floor bench are plans built by
 * pure functions (sweep.ts, message-bench.ts, bench-plan.ts). Every step has a key naming what it
 * measures, so that plans can be merged and checked for a configuration measured twice.
 */

import type { FloorOp } from '../measure/floor-ops';
import type { MessageLimitPattern, MessageLimitRow, MessageLimitSource } from '../measure/message-limits/index';
import type { NativeChannel } from '../measure/native-baseline';
import { codecOfSpec } from '../model/catalog';
import { formatBytes, formatSize } from '../model/format';
import { describeSpec } from '../model/record';
import type { PayloadKind, TransferRecord, TransferSpec } from '../model/types';

/**
 * One run of the runner (runTransfer): a sweep's transfer, a message pattern's run, a bench's
 * transport total, or a floor's raw channel (a transfer of a hidden raw-* transport).
 */
export interface TransferStep {
  kind: 'transfer';
  spec: TransferSpec;
  /** 0-based: a sweep's repeat, a bench's round; warm-ups count from 0 too. */
  round: number;
  warmup: boolean;
  /**
   * A floor's raw channel carries the bytes of an encode: the key of that encode step. When the
   * step runs, its spec's sizeElements becomes ⌈bytes ÷ 4⌉ (the raw transports move int32).
   */
  bytesOf?: string;
}

/** One run of a message limit: the C program's or bare Node's loop (runMessageLimit). */
export interface MessageLimitStep {
  kind: 'message-limit';
  source: MessageLimitSource;
  channel: string;
  pattern: MessageLimitPattern;
  messageBytes: number;
  messages: number;
  round: number;
}

/** The C program (native/ipc_baseline.c) moving `bytes` bytes into a fresh destination. */
export interface CChannelStep {
  kind: 'c-channel';
  channel: NativeChannel;
  bytes: number;
  round: number;
}

/** One single operation of a floor (lib/measure/floor-ops.ts), on a payload of one kind and size. */
export interface FloorOpStep {
  kind: 'floor-op';
  op: FloorOp;
  payload: PayloadKind;
  sizeElements: number;
  /** The serializer of encode, decode and file; for the other operations the codec group it was measured for. */
  codec: string;
  round: number;
  /** The bench table it belongs to: a transport's floor, or Node's side of a channel against C. */
  table: 'floor' | 'channel';
  /** Decode and file take the bytes of an encode: that encode step's key. */
  bytesOf?: string;
}

/** See the four kinds above. */
export type Step = TransferStep | MessageLimitStep | CChannelStep | FloorOpStep;

/** A limit's row with the round it was measured in. */
export type MessageLimitRecord = MessageLimitRow & { round: number; runId: string };

/** What one step left: a record, a row, seconds, or why it was not run. `ok` false carries `error`. */
export type StepResult =
  | { kind: 'transfer'; key: string; step: TransferStep; ok: boolean; error: string; record: TransferRecord }
  | { kind: 'message-limit'; key: string; step: MessageLimitStep; ok: boolean; error: string; row: MessageLimitRecord }
  | { kind: 'c-channel'; key: string; step: CChannelStep; ok: boolean; error: string; seconds: number | null }
  | {
      kind: 'floor-op';
      key: string;
      step: FloorOpStep;
      ok: boolean;
      error: string;
      /** Each timing the operation made: `encode`, or `file-write` and `file-read`, … */
      seconds: Record<string, number>;
      /** An encode's byte count. */
      bytes: number | null;
    }
  /** A step whose input never came (the encode it takes the bytes of failed): nothing was measured. */
  | { kind: 'not-run'; key: string; step: Step; ok: false; error: string };

/**
 * What a step measures, as a string: its configuration and round. Two steps with the same key
 * measure the same thing (a transfer's implicit codec is spelled out, so `pipe` and `pipe/v8` are one).
 */
export function stepKey(step: Step): string {
  switch (step.kind) {
    case 'transfer': {
      const s = step.spec;
      const runtimes = s.receiverRuntime && s.receiverRuntime !== s.runtime ? `${s.runtime}:${s.receiverRuntime}` : s.runtime;
      const message = s.pattern && s.pattern !== 'transfer' ? ` ${s.pattern} ${s.messageBytes ?? 0}B` : '';
      const size = step.bytesOf ? `bytes of (${step.bytesOf})` : `${s.sizeElements}`;
      return `transfer ${runtimes} ${s.transport} ${codecOfSpec(s)} ${s.payload}${message} ${size} ${roundOf(step)}`;
    }
    case 'message-limit':
      return `message-limit ${step.source} ${step.channel} ${step.pattern} ${step.messageBytes}B ×${step.messages} ${roundOf(step)}`;
    case 'c-channel':
      return `c-channel ${step.channel} ${step.bytes}B ${roundOf(step)}`;
    case 'floor-op':
      return `floor-op ${step.table} ${step.op} ${step.codec} ${step.payload} ${step.sizeElements} ${roundOf(step)}`;
  }
}

const roundOf = (step: Step): string => `${step.kind === 'transfer' && step.warmup ? 'warm-up' : 'round'} ${step.round + 1}`;

/** The step for a progress line: "c pipe roundtrip 64 B × 10000 round 1", "encode v8 list 1e8 round 2". */
export function stepLabel(step: Step): string {
  if (step.kind === 'transfer') return `${stepWhat(step)} ${step.warmup ? 'warm-up' : 'run'} ${step.round + 1}`;
  return `${stepWhat(step)} round ${step.round + 1}`;
}

/** What a step measures, without its round: how a refusal of all its rounds is named once. */
export function stepWhat(step: Step): string {
  switch (step.kind) {
    case 'transfer':
      return describeSpec(step.spec);
    case 'message-limit':
      return `${step.source} ${step.channel} ${step.pattern} ${formatBytes(step.messageBytes)} × ${step.messages}`;
    case 'c-channel':
      return `C ${step.channel} ${formatBytes(step.bytes)}`;
    case 'floor-op':
      return `${step.op} ${step.codec} ${step.payload} ${formatSize(step.sizeElements)}`;
  }
}

/** Every step's key, checked unique: a plan that measures one thing twice is a mistake in the code that built it. */
export function planKeys(plan: readonly Step[]): string[] {
  const keys = plan.map(stepKey);
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) throw new Error(`the plan measures "${key}" twice`);
    seen.add(key);
  }
  return keys;
}

/**
 * The step as it can run now, or why it cannot: a step that takes an encode's bytes (`bytesOf`)
 * runs only after that encode succeeded, and a raw channel then carries ⌈bytes ÷ 4⌉ int32.
 */
export function resolveStep(step: Step, resultOf: (key: string) => StepResult | undefined): Step | string {
  if (!(step.kind === 'transfer' || step.kind === 'floor-op') || step.bytesOf === undefined) return step;
  const encode = resultOf(step.bytesOf);
  if (encode?.kind !== 'floor-op' || !encode.ok || encode.bytes === null) {
    return `not run: it takes the bytes of ${step.bytesOf}, which ${encode ? 'failed' : 'did not run before it'}`;
  }
  if (step.kind === 'floor-op') return step;
  return { ...step, spec: { ...step.spec, sizeElements: Math.max(1, Math.ceil(encode.bytes / 4)) } };
}
