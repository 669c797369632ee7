import type { Transport } from '../transport';
import { rawPipeChunked, rawPipeDirect, rawTcpChunked, rawTcpDirect, rawUnixChunked, rawUnixDirect } from './baselines/baseline';
import { fake } from './fake/fake';
import { file } from './file';
import { handoffMemfd, handoffName } from './handoff';
import { ipcAdvanced, ipcJson } from './ipc';
import { manager } from './manager';
import { pipe } from './pipe';
import { queue } from './queue';
import { rawArrayProcesses, rawArrayThreads } from './raw-array';
import { ringProcesses, ringThreads } from './ring';
import { sharedArrayProcesses, sharedArrayThreads } from './shared-array';
import { tcp, unix } from './socket';
import { transfer } from './transfer';

/**
 * Node transports by id. Each lives in its own file; a file may define a process and a thread
 * variant of one method (shared-array, raw-array) or two serializations (ipc). Imported
 * statically: tslab (the notebooks' kernel) compiles only the modules a program imports.
 */
const TRANSPORTS: Record<string, Transport> = {
  queue,
  pipe,
  ipc: ipcAdvanced,
  'ipc-json': ipcJson,
  'shared-array': sharedArrayProcesses,
  'shared-array-thread': sharedArrayThreads,
  manager,
  'raw-array': rawArrayProcesses,
  'raw-array-thread': rawArrayThreads,
  file,
  tcp,
  unix,
  transfer,
  ring: ringProcesses,
  'ring-thread': ringThreads,
  handoff: handoffMemfd,
  'handoff-name': handoffName,
};

/** The bench's raw baselines and a test double: loadable by id, never listed (not in the catalog, the CLI or `all`). */
const HIDDEN: Record<string, Transport> = {
  'raw-pipe': rawPipeDirect,
  'raw-tcp': rawTcpDirect,
  'raw-unix': rawUnixDirect,
  'raw-pipe-chunked': rawPipeChunked,
  'raw-tcp-chunked': rawTcpChunked,
  'raw-unix-chunked': rawUnixChunked,
  fake,
};

export const NODE_TRANSPORT_IDS: readonly string[] = Object.keys(TRANSPORTS);

/** The listed transports that carry the message patterns (round trip, rate). */
export const MESSAGE_TRANSPORT_IDS: readonly string[] = NODE_TRANSPORT_IDS.filter((id) => TRANSPORTS[id].messages !== undefined);

/** Every id loadTransport accepts: the listed transports, then the hidden ones. */
export const LOADABLE_TRANSPORT_IDS: readonly string[] = [...NODE_TRANSPORT_IDS, ...Object.keys(HIDDEN)];

export function loadTransport(id: string): Transport {
  const transport = TRANSPORTS[id] ?? HIDDEN[id];
  if (!transport) throw new Error(`unknown node transport "${id}": valid are ${NODE_TRANSPORT_IDS.join(', ')}`);
  return transport;
}
