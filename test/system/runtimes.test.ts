import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ENGINES } from '../../lib/measure/runner/engines';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { NODE_TRANSPORTS, patternsOf } from '../../lib/model/catalog';
import { describeFailure } from '../../lib/model/record';
import { type JsRuntime, TRANSFER_PAYLOADS, type TransferRecord } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * Bun and Deno run every Node transport through the same compiled peers: each transport with both
 * payloads at 10 and 10^5 elements arrives intact, timed on the one monotonic clock; each message
 * transport runs both patterns; a killed peer is a failed record naming the death in every
 * JavaScript runtime; what a runtime cannot do is a limits record naming runtime, version and API.
 * (Node's own smoke is smoke-transports.test.ts.) Nothing may be left running or on disk.
 */
let iso: Isolation;
before(() => (iso = isolate('runtimes')));
after(() => iso.dispose());

const OTHERS: readonly JsRuntime[] = ['bun', 'deno'];

/** How a receiver reads (lib/measure/direct-read.ts): Deno straight into its buffer as Node; Bun's streams through chunks, its file directly. */
function readWayOf(runtime: JsRuntime, transport: string): TransferRecord['readWay'] {
  if (!['pipe', 'unix', 'tcp', 'manager', 'file'].includes(transport)) return 'n/a';
  return runtime === 'bun' && transport !== 'file' ? 'chunked' : 'direct';
}

async function assertNothingLeft(): Promise<void> {
  assert.deepEqual(await iso.waitForNoProcesses(), [], 'no peer left running');
  assert.deepEqual(iso.leftoverFiles(), [], 'no temp, socket or shared-memory file left');
}

function assertRanIn(runtime: JsRuntime, r: TransferRecord): void {
  assert.equal(r.runtime, runtime);
  assert.equal(r.runtimeVersion, ENGINES[runtime].version());
  assert.match(r.runtimeVersion, /^\d+\.\d+\.\d+/);
  // Bun's JavaScriptCore has no V8 heap limit: its records do not claim one.
  assert.equal(r.heapLimitMb === null, runtime === 'bun', `heapLimitMb ${r.heapLimitMb}`);
}

for (const runtime of OTHERS) {
  for (const transport of NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('transfer'))) {
    test(`${runtime}: ${transport.id} carries both payloads intact at 10 and 1e5, on the shared clock`, async () => {
      for (const payload of TRANSFER_PAYLOADS) {
        for (const sizeElements of [10, 1e5]) {
          const r = await runTransfer({ runtime, transport: transport.id, payload, sizeElements }, { timeoutSeconds: 60 });
          assert.equal(r.ok, true, r.error);
          assertRanIn(runtime, r);
          assert.ok(r.verifySeconds !== null, 'the receiver verified the data');
          assert.equal(r.readWay, readWayOf(runtime, transport.id), 'how the receiver read');
          // Sender and receiver timestamps come from two processes (or threads): were their clocks
          // apart (Bun's and Deno's hrtime count from their own start), this would be negative or huge.
          assert.ok(r.totalSeconds !== null && r.totalSeconds > 0 && r.totalSeconds < 30, `total ${r.totalSeconds} s`);
          assert.ok((r.receiverPeakRssBytes ?? 0) > 1e6, 'peak RSS read');
        }
      }
      await assertNothingLeft();
    });
  }

  test(`${runtime}: every message transport runs both patterns, or says which API it lacks`, async () => {
    for (const transport of NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('roundtrip'))) {
      for (const pattern of ['roundtrip', 'rate'] as const) {
        // ipc-json carries objects (JSON has no bytes), every other transport bytes.
        const payload = transport.id === 'ipc-json' ? 'object' : 'bytes';
        const spec = { runtime, transport: transport.id, payload, sizeElements: 200, pattern, messageBytes: 64 } as const;
        const r = await runTransfer(spec, { timeoutSeconds: 60 });
        if (runtime === 'deno' && transport.id === 'pipe') {
          assert.equal(r.failedPhase, 'limits', r.error);
          assert.match(r.error, /^the pipe's message patterns .*net\.Socket cannot wrap a FIFO's fd/);
          assert.match(r.runtimeVersion, /^\d+\.\d+\.\d+$/, 'the version a field of the refusal');
          continue;
        }
        assert.equal(r.ok, true, r.error);
        assertRanIn(runtime, r);
        if (pattern === 'roundtrip') assert.ok((r.roundTripP50Seconds ?? 0) > 0 && (r.roundTripP50Seconds ?? 1) < 0.1);
        else assert.ok((r.messagesPerSecond ?? 0) > 100, `rate ${r.messagesPerSecond}`);
      }
    }
    await assertNothingLeft();
  });
}

test('a killed peer is a failed record naming the death, in every JavaScript runtime and topology', async () => {
  // One transport per topology: separate processes, a shell pipe, a forked child, worker threads.
  const topologies: [string, RegExp][] = [
    ['tcp', /the receiver was killed by SIGKILL before reporting$/],
    ['pipe', /the receiver was killed by SIGKILL before reporting$/],
    ['ipc', /the receiver was killed by SIGKILL before reporting$/],
    ['queue', /the host process of the sender and receiver threads was killed by SIGKILL before reporting$/],
  ];
  for (const runtime of ['node', ...OTHERS] as const) {
    for (const [transport, reason] of topologies) {
      const startedMs = Date.now();
      const r = await runTransfer(
        { runtime, transport, payload: 'int32', sizeElements: 1e5 },
        { timeoutSeconds: 30, fault: 'kill-receiver' },
      );
      assert.equal(r.ok, false, `${runtime} ${transport}`);
      assert.equal(r.failedPhase, 'transfer', r.error);
      assert.match(r.error, reason);
      assert.match(describeFailure(r, { spec: r }), new RegExp(`^${runtime} ${transport} int32 1e5: failed \\(transfer\\): `));
      assert.ok(Date.now() - startedMs < 15_000, `${runtime} ${transport}: ended well within its timeout`);
    }
  }
  await assertNothingLeft();
});

test('what a runtime cannot do is a limits record of the runtime and its version, naming the API', async () => {
  // Bun's node:v8 serialize of a list needs ~150 B per element: 5×10^8 would need ~70 GiB.
  const bun = await runTransfer({ runtime: 'bun', transport: 'pipe', payload: 'list', sizeElements: 5e8 });
  assert.equal(bun.failedPhase, 'limits');
  assert.match(bun.error, /^node:v8 serialize of a plain list takes about 150 bytes/);
  assert.deepEqual([bun.runtime, /^\d+\.\d+\.\d+$/.test(bun.runtimeVersion)], ['bun', true]);
  assert.match(describeFailure(bun, { spec: bun }), /^bun pipe list 500000000: refused: node:v8 serialize/);
  // A runtime whose binary is missing is a limits record saying what to fix: here the variable that named it.
  const saved = process.env.IPC_LAB_DENO;
  process.env.IPC_LAB_DENO = '/nonexistent/deno';
  try {
    const deno = await runTransfer({ runtime: 'deno', transport: 'pipe', payload: 'int32', sizeElements: 10 });
    assert.equal(deno.failedPhase, 'limits');
    assert.match(
      deno.error,
      /^IPC_LAB_DENO is "\/nonexistent\/deno", which is not an executable file: point it at the deno binary, or unset it/,
    );
  } finally {
    if (saved === undefined) delete process.env.IPC_LAB_DENO;
    else process.env.IPC_LAB_DENO = saved;
  }
  await assertNothingLeft();
});

test("Deno's worker drop of a large message is refused before it can hang, with the heap that would carry it", async () => {
  const r = await runTransfer({ runtime: 'deno', transport: 'queue', payload: 'int32', sizeElements: 1e8 }, { heapLimitMb: 2164 });
  assert.equal(r.failedPhase, 'limits', r.error);
  assert.match(r.error, /^a worker with resourceLimits drops a message .* give --heap-mb 3052 or more$/);
  assert.match(r.runtimeVersion, /^\d+\.\d+\.\d+$/);
  const carried = await runTransfer({ runtime: 'deno', transport: 'queue', payload: 'int32', sizeElements: 1e6 }, { heapLimitMb: 64 });
  assert.equal(carried.ok, true, carried.error);
  await assertNothingLeft();
});
