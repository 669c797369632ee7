import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import type { RunOptions, TransferSpec } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * What a transport cannot carry is refused before anything runs: a failed record, phase
 * `limits`, in milliseconds, with nothing spawned. A peer that runs out of V8 heap anyway is a
 * failed record naming the peer and the heap limit.
 */
let iso: Isolation;
before(() => (iso = isolate('limits')));
after(() => iso.dispose());

const MAX = 2 ** 31 - 1;
const spec = (transport: string, payload: 'list' | 'int32', sizeElements: number, runtime: 'node' | 'cpython' = 'node'): TransferSpec => ({
  runtime,
  transport,
  payload,
  sizeElements,
});

const CASES: { what: string; spec: TransferSpec; options?: Partial<RunOptions>; expected: RegExp }[] = [
  {
    what: "JSON IPC beyond V8's string limit",
    spec: spec('ipc-json', 'list', 1e8),
    expected: /JSON serialization would need a \d+-character string, beyond V8's limit of 536870888/,
  },
  {
    what: 'advanced IPC beyond its 4 GiB message frame',
    spec: spec('ipc', 'int32', MAX),
    expected: /exceeds the 4 GiB frame of 'advanced' IPC/,
  },
  {
    what: 'a pipe frame beyond 4 GiB',
    spec: spec('pipe', 'int32', MAX),
    expected: /beyond Node's largest Buffer \(4294967296 bytes, 4 GiB\)/,
  },
  {
    what: 'a TCP frame beyond 4 GiB',
    spec: spec('tcp', 'list', 1e9),
    expected: /v8\.serialize of 1000000000 list elements may need \d+ bytes, beyond Node's largest Buffer/,
  },
  { what: 'a manager call beyond 4 GiB', spec: spec('manager', 'list', 1e9), expected: /beyond Node's largest Buffer/ },
  { what: 'a file beyond 4 GiB', spec: spec('file', 'int32', MAX), expected: /beyond Node's largest Buffer/ },
  {
    what: 'more memory than the machine has',
    spec: spec('queue', 'list', MAX),
    expected: /needs about \d+\.\d GiB of memory in its two peers, the machine has \d+\.\d GiB available/,
  },
  {
    what: 'a payload beyond the V8 heap limit',
    spec: spec('pipe', 'list', 1e7),
    options: { heapLimitMb: 64 },
    expected: /the payload needs about 0\.1 GiB of V8 heap, more than the 64 MiB heap limit: raise --heap-mb/,
  },
  {
    what: 'a payload the cpython runtime does not send',
    spec: spec('pipe', 'int32', 10, 'cpython'),
    expected: /the cpython runtime sends the article's list payload only/,
  },
];

for (const c of CASES) {
  test(`${c.what}: refused in milliseconds, before anything runs`, async () => {
    const startedMs = Date.now();
    const r = await runTransfer(c.spec, { timeoutSeconds: 60, ...c.options });
    const elapsedMs = Date.now() - startedMs;
    assert.equal(r.ok, false);
    assert.equal(r.failedPhase, 'limits', r.error);
    assert.match(r.error, c.expected);
    assert.ok(elapsedMs < 1000, `took ${elapsedMs} ms`);
    assert.deepEqual(iso.livingProcesses(), [], 'nothing spawned');
    assert.deepEqual(iso.leftoverFiles(), [], 'nothing written');
  });
}

test('the int32 value range bounds every size, before any transport is asked', async () => {
  await assert.rejects(runTransfer(spec('raw-array', 'int32', 2 ** 31)), /size 2147483648 is not valid \(above the largest int32\)/);
});

test('a peer that runs out of V8 heap anyway is a failed record naming the peer and the heap limit', async () => {
  // 2·10^6 integers pass the heap pre-check at 32 MiB (2 × 16 MB of list), but as JSON text
  // (≈ 15 MB of string) beside the list they do not fit.
  const startedMs = Date.now();
  const r = await runTransfer(spec('ipc-json', 'list', 2e6), { heapLimitMb: 32, timeoutSeconds: 60 });
  assert.equal(r.ok, false);
  assert.equal(r.failedPhase, 'transfer', r.error);
  assert.match(r.error, /^the (sender|receiver) ran out of memory \(V8 heap limit 32 MiB; raise it with --heap-mb\)$/);
  assert.equal(r.heapLimitMb, 32);
  assert.ok(Date.now() - startedMs < 30_000);
  assert.deepEqual(await iso.waitForNoProcesses(), []);
  assert.deepEqual(iso.leftoverFiles(), []);
});
