import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeSpec } from '../../lib/model/record';
import { UsageError } from '../../lib/model/usage-error';
import { describePlan, expandSweep, type PlannedTransfer, type SweepConfig } from '../../lib/sweep/plan';

/** "node pipe list 10 w0" / "… m1": a transfer in one short string, for order checks. */
const short = (t: PlannedTransfer): string =>
  `${t.spec.runtime} ${t.spec.transport} ${t.spec.payload} ${t.spec.sizeElements} ${t.warmup ? 'w' : 'm'}${t.repeat}`;

const base: SweepConfig = {
  runtimes: ['node'],
  transports: ['pipe', 'tcp'],
  payloads: ['list', 'int32'],
  sizes: [10, 100],
  repeats: 2,
  warmups: 1,
};

test('cartesian product in the order given, warm-ups before measured runs of each configuration', () => {
  const { transfers, notes } = expandSweep(base);
  assert.deepEqual(notes, []);
  assert.equal(transfers.length, 2 * 2 * 2 * 3); // transports × payloads × sizes × (1 warm-up + 2)
  assert.deepEqual(transfers.slice(0, 7).map(short), [
    'node pipe list 10 w0',
    'node pipe list 10 m0',
    'node pipe list 10 m1',
    'node pipe list 100 w0',
    'node pipe list 100 m0',
    'node pipe list 100 m1',
    'node pipe int32 10 w0',
  ]);
  assert.equal(short(transfers[12]), 'node tcp list 10 w0');
  assert.equal(short(transfers[23]), 'node tcp int32 100 m1');
});

test("'all' means every transport of that runtime, in catalog order", () => {
  const config: SweepConfig = {
    ...base,
    runtimes: ['node', 'cpython'],
    transports: 'all',
    payloads: ['list'],
    sizes: [10],
    repeats: 1,
    warmups: 0,
  };
  const ids = expandSweep(config).transfers.map((t) => `${t.spec.runtime}:${t.spec.transport}`);
  assert.deepEqual(ids, [
    'node:queue',
    'node:pipe',
    'node:ipc',
    'node:ipc-json',
    'node:shared-array',
    'node:shared-array-thread',
    'node:manager',
    'node:raw-array',
    'node:raw-array-thread',
    'node:file',
    'node:tcp',
    'node:unix',
    'node:transfer',
    'node:handoff',
    'node:handoff-name',
    'cpython:queue',
    'cpython:pipe',
    'cpython:shared-array',
    'cpython:manager',
    'cpython:raw-array',
    'cpython:file',
    'cpython:tcp',
    'cpython:shared-memory',
  ]);
});

test('combinations a runtime cannot run are skipped with one note each', () => {
  const config: SweepConfig = {
    runtimes: ['node', 'cpython'],
    transports: ['unix', 'pipe'],
    payloads: ['list', 'int32'],
    sizes: [10],
    repeats: 1,
    warmups: 0,
  };
  const { transfers, notes } = expandSweep(config);
  assert.deepEqual(transfers.map(short), [
    'node unix list 10 m0',
    'node unix int32 10 m0',
    'node pipe list 10 m0',
    'node pipe int32 10 m0',
    'cpython pipe list 10 m0',
  ]);
  assert.deepEqual(notes, ['cpython has no "unix" transport: skipped', 'cpython pipe cannot carry int32 payloads: skipped']);
});

test('bad configs are UsageErrors that name the problem', () => {
  const bad: Array<[Partial<SweepConfig>, RegExp]> = [
    [{ transports: ['pipr'] }, /unknown transport "pipr": did you mean "pipe"\?/],
    [{ runtimes: ['cpython'], transports: ['unix'] }, /transport "unix" exists only for node, bun, deno, not for cpython/],
    [{ runtimes: ['cpython'], payloads: ['int32'] }, /nothing to run: .*cpython transports cannot carry int32 payloads/],
    [{ sizes: [0] }, /size 0 is not valid/],
    [{ sizes: [2 ** 31] }, /size 2147483648 is not valid/],
    [{ sizes: [] }, /no size given/],
    [{ repeats: 0 }, /repeats 0 is not valid/],
    [{ warmups: -1 }, /warmups -1 is not valid/],
    [{ runtimes: [] }, /no runtime given/],
    [{ payloads: ['floats' as never] }, /unknown payload "floats"/],
  ];
  for (const [change, message] of bad) {
    assert.throws(
      () => expandSweep({ ...base, ...change }),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
    );
  }
});

test('a payload no selected transport of a runtime carries is one note, not one per transport', () => {
  const config: SweepConfig = {
    runtimes: ['node', 'cpython'],
    transports: 'all',
    payloads: ['int32'],
    sizes: [10],
    repeats: 1,
    warmups: 0,
  };
  const { transfers, notes } = expandSweep(config);
  assert.equal(transfers.length, 15);
  assert.deepEqual(notes, ['cpython transports cannot carry int32 payloads: skipped']);
});

test('expandSweep does not change its input and drops repeated sizes', () => {
  const config: SweepConfig = { ...base, sizes: [100, 10, 100], transports: ['tcp'], payloads: ['list'], warmups: 0, repeats: 1 };
  const before = JSON.stringify(config);
  const { transfers } = expandSweep(config);
  assert.equal(JSON.stringify(config), before);
  assert.deepEqual(
    transfers.map((t) => t.spec.sizeElements),
    [100, 10],
  );
});

test('describePlan: one line per configuration with its counts', () => {
  const plan = expandSweep({ ...base, transports: ['pipe'], payloads: ['list'], sizes: [1e8], warmups: 2, repeats: 3 });
  assert.deepEqual(describePlan(plan), ['node pipe list 1e8 ×3 (+2 warm-ups)']);
});

test('codecs: analog by default (implicit in the spec), all, or a list each transport takes', () => {
  const one = { ...base, sizes: [10], repeats: 1, warmups: 0 };
  const analog = expandSweep({ ...one, transports: ['pipe', 'queue'], payloads: ['int32'] });
  assert.deepEqual(
    analog.transfers.map((t) => t.spec.codec),
    [undefined, undefined],
  );
  assert.deepEqual(
    analog.transfers.map((t) => describeSpec(t.spec)),
    ['node pipe int32 1e1', 'node queue int32 1e1'],
  );

  const all = expandSweep({ ...one, transports: ['pipe', 'queue', 'raw-array'], payloads: ['int32'], codecs: 'all' });
  assert.deepEqual(
    all.transfers.map((t) => describeSpec(t.spec)),
    [
      'node pipe int32 1e1',
      'node pipe/json int32 1e1',
      'node pipe/raw int32 1e1',
      'node pipe/msgpackr int32 1e1',
      'node pipe/packed int32 1e1',
      'node pipe/arrow int32 1e1',
      'node queue int32 1e1',
      'node raw-array int32 1e1',
    ],
  );

  const listed = expandSweep({ ...one, transports: ['tcp', 'ipc', 'queue'], payloads: ['list'], codecs: ['raw', 'v8'] });
  assert.deepEqual(
    listed.transfers.map((t) => describeSpec(t.spec)),
    ['node tcp/raw list 1e1', 'node tcp list 1e1', 'node ipc list 1e1'],
  );
  assert.deepEqual(listed.notes, ['node ipc takes codec v8: raw skipped', 'node queue takes codec clone: raw, v8 skipped']);
  assert.throws(
    () => expandSweep({ ...one, transports: ['queue'], codecs: ['raw'] }),
    /nothing to run: .*node queue takes codec clone: raw skipped/,
  );
  assert.throws(() => expandSweep({ ...one, codecs: ['rae' as never] }), /unknown codec "rae": did you mean "raw"\?/);
});

test("codecs: 'analog' in a list stands for each transport's analog, once", () => {
  const one = { ...base, sizes: [10], repeats: 1, warmups: 0 };
  const plan = expandSweep({ ...one, transports: ['pipe', 'queue', 'ipc'], payloads: ['int32'], codecs: ['analog', 'raw', 'v8'] });
  assert.deepEqual(
    plan.transfers.map((t) => describeSpec(t.spec)),
    ['node pipe int32 1e1', 'node pipe/raw int32 1e1', 'node queue int32 1e1', 'node ipc int32 1e1'],
  );
  assert.deepEqual(plan.notes, ['node queue takes codec clone: raw, v8 skipped', 'node ipc takes codec v8: raw skipped']);
});

test('order: grouped runs a configuration’s repeats together; interleaved runs warm-ups, then round by round', () => {
  const config = { ...base, transports: ['pipe', 'tcp'], payloads: ['int32' as const], sizes: [10], repeats: 2, warmups: 1 };
  const show = (t: PlannedTransfer) => `${t.spec.transport}${t.warmup ? ' w' : ' r'}${t.repeat}`;
  assert.deepEqual(expandSweep(config).transfers.map(show), ['pipe w0', 'pipe r0', 'pipe r1', 'tcp w0', 'tcp r0', 'tcp r1']);
  assert.deepEqual(expandSweep({ ...config, order: 'grouped' }).transfers.map(show), expandSweep(config).transfers.map(show));
  assert.deepEqual(expandSweep({ ...config, order: 'interleaved' }).transfers.map(show), [
    'pipe w0',
    'tcp w0',
    'pipe r0',
    'tcp r0',
    'pipe r1',
    'tcp r1',
  ]);
  assert.throws(() => expandSweep({ ...config, order: 'random' as never }), /unknown order "random".*grouped, interleaved/);
});
