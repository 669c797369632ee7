import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { findPython, probePyarrow } from '../../lib/measure/cpython/python-interpreter';
import { ENGINES, engineProblem } from '../../lib/measure/runner/engines';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { describeFailure } from '../../lib/model/record';
import type { Fault, Runtime, TransferSpec } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * Pairs across runtimes through the runner: a Node sender with a CPython receiver and back (and Bun
 * and Deno with CPython), over the hand-over and the byte channels with raw and Arrow frames. Every
 * element is checked on the other side; the records name both runtimes and count the copies; a
 * killed peer on either side is a failed record; nothing is left running or on disk; what a pair
 * cannot carry is a limits record saying what would run.
 */
let iso: Isolation;
before(() => (iso = isolate('pairs')));
after(() => iso.dispose());

const pythonProblem = findPython('').then(
  (python) => (python.numpy === null ? 'numpy is not installed for the CPython runtime' : null),
  (error: Error) => error.message,
);
const pyarrowMissing = findPython('').then(
  async (python) => (await probePyarrow(python.path)) === null,
  () => true,
);

async function assertNothingLeft(): Promise<void> {
  assert.deepEqual(await iso.waitForNoProcesses(), [], 'no process left running');
  assert.deepEqual(iso.leftoverFiles(), [], 'no temp, socket or shared-memory file left');
}

const run = (spec: Omit<TransferSpec, 'payload'> & { payload?: TransferSpec['payload'] }, fault: Fault = 'none') =>
  runTransfer({ payload: 'int32', ...spec } as TransferSpec, { timeoutSeconds: 60, fault });

test('node:cpython and cpython:node carry an Int32Array intact over the hand-over and raw and Arrow frames', async (t) => {
  const problem = await pythonProblem;
  if (problem) return t.skip(problem);
  const arrow = !(await pyarrowMissing);
  const channels: [string, string][] = [
    ['handoff', 'none'],
    ['unix', 'raw'],
    ['tcp', 'raw'],
    ['pipe', 'raw'],
    ...(arrow
      ? ([
          ['unix', 'arrow'],
          ['pipe', 'arrow'],
        ] as [string, string][])
      : []),
  ];
  for (const [runtime, receiverRuntime] of [
    ['node', 'cpython'],
    ['cpython', 'node'],
  ] as [Runtime, Runtime][]) {
    for (const [transport, codec] of channels) {
      for (const sizeElements of [10, 1e5]) {
        const what = `${runtime}:${receiverRuntime} ${transport}/${codec} ${sizeElements}`;
        const r = await run({ runtime, receiverRuntime, transport, codec: codec as TransferSpec['codec'], sizeElements });
        assert.equal(r.ok, true, `${what}: ${r.error}`);
        assert.deepEqual([r.senderRuntime, r.receiverRuntime, r.runtime], [runtime, receiverRuntime, runtime], what);
        assert.ok(r.runtimeVersion !== '' && r.receiverRuntimeVersion !== '', `${what}: both versions`);
        assert.ok(r.verifySeconds !== null && r.totalSeconds !== null && r.totalSeconds > 0, what);
        assert.equal(r.firstTouch, transport === 'handoff' ? 'sender' : 'receiver', what);
        if (transport === 'handoff') assert.equal(r.copies, 0, what);
        else assert.ok(r.copies !== null && r.copies >= 2, `${what}: copies ${r.copies}`);
      }
    }
  }
  await assertNothingLeft();
});

test('a corrupted element and a killed peer on either side of a pair are failed records, and nothing is left', async (t) => {
  const problem = await pythonProblem;
  if (problem) return t.skip(problem);
  for (const [runtime, receiverRuntime] of [
    ['node', 'cpython'],
    ['cpython', 'node'],
  ] as [Runtime, Runtime][]) {
    for (const transport of ['handoff', 'unix']) {
      const spec = {
        runtime,
        receiverRuntime,
        transport,
        codec: (transport === 'handoff' ? 'none' : 'raw') as TransferSpec['codec'],
        sizeElements: 1000,
      };
      const corrupt = await run(spec, 'corrupt');
      assert.equal(corrupt.ok, false);
      assert.equal(corrupt.failedPhase, 'verify', corrupt.error);
      assert.match(corrupt.error, /element 500 is -1, expected 500/);
      for (const fault of ['kill-sender', 'kill-receiver'] as const) {
        const r = await run(spec, fault);
        assert.equal(r.ok, false, `${runtime}:${receiverRuntime} ${transport} ${fault}`);
        assert.match(
          describeFailure(r, { spec: r }),
          new RegExp(`^${runtime}:${receiverRuntime} ${transport}\\S* int32 1e3: failed \\(\\w+\\): `),
        );
      }
    }
  }
  await assertNothingLeft();
});

test('Bun and Deno pair with CPython over the hand-over and a Unix socket', async (t) => {
  const problem = await pythonProblem;
  if (problem) return t.skip(problem);
  for (const js of ['bun', 'deno'] as const) {
    if (engineProblem(ENGINES[js])) continue;
    for (const [runtime, receiverRuntime] of [
      [js, 'cpython'],
      ['cpython', js],
    ] as [Runtime, Runtime][]) {
      for (const [transport, codec] of [
        ['handoff', 'none'],
        ['unix', 'raw'],
      ] as const) {
        const r = await run({ runtime, receiverRuntime, transport, codec, sizeElements: 1e5 });
        assert.equal(r.ok, true, `${runtime}:${receiverRuntime} ${transport}: ${r.error}`);
      }
    }
  }
  await assertNothingLeft();
});

test('what a pair cannot carry is a limits record that says what would run; node:node is node', async () => {
  const list = await run({
    runtime: 'node',
    receiverRuntime: 'cpython',
    transport: 'unix',
    codec: 'raw',
    payload: 'list',
    sizeElements: 10,
  });
  assert.equal(list.failedPhase, 'limits');
  assert.match(list.error, /^the pair node:cpython carries int32 .* use --payloads int32$/);
  assert.match(describeFailure(list, { spec: list }), /^node:cpython unix\/raw list 1e1: refused: the pair node:cpython carries int32 /);
  const queue = await run({ runtime: 'cpython', receiverRuntime: 'node', transport: 'queue', sizeElements: 10 });
  assert.equal(queue.failedPhase, 'limits');
  assert.match(queue.error, /runs handoff, handoff-name, unix, tcp, pipe/);
  const v8 = await run({ runtime: 'node', receiverRuntime: 'cpython', transport: 'tcp', codec: 'v8', sizeElements: 10 });
  assert.match(v8.error, /takes codec raw, arrow, not v8/);
  const same = await run({ runtime: 'node', receiverRuntime: 'node', transport: 'unix', codec: 'raw', sizeElements: 10 });
  assert.equal(same.ok, true, same.error);
  assert.equal(same.receiverRuntime, 'node');
  await assertNothingLeft();
});
