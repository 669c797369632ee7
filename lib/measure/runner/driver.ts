import type { RecordPlace } from '../../model/record';
import type { RunOptions, Runtime, TransferRecord, TransferSpec } from '../../model/types';

/**
 * What the runtime-neutral runner (run-transfer.ts) needs from one runtime: the transports it
 * knows, a way to run one transfer, and a way to stop every transfer it has running. A new
 * runtime is one object implementing this, added to the registry in run-transfer.ts.
 */
export interface RuntimeDriver {
  /** The runtime this driver runs: the `runtime` of every spec it is given. */
  readonly runtime: Runtime;
  /**
   * Every transport id a spec of this runtime may name (the CLI's and the API's check of
   * `spec.transport`, before anything is spawned); for Node, the bench's hidden ones too.
   */
  transportIds(): readonly string[];
  /**
   * Run one transfer and return its record. The spec and options have been checked and the
   * options filled with defaults. A transfer that fails (limits, a missing interpreter, a death,
   * a timeout, an interrupt) resolves to a failed record; it never rejects, and it leaves no
   * process, temp dir or shared-memory file behind once it resolves.
   */
  run(spec: TransferSpec, options: RunOptions, place: RecordPlace): Promise<TransferRecord>;
  /**
   * Stop every transfer of this runtime running in this process now: each ends as a failed
   * record, phase `interrupted`, after its normal teardown. Returns at once (does not wait).
   */
  abortAll(reason: string): void;
  /** Transfers of this runtime running in this process right now. */
  activeCount(): number;
}
