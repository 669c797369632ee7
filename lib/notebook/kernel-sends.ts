/**
 * Why a notebook cell could fail with no text at all, and the fix.
 *
 * tslab 1.0.22 sends every message of a cell (stdout and stderr text, displays, the busy and idle
 * status) on its IOPub socket with zeromq 6's `send`, without awaiting it. zeromq 6 allows one
 * send in progress per socket, and it answers at most 512 sends in a row at once: the next one
 * (513th since the socket last waited) is put off to the event loop's next check phase, and until
 * then every further `send` throws EBUSY ("Socket is busy writing") synchronously. Any two
 * messages in one synchronous stretch after that boundary lose the second: a display throws into
 * the cell; text written with console.log/error is dropped without a word, because Node's Console
 * swallows synchronous write errors. The thrown EBUSY's own report, printed in the same stretch,
 * is dropped too. After a long sweep (hundreds of progress updates) the boundary came up in a cell
 * that printed or displayed twice in a row: the kernel replied "error", with no text.
 *
 * `queueSends` makes a socket's sends wait for each other instead: nothing is dropped, and the
 * messages keep their order. It is installed on tslab's Publisher when the notebook library loads
 * in a kernel (see display.ts).
 */

/** What has a `send` to queue: a zeromq socket class's prototype (tslab ignores the promise). */
export interface SendingPrototype<M = unknown> {
  send(message: M): Promise<void>;
}

interface Waiting<M> {
  message: M;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface SocketQueue<M> {
  waiting: Waiting<M>[];
  /** The send last handed to zeromq: a put-off one is still pending. */
  inFlight: Promise<unknown>;
  draining: boolean;
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
  const queues = new WeakMap<object, SocketQueue<M>>();

  const drain = async (socket: object, queue: SocketQueue<M>): Promise<void> => {
    queue.draining = true;
    try {
      while (queue.waiting.length > 0) {
        await queue.inFlight.catch(() => undefined);
        const next = queue.waiting[0];
        try {
          queue.inFlight = original.call(socket, next.message);
        } catch (error) {
          // Busy with a send that did not pass through here: zeromq finishes it in the check phase.
          if (isBusy(error)) queue.inFlight = new Promise((resolve) => setImmediate(resolve));
          else {
            queue.waiting.shift();
            next.reject(error);
          }
          continue;
        }
        queue.waiting.shift();
        queue.inFlight.then(next.resolve, next.reject);
      }
    } finally {
      queue.draining = false;
    }
  };

  function send(this: object, message: M): Promise<void> {
    let queue = queues.get(this);
    if (queue === undefined) {
      queue = { waiting: [], inFlight: Promise.resolve(), draining: false };
      queues.set(this, queue);
    }
    if (queue.waiting.length === 0) {
      try {
        const sent = original.call(this, message);
        queue.inFlight = sent;
        return sent;
      } catch (error) {
        if (!isBusy(error)) throw error;
      }
    }
    const waiting = queue;
    return new Promise<void>((resolve, reject) => {
      waiting.waiting.push({ message, resolve, reject });
      if (!waiting.draining) void drain(this, waiting);
    });
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
