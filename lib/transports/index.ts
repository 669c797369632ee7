import type { Transport } from '../transport';

/**
 * Node transports by id. Each lives in its own file; a file may define a process and a thread
 * variant of one method (shared-array, raw-array) or two serializations (ipc).
 * Loaded lazily so a peer only loads the transport it runs.
 */
const MODULES: Record<string, () => Transport> = {
  queue: () => require('./queue').queue,
  pipe: () => require('./pipe').pipe,
  ipc: () => require('./ipc').ipcAdvanced,
  'ipc-json': () => require('./ipc').ipcJson,
  'shared-array': () => require('./shared-array').sharedArrayProcesses,
  'shared-array-thread': () => require('./shared-array').sharedArrayThreads,
  manager: () => require('./manager').manager,
  'raw-array': () => require('./raw-array').rawArrayProcesses,
  'raw-array-thread': () => require('./raw-array').rawArrayThreads,
  file: () => require('./file').file,
  tcp: () => require('./socket').tcp,
  unix: () => require('./socket').unix,
  transfer: () => require('./transfer').transfer,
};

/** The bench's raw baselines and a test double: loadable by id, never listed (not in the catalog, the CLI or `all`). */
const HIDDEN: Record<string, () => Transport> = {
  'raw-pipe': () => require('./baseline').rawPipe,
  'raw-tcp': () => require('./baseline').rawTcp,
  'raw-unix': () => require('./baseline').rawUnix,
  fake: () => require('./fake').fake,
};

export const NODE_TRANSPORT_IDS: readonly string[] = Object.keys(MODULES);

export function loadTransport(id: string): Transport {
  const load = MODULES[id] ?? HIDDEN[id];
  if (!load) throw new Error(`unknown node transport "${id}": valid are ${NODE_TRANSPORT_IDS.join(', ')}`);
  return load();
}
