import { failedRow, runMessageLimit } from '../measure/message-limits/index';
import { runNativeBaseline } from '../measure/native-baseline';
import { abortActiveTransfers, runTransfer } from '../measure/runner/run-transfer';
import type { RunOptions } from '../model/types';
import { FloorWorker, floorHeapMb } from './floor-worker';
import type { Step, StepResult } from './steps';

/**
 * How each kind of step is measured: the runner for transfers, the limit programs, the C program,
 * and the floor operations' worker thread. The loop (run-plan.ts) runs steps through a
 * StepRunner; tests give it a fake one.
 */

/** What a step runs with: the run's id (for records) and its options. */
export interface StepContext {
  runId: string;
  options: Partial<RunOptions>;
}

/** Runs the steps of one plan, one at a time. */
export interface StepRunner {
  /** Measure one step (already resolved, see resolveStep); a failure is a result, never a throw. */
  run(step: Step, key: string, context: StepContext): Promise<StepResult>;
  /** Stop what runs now (an interrupt): it ends as a failed result saying `reason`. */
  abort(reason: string): void;
  /** Let go of what the runner holds (the floor operations' thread); called once, however the plan ended. */
  close(): Promise<void>;
}

/** The one-line message of anything thrown. */
const oneLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** The real runners for a plan; `transfer` replaces runTransfer (tests inject faults through it). */
export function stepRunner(plan: readonly Step[], transfer: typeof runTransfer = runTransfer): StepRunner {
  const aborter = new AbortController();
  const heapMb = floorHeapMb(plan);
  // Arrow's operations get a thread of their own: loading apache-arrow makes every later concat
  // in its thread slow (see concatTurnedSlow in codecs/packed.ts), which would inflate the floor
  // of packed's decode measured after it — the peers never load arrow unless they carry it.
  const floors = new FloorWorker(heapMb);
  const arrowFloors = new FloorWorker(heapMb);
  return {
    async run(step, key, { runId, options }) {
      switch (step.kind) {
        case 'transfer': {
          const record = await transfer(step.spec, options, { runId, repeat: step.round, warmup: step.warmup });
          return { kind: 'transfer', key, step, ok: record.ok, error: record.error, record };
        }
        case 'message-limit': {
          const { source, channel, pattern, messageBytes, messages } = step;
          const limit = { timeoutSeconds: options.timeoutSeconds ?? 300, signal: aborter.signal };
          // A size the program does not take (ipc-json below 64 B) is a refused row (phase limits).
          const row = await runMessageLimit(source, channel, pattern, messageBytes, messages, limit).catch((error: Error) =>
            failedRow(step, error.message, 'limits'),
          );
          return { kind: 'message-limit', key, step, ok: row.ok, error: row.error ?? '', row: { ...row, round: step.round, runId } };
        }
        case 'c-channel': {
          const { channel, bytes } = step;
          const native = { channel, bytes, dest: 'fresh' as const, timeoutSeconds: options.timeoutSeconds, signal: aborter.signal };
          const { seconds, why } = await runNativeBaseline(native).then(
            ([result]) => (result.ok ? { seconds: result.seconds, why: '' } : { seconds: null, why: 'the bytes arrived wrong' }),
            (error: unknown) => ({ seconds: null, why: oneLine(error) }),
          );
          return { kind: 'c-channel', key, step, ok: seconds !== null, error: why ? `C ${channel}: ${why}` : '', seconds };
        }
        case 'floor-op': {
          const { op, payload, sizeElements, codec } = step;
          const worker = codec === 'arrow' ? arrowFloors : floors;
          const reply = await worker.run({ type: 'op', op, payload, sizeElements, codec, key, bytesOf: step.bytesOf ?? null });
          if (reply.type === 'op-done')
            return { kind: 'floor-op', key, step, ok: true, error: '', seconds: reply.seconds, bytes: reply.bytes };
          return { kind: 'floor-op', key, step, ok: false, error: `${op}: ${reply.error}`, seconds: {}, bytes: null };
        }
      }
    },
    abort(reason) {
      abortActiveTransfers(reason);
      aborter.abort();
      floors.abort(reason);
      arrowFloors.abort(reason);
    },
    close: async () => {
      await Promise.all([floors.close(), arrowFloors.close()]);
    },
  };
}
