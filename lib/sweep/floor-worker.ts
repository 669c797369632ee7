import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FloorOpReply, FloorOpRequest } from '../measure/floor-ops';
import { autoHeapLimitMb } from '../measure/runner/limits';
import { REPO_ROOT } from '../model/paths';
import type { Step } from './steps';

/**
 * The thread a plan's floor operations run in. They need the payload and a codec's copies in
 * memory at once (several GB for a list of 10^8), more than a notebook kernel's or a CLI's default
 * V8 heap: a worker thread gets its own heap limit (resourceLimits), sized once for the largest
 * payload of the plan, and keeps the payload between operations. A worker rather than a forked
 * process: it cannot outlive the process that started it (nothing to reap after a SIGKILL), and a
 * heap exhausted inside it is an 'error' event here, not a crash of the process that runs the plan.
 */

/** The worker's V8 heap for a plan: what a transfer's peer gets for the largest payload among its floor operations (0 when it has none). */
export function floorHeapMb(plan: readonly Step[]): number {
  let heapMb = 0;
  for (const step of plan) {
    if (step.kind !== 'floor-op') continue;
    const spec = { runtime: 'node' as const, transport: 'pipe', payload: step.payload, sizeElements: step.sizeElements };
    heapMb = Math.max(heapMb, autoHeapLimitMb(spec));
  }
  return heapMb;
}

/**
 * The worker's script: its compiled JavaScript when there is one on disk, else the TypeScript
 * source through ts-node (tslab compiles a notebook's imports in memory: __filename ends in .js
 * there, with no file behind it).
 */
function workerSource(): string {
  const compiled = path.join(__dirname, '..', 'measure', 'floor-ops-worker.js');
  if (fs.existsSync(compiled)) return `require(${JSON.stringify(compiled)});`;
  const source = JSON.stringify(path.join(REPO_ROOT, 'lib', 'measure', 'floor-ops-worker.ts'));
  const project = JSON.stringify(path.join(REPO_ROOT, 'tsconfig.json'));
  return `require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true, project: ${project} }); require(${source});`;
}

/** One worker at a time, started on the first operation; each operation is one request and one reply. */
export class FloorWorker {
  private worker: Worker | null = null;
  private pending: ((reply: FloorOpReply) => void) | null = null;
  private stoppedBy: string | null = null;

  constructor(readonly heapMb: number) {}

  /** Run one operation; resolves with its reply, or op-failed when the worker died or was stopped meanwhile. */
  run(request: FloorOpRequest): Promise<FloorOpReply> {
    if (this.stoppedBy !== null) return Promise.resolve({ type: 'op-failed', error: this.stoppedBy });
    const worker = this.worker ?? this.start();
    return new Promise((resolve) => {
      this.pending = resolve;
      worker.postMessage(request);
    });
  }

  /** Stop the running operation now (an interrupt): it fails with `reason`, and so does any later one. */
  abort(reason: string): void {
    this.stoppedBy = reason;
    this.answer({ type: 'op-failed', error: reason });
    void this.close();
  }

  /** End the worker, freeing its heap; resolves once it is gone. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(workerSource(), { eval: true, resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    worker.on('message', (reply: FloorOpReply) => this.answer(reply));
    // A heap exhausted or an uncaught error ends the worker: the operation fails, the next starts a new one.
    worker.on('error', (error) => this.lost(worker, `the floor operations' thread failed: ${error.message.split('\n')[0]}`));
    worker.on('exit', (code) => this.lost(worker, `the floor operations' thread ended (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private lost(worker: Worker, error: string): void {
    if (this.worker === worker) this.worker = null;
    this.answer({ type: 'op-failed', error });
  }

  private answer(reply: FloorOpReply): void {
    const pending = this.pending;
    this.pending = null;
    pending?.(reply);
  }
}
