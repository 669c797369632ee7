/**
 * Why a notebook cell could fail with no text at all, and the fix.
 *
 * tslab 1.0.22 sends every message of a cell (text, displays, status) on its IOPub socket with
 * zeromq 6's `send`, without awaiting it. zeromq 6 allows one send in progress per socket and
 * answers at most 512 sends in a row at once: the 513th is put off to the event loop's next check
 * phase, and until then every further `send` throws EBUSY synchronously. A display then throws into
 * the cell, and console.log/error text (and the EBUSY's own report) is dropped without a word, as
 * Node's Console swallows synchronous write errors: after a long sweep's hundreds of progress
 * updates, a cell that printed twice in a row ended "error", with no text.
 *
 * `queueSends` makes a socket's sends wait for each other instead, in order; display.ts installs
 * it on tslab's Publisher when the notebook library loads in a kernel.
 */

/** What has a `send` to queue: a zeromq socket class's prototype (tslab ignores the promise). */
export interface SendingPrototype<M = unknown> {
  send(message: M): Promise<void>;
}

/** A socket's queue: how many sends wait, and the last send handed on (a put-off one is still pending). */
interface SocketQueue {
  waiting: number;
  last: Promise<void>;
}

const QUEUED = Symbol.for('ipc-lab.queued-sends');

function isBusy(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EBUSY';
}

/**
 * Make `send` on every socket of this prototype queue behind a send still in progress (zeromq's
 * EBUSY) instead of throwing. Sends go straight through while nothing waits. Idempotent.
 */
export function queueSends<M>(proto: SendingPrototype<M>): void {
  const marked = proto as SendingPrototype<M> & { [QUEUED]?: true };
  if (marked[QUEUED]) return;
  const original = proto.send;
  const queues = new WeakMap<object, SocketQueue>();

  function send(this: object, message: M): Promise<void> {
    const queue = queues.get(this) ?? { waiting: 0, last: Promise.resolve() };
    queues.set(this, queue);
    if (queue.waiting === 0) {
      try {
        queue.last = original.call(this, message);
        return queue.last;
      } catch (error) {
        if (!isBusy(error)) throw error;
      }
    }
    // Busy: wait for the send before, then try again; busy still (with a send that did not pass
    // through here), zeromq finishes that one in the check phase: try once more after it.
    const attempt = (): Promise<void> => {
      try {
        return original.call(this, message);
      } catch (error) {
        if (!isBusy(error)) return Promise.reject(error);
        return new Promise((resolve) => setImmediate(resolve)).then(attempt);
      }
    };
    queue.waiting++;
    queue.last = queue.last
      .catch(() => undefined)
      .then(attempt)
      .finally(() => queue.waiting--);
    return queue.last;
  }
  // Defined, not assigned: zeromq's sockets inherit a read-only `send` from the native class.
  Object.defineProperty(proto, 'send', { value: send, writable: true, configurable: true });
  marked[QUEUED] = true;
}

/**
 * Queue the sends of the kernel's IOPub socket, when running inside tslab's kernel (its
 * `lastWriteDisplayData` is set for every executed cell). The zeromq module is the one tslab
 * itself loaded, resolved from tslab's own folder. Returns whether it applies.
 */
export function queueKernelSends(): boolean {
  try {
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData?: unknown };
    if (typeof jupyter.lastWriteDisplayData !== 'function') return false;
    const zeromq = require(require.resolve('zeromq', { paths: [require.resolve('tslab')] })) as {
      Publisher: { prototype: SendingPrototype };
    };
    queueSends(zeromq.Publisher.prototype);
    return true;
  } catch {
    // No tslab or zeromq here: not a kernel, nothing to queue.
    return false;
  }
}
