import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * A full garbage collection now, outside any timed region: what the floor's operations do before
 * each is timed (floor-ops.ts), so that each starts on a heap holding only what its peer would
 * hold. A peer is a fresh process; the thread that runs the floor's operations one after another
 * would otherwise collect the last operation's garbage on the next one's clock. Measured at 10^8
 * (a v8 list, the floor's decode after its encode, 2–3 alternating fresh processes): 4.3–4.7 s
 * without a collection first, 2.2–2.7 s with one, where the receiving peers' decode took 2.2–3.6 s.
 *
 * Node exposes gc() only under --expose-gc, a V8 flag a worker thread cannot be started with; set
 * at run time, it makes gc() available to contexts created afterwards, such as a new vm context's.
 * The function is looked up once. Null where the runtime offers none (the collection is skipped).
 */
let collect: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('typeof gc === "function" ? gc : null');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
