import { pairLimit, pairTransport } from '../../model/pairs';
import { PAIR_PEER_PY } from '../../model/paths';
import { blankRecord, failRecord, type RecordPlace } from '../../model/record';
import type { RunOptions, Runtime, TransferRecord, TransferSpec } from '../../model/types';
import { serializerOf } from '../codecs/index';
import { findPython, probePyarrow, pythonPackagesEnv } from '../cpython/python-interpreter';
import type { Transport } from '../transport';
import { loadTransport } from '../transports/index';
import { ENGINES, engineProblem } from './engines';
import { activeTransfersOf, runToRecord } from './js-driver';
import { ActiveTransfer } from './js-transfer';
import { jsPeerCommand, type PeerCommand } from './launch';
import { autoHeapLimitMb, memoryLimit } from './limits';
import { runtimeLimit } from './runtime-limits';

/**
 * Pairs across runtimes (`node:cpython`, `cpython:node`, `bun:cpython`, `node:deno` …): one peer
 * in each runtime, joined by a channel both implement byte for byte (lib/model/pairs.ts). The
 * runner, the handshake, the topology and the teardown are the JavaScript runtimes' own
 * (ActiveTransfer, launch.ts): only how each role's process starts differs — a JavaScript
 * runtime's binary running the compiled peer, or CPython running lib/measure/cpython/pair_peer.py,
 * which speaks the same control protocol on fd 3.
 */

/** A side that can start, or why it cannot (a limits record that says what to install). */
type Side = { command: PeerCommand; version: string; heapLimited: boolean } | { problem: string; version?: string };

/** How a CPython peer starts: the interpreter the cpython runtime uses, with numpy (and pyarrow for arrow). */
async function cpythonSide(spec: TransferSpec, options: RunOptions): Promise<Side> {
  let python: Awaited<ReturnType<typeof findPython>>;
  try {
    python = await findPython(options.python);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  if (python.numpy === null) {
    return { problem: `numpy is not installed for ${python.path}: install Debian's python3-numpy (apt-get install python3-numpy)` };
  }
  if (spec.codec === 'arrow' && (await probePyarrow(python.path)) === null) {
    return {
      problem: `pyarrow is not installed for ${python.path}: run \`npx ts-node tools/setup/setup.ts\` (installs pyarrow into .cpython-packages/)`,
    };
  }
  return { command: { binary: python.path, args: [PAIR_PEER_PY], env: pythonPackagesEnv() }, version: python.version, heapLimited: false };
}

/** How a JavaScript runtime's peer starts, after that runtime's own known limits. */
function jsSide(runtime: Exclude<Runtime, 'cpython'>, spec: TransferSpec, heapLimitMb: number): Side {
  const engine = ENGINES[runtime];
  const missing = engineProblem(engine);
  if (missing) return { problem: missing };
  const refused = runtimeLimit(engine, spec, heapLimitMb);
  if (refused) return { problem: refused, version: engine.version() };
  return { command: jsPeerCommand(engine, heapLimitMb), version: engine.version(), heapLimited: engine.heapLimit };
}

/** Run one transfer of a pair; the spec has been checked (run-transfer.ts) and names two runtimes. */
async function runPairTransfer(given: TransferSpec, options: RunOptions, place: RecordPlace): Promise<TransferRecord> {
  const receiverRuntime = given.receiverRuntime as Runtime;
  const info = pairTransport({ sender: given.runtime, receiver: receiverRuntime }, given.transport);
  // Peers are told the codec by name; a pair's analog is its own (raw, not v8, where CPython is a side).
  const spec: TransferSpec = { ...given, codec: given.codec ?? info?.codecs[0] ?? 'none' };
  const record = blankRecord(spec, place);
  const refused = pairLimit(spec);
  if (refused) return failRecord(record, 'limits', refused);
  const heapLimitMb = options.heapLimitMb > 0 ? options.heapLimitMb : autoHeapLimitMb(spec);
  const sideOf = (runtime: Runtime) => (runtime === 'cpython' ? cpythonSide(spec, options) : jsSide(runtime, spec, heapLimitMb));
  const sides: Record<'sender' | 'receiver', Side> = { sender: await sideOf(spec.runtime), receiver: await sideOf(receiverRuntime) };
  const roles: ('sender' | 'receiver')[] = ['sender', 'receiver'];
  record.runtimeVersion = sides.sender.version ?? '';
  record.receiverRuntimeVersion = sides.receiver.version ?? '';
  for (const role of roles) {
    const side = sides[role];
    if ('problem' in side)
      return failRecord(record, 'limits', `the ${role} (${role === 'sender' ? spec.runtime : receiverRuntime}): ${side.problem}`);
  }
  const started = sides as Record<'sender' | 'receiver', Extract<Side, { command: PeerCommand }>>;
  const heapLimited = roles.some((role) => started[role].heapLimited);
  record.heapLimitMb = heapLimited ? heapLimitMb : null;
  const transport: Transport = loadTransport(spec.transport);
  const reason =
    transport.limit?.(spec) ??
    serializerOf(String(spec.codec))?.limit(spec.payload, spec.sizeElements) ??
    memoryLimit(spec, heapLimitMb, heapLimited);
  if (reason) return failRecord(record, 'limits', reason);
  const commands = { sender: started.sender.command, receiver: started.receiver.command };
  return runToRecord(new ActiveTransfer(spec, transport, options, heapLimitMb, commands, PAIR_OWNER), record);
}

const PAIR_OWNER = 'pair';

/** The pairs' driver: not one runtime's, so run-transfer.ts picks it for any spec whose receiver runs elsewhere. */
export const pairDriver = {
  run: runPairTransfer,
  abortAll(reason: string): void {
    for (const transfer of activeTransfersOf(PAIR_OWNER)) transfer.abort(reason);
  },
  activeCount: () => activeTransfersOf(PAIR_OWNER).length,
};
