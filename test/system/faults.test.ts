import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import type { Fault, TransferRecord, TransferSpec } from '../../lib/model/types';
import { loadResults } from '../../lib/sweep/results-files';
import { runSweep } from '../../lib/sweep/sweep';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * Faults injected into every transport family — streams (pipe, tcp, unix), messages (queue, ipc,
 * transfer), shared memory (shared-array, raw-array; processes and threads), file, broker
 * (manager) and the CPython runtime. Each must end within its timeout as a failed record whose
 * reason names what happened; afterwards no process of the run may live and no temp, socket or
 * shared-memory file may remain.
 */
let iso: Isolation;
before(() => (iso = isolate('faults')));
after(() => iso.dispose());

const FAMILIES: Record<string, string[]> = {
  stream: ['pipe', 'tcp', 'unix'],
  message: ['queue', 'ipc', 'transfer'],
  'shared memory': ['shared-array', 'shared-array-thread', 'raw-array', 'raw-array-thread'],
  file: ['file'],
  broker: ['manager'],
};
const THREADS = new Set(['queue', 'transfer', 'shared-array-thread', 'raw-array-thread']);

/** Faults that hang wait for the timeout, so they run on one transport of each family. */
const HANG_TIMEOUT_SECONDS = 2;
const TIMEOUT_SECONDS = 30;

/** What the record must say, per transport, for `close-early` (half the data, then the channel closes). */
function closeEarlyReason(transport: string): RegExp {
  if (FAMILIES.stream.includes(transport)) return /the receiver failed: the peer closed the stream after \d+ of \d+ bytes of a frame/;
  if (transport === 'ipc') return /the receiver failed: the IPC channel closed before a message arrived/;
  if (THREADS.has(transport) && FAMILIES.message.includes(transport))
    return /the receiver failed: the sender closed the message port before a message arrived/;
  if (FAMILIES['shared memory'].includes(transport)) return /^data arrived corrupted: element 50000 is 0, expected 50000$/;
  if (transport === 'file') return /cannot decode the \d+-byte file \(truncated or corrupt\)/;
  return /the broker refused: a client closed its connection mid-request \(the peer closed the stream after \d+ of \d+ bytes/;
}

function killedReason(transport: string, role: 'sender' | 'receiver' | 'broker'): RegExp {
  const who = THREADS.has(transport) ? 'host process of the sender and receiver threads' : `the ${role}`;
  return new RegExp(`^${who.startsWith('the') ? who : `the ${who}`} was killed by SIGKILL before reporting$`);
}

interface Case {
  spec: TransferSpec;
  fault: Fault;
  expected: RegExp;
  phase: string;
}

const cases: Case[] = [];
const node = (transport: string): TransferSpec => ({ runtime: 'node', transport, payload: 'int32', sizeElements: 1e5 });
const cpython = (transport: string): TransferSpec => ({ runtime: 'cpython', transport, payload: 'list', sizeElements: 1e4 });
for (const [family, transports] of Object.entries(FAMILIES)) {
  for (const transport of transports) {
    cases.push({ spec: node(transport), fault: 'kill-sender', expected: killedReason(transport, 'sender'), phase: 'transfer' });
    cases.push({ spec: node(transport), fault: 'kill-receiver', expected: killedReason(transport, 'receiver'), phase: 'transfer' });
    cases.push({
      spec: node(transport),
      fault: 'close-early',
      expected: closeEarlyReason(transport),
      phase: /data arrived corrupted/.test(closeEarlyReason(transport).source) ? 'verify' : 'transfer',
    });
    cases.push({
      spec: node(transport),
      fault: 'corrupt',
      expected: /^data arrived corrupted: element 50000 is -1, expected 50000$/,
      phase: 'verify',
    });
  }
  const first = transports[0];
  cases.push({
    spec: node(first),
    fault: 'sender-never-ready',
    expected: /^no "ready" from sender within the 2 s timeout \(phase ready\)$/,
    phase: 'timeout',
  });
  cases.push({
    spec: node(first),
    fault: 'receiver-hangs',
    expected: /^no result from receiver within the 2 s timeout \(phase transfer\)$/,
    phase: 'timeout',
  });
  if (family === 'shared memory') {
    cases.push({
      spec: node('raw-array-thread'),
      fault: 'receiver-hangs',
      expected: /^no result from receiver within the 2 s timeout/,
      phase: 'timeout',
    });
  }
}
cases.push({ spec: node('manager'), fault: 'kill-broker', expected: killedReason('manager', 'broker'), phase: 'transfer' });
// CPython: the article's methods, behind their own main process.
cases.push(
  { spec: cpython('pipe'), fault: 'kill-sender', expected: /^the sender process was killed by SIGKILL/, phase: 'transfer' },
  { spec: cpython('pipe'), fault: 'kill-receiver', expected: /^the receiver process was killed by SIGKILL/, phase: 'transfer' },
  {
    spec: cpython('pipe'),
    fault: 'close-early',
    expected: /^receiver: UnpicklingError: pickle data was truncated$/,
    phase: 'transfer',
  },
  {
    spec: cpython('tcp'),
    fault: 'close-early',
    expected: /^receiver: UnpicklingError: pickle data was truncated$/,
    phase: 'transfer',
  },
  { spec: cpython('raw-array'), fault: 'close-early', expected: /^receiver: element 5000 is 0, expected 5000$/, phase: 'verify' },
  { spec: cpython('shared-array'), fault: 'corrupt', expected: /^receiver: element 5000 is -1, expected 5000$/, phase: 'verify' },
  {
    spec: cpython('manager'),
    fault: 'kill-broker',
    expected:
      /^the manager's server process was killed by SIGKILL .*\((sender|receiver): lost the connection to the manager's server process/,
    phase: 'transfer',
  },
  {
    spec: cpython('queue'),
    fault: 'sender-never-ready',
    expected: /^no result within 2 s: killed the process group/,
    phase: 'timeout',
  },
  { spec: cpython('file'), fault: 'receiver-hangs', expected: /^no result within 2 s: killed the process group/, phase: 'timeout' },
);

for (const c of cases) {
  const hangs = c.phase === 'timeout';
  test(`${c.spec.runtime} ${c.spec.transport} ${c.fault}: a failed record, in time, nothing left`, async () => {
    const timeoutSeconds = hangs ? HANG_TIMEOUT_SECONDS : TIMEOUT_SECONDS;
    const startedMs = Date.now();
    const r = await runTransfer(c.spec, { fault: c.fault, timeoutSeconds });
    const elapsedSeconds = (Date.now() - startedMs) / 1000;
    assert.equal(r.ok, false);
    assert.match(r.error, c.expected);
    assert.equal(r.failedPhase, c.phase, r.error);
    // The timeout, plus teardown (a 200 ms grace, then SIGKILL and reaping).
    assert.ok(elapsedSeconds < timeoutSeconds + 3, `took ${elapsedSeconds} s`);
    assert.deepEqual(await iso.waitForNoProcesses(), [], 'no process of the run alive');
    assert.deepEqual(iso.leftoverFiles(), [], 'no temp, socket or shared-memory file left');
  });
}

test('a sweep whose middle configuration faults keeps the records before and after it intact', async () => {
  const outDir = path.join(iso.tmpRoot, 'results');
  let index = 0;
  const result = await runSweep({
    config: { runtimes: ['node'], transports: ['pipe'], payloads: ['int32'], sizes: [10, 1e3, 1e4], repeats: 1, warmups: 0 },
    outDir,
    quiet: true,
    // The second transfer's sender is killed; the first and third run as usual.
    run: (spec, options, place) =>
      runTransfer(spec, { ...options, timeoutSeconds: 30, fault: index++ === 1 ? 'kill-sender' : 'none' }, place),
  });
  const saved = loadResults(outDir).records;
  assert.deepEqual(
    saved.map((r: TransferRecord) => [r.sizeElements, r.ok]),
    [
      [10, true],
      [1e3, false],
      [1e4, true],
    ],
  );
  assert.match(saved[1].error, /the sender was killed by SIGKILL/);
  assert.deepEqual(saved, result.records);
  assert.deepEqual(await iso.waitForNoProcesses(), []);
  assert.deepEqual(iso.leftoverFiles(), [outDir], 'only the results directory');
  for (const name of require('node:fs').readdirSync(outDir)) assert.match(name, /^records\.(json|csv)$/, 'no temp file beside the results');
});
