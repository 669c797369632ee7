import { codecOfSpec, findTransport } from '../../model/catalog';
import { blankRecord, failRecord, type RecordPlace } from '../../model/record';
import { type RunOptions, TRANSFER_PAYLOADS, type TransferRecord, type TransferSpec } from '../../model/types';
import { serializerOf } from '../codecs/index';
import { messageLimit } from '../messages/message';
import type { Transport } from '../transport';
import { LOADABLE_TRANSPORT_IDS, loadTransport, MESSAGE_TRANSPORT_IDS } from '../transports/index';
import type { RuntimeDriver } from './driver';
import { BUN_ENGINE, DENO_ENGINE, engineProblem, type JsEngine, NODE_ENGINE } from './engines';
import { ActiveTransfer } from './js-transfer';
import { jsPeerCommand } from './launch';
import { autoHeapLimitMb, memoryLimit } from './limits';
import { runtimeLimit } from './runtime-limits';

/**
 * The JavaScript runtimes (Node, Bun, Deno): this toolkit's transports (lib/measure/transports/),
 * each transfer run by an ActiveTransfer (js-transfer.ts) whose peers the runtime's own binary
 * starts (engines.ts), after the runtime's, the transport's and the memory limits allow it.
 */

/** Every transfer still running in this process, for the exit and interrupt handlers. */
const active = new Set<ActiveTransfer>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the process exits with transfers still running (an uncaught error, or
  // process.exit from a signal handler): kill their process groups and remove their dirs, synchronously.
  process.on('exit', () => {
    for (const transfer of active) transfer.killNowSync();
  });
}

/** Run one transfer in a JavaScript runtime; its spec and options are checked and complete (see run-transfer.ts). */
async function runJsTransfer(engine: JsEngine, given: TransferSpec, opts: RunOptions, place: RecordPlace): Promise<TransferRecord> {
  // Peers are told the codec by name, the analog included, so none of them guesses a default.
  const spec: TransferSpec = { ...given, codec: codecOfSpec(given) };
  const record = blankRecord(spec, place);
  record.runtimeVersion = engine.version();
  const missing = engineProblem(engine);
  if (missing) return failRecord(record, 'limits', missing);
  let transport: Transport;
  try {
    transport = loadTransport(spec.transport);
  } catch (error) {
    return failRecord(record, 'limits', (error as Error).message);
  }
  const heapLimitMb = opts.heapLimitMb > 0 ? opts.heapLimitMb : autoHeapLimitMb(spec);
  record.heapLimitMb = engine.heapLimit ? heapLimitMb : null;
  const messages = (spec.pattern ?? 'transfer') !== 'transfer';
  const codecLimit =
    serializerOf(spec.codec as string)?.limit(spec.payload, messages ? Math.ceil(Number(spec.messageBytes) / 4) : spec.sizeElements) ??
    null;
  // The transport's own limit first: ipc maps its codec to a serialization mode with limits of its own.
  // What this runtime is known not to do first: it names the runtime's own reason.
  const reason =
    runtimeLimit(engine, spec, heapLimitMb) ??
    (messages
      ? (messagePatternLimit(transport, spec) ?? transport.limit?.(spec) ?? codecLimit)
      : (transferPayloadLimit(spec) ?? transport.limit?.(spec) ?? codecLimit ?? memoryLimit(spec, heapLimitMb, engine.heapLimit)));
  if (reason) return failRecord(record, 'limits', reason);
  const command = jsPeerCommand(engine, heapLimitMb);
  return runToRecord(
    new ActiveTransfer(spec, transport, opts, heapLimitMb, { sender: command, receiver: command }, engine.runtime),
    record,
  );
}

/**
 * Run a transfer whose limits allow it, always tear it down, and fill the record: known to the
 * exit and interrupt handlers while it runs. Every transfer of the JavaScript runtimes and of the
 * pairs across runtimes (pair-driver.ts) goes through here.
 */
export async function runToRecord(transfer: ActiveTransfer, record: TransferRecord): Promise<TransferRecord> {
  active.add(transfer);
  installExitHook();
  try {
    await transfer.run();
  } finally {
    await transfer.teardown();
    active.delete(transfer);
  }
  // After teardown: by then every peer's exit status and last words are in, so a death is named precisely.
  transfer.finish(record);
  return record;
}

/** The transfers running now whose owner is `owner` (a runtime, or `pair`). */
export function activeTransfersOf(owner: string): ActiveTransfer[] {
  return [...active].filter((transfer) => transfer.owner === owner);
}

/** Why a transport cannot run a message pattern with these messages, or null. */
function messagePatternLimit(transport: Transport, spec: TransferSpec): string | null {
  if (!findTransport('node', transport.info.id))
    return `${transport.info.id} is not a listed transport (a bench channel or a test double): it carries the one-shot transfer only`;
  if (!transport.messages) {
    return `${transport.info.id} carries one payload, not a stream of messages: the message patterns run on ${MESSAGE_TRANSPORT_IDS.join(', ')}`;
  }
  return messageLimit(spec.payload, Number(spec.messageBytes));
}

/** A transfer sends the article's list or an Int32Array; bytes and object are message payloads. */
export function transferPayloadLimit(spec: TransferSpec): string | null {
  return TRANSFER_PAYLOADS.includes(spec.payload)
    ? null
    : `a transfer sends ${TRANSFER_PAYLOADS.join(' or ')} payloads; ${spec.payload} is a message payload (pattern roundtrip or rate)`;
}

/** A JavaScript runtime's driver: transports from lib/measure/transports/index.ts, the bench's hidden ones included. */
function jsDriver(engine: JsEngine): RuntimeDriver {
  const mine = () => activeTransfersOf(engine.runtime);
  return {
    runtime: engine.runtime,
    transportIds: () => LOADABLE_TRANSPORT_IDS,
    run: (spec, opts, place) => runJsTransfer(engine, spec, opts, place),
    abortAll(reason: string): void {
      for (const transfer of mine()) transfer.abort(reason);
    },
    activeCount: () => mine().length,
  };
}

export const nodeDriver = jsDriver(NODE_ENGINE);
export const bunDriver = jsDriver(BUN_ENGINE);
export const denoDriver = jsDriver(DENO_ENGINE);
