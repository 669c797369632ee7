/**
 * The one measuring loop (lib/sweep/run-plan.ts) with a fake step runner: steps run in plan order
 * and are saved after each one, a step whose input failed is a result saying why, a failed save
 * stops the loop with one line, an interrupt stops it after the running step with what was
 * measured saved, and the runner is closed however the plan ends. Nothing real runs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, mock, test } from 'node:test';
import { PathError } from '../../lib/model/path-errors';
import { blankRecord } from '../../lib/model/record';
import { UsageError } from '../../lib/model/usage-error';
import { loadRun, STEPS_FILE } from '../../lib/sweep/plan-files';
import { runPlan } from '../../lib/sweep/run-plan';
import type { StepRunner } from '../../lib/sweep/run-step';
import { type FloorOpStep, type Step, type StepResult, stepKey, type TransferStep } from '../../lib/sweep/steps';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-run-plan-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
afterEach(() => mock.restoreAll());

const transfer = (sizeElements: number, round = 0): TransferStep => ({
  kind: 'transfer',
  spec: { runtime: 'node', transport: 'pipe', payload: 'int32', sizeElements },
  round,
  warmup: false,
});
const floorOp = (op: FloorOpStep['op'], bytesOf?: string): FloorOpStep => ({
  kind: 'floor-op',
  op,
  payload: 'int32',
  sizeElements: 10,
  codec: 'v8',
  round: 0,
  table: 'floor',
  ...(bytesOf ? { bytesOf } : {}),
});

/** A runner that answers every step at once (an encode fails when told to), noting what it ran, what was on disk then, and its close. */
function fakeRunner(dir: string | null, opts: { failEncode?: boolean; during?: (index: number) => void } = {}) {
  const ran: string[] = [];
  const savedBefore: number[] = [];
  const aborted: string[] = [];
  let closed = 0;
  const runner: StepRunner = {
    async run(step: Step, key: string, { runId }) {
      if (dir) savedBefore.push(loadRun(dir).records.length + loadRun(dir).steps.length);
      opts.during?.(ran.length);
      ran.push(key);
      if (step.kind === 'transfer') {
        const record = { ...blankRecord(step.spec, { runId, repeat: step.round, warmup: false }), ok: true, totalSeconds: 0.5 };
        return { kind: 'transfer', key, step, ok: true, error: '', record };
      }
      if (step.kind === 'floor-op') {
        if (step.op === 'encode' && opts.failEncode)
          return { kind: 'floor-op', key, step, ok: false, error: 'encode: boom', seconds: {}, bytes: null };
        return {
          kind: 'floor-op',
          key,
          step,
          ok: true,
          error: '',
          seconds: { [step.op]: 0.25 },
          bytes: step.op === 'encode' ? 4000 : null,
        };
      }
      throw new Error(`the fake runs no ${step.kind}`);
    },
    abort: (reason) => aborted.push(reason),
    close: async () => {
      closed++;
    },
  };
  return { runner, ran, savedBefore, aborted, closed: () => closed };
}

test('steps run in plan order, each saved before the next starts; a raw channel takes its encode’s byte count; the runner is closed', async () => {
  const dir = path.join(scratch, 'order');
  const encode = floorOp('encode');
  const raw: TransferStep = { ...transfer(10), spec: { ...transfer(10).spec, transport: 'raw-pipe' }, bytesOf: stepKey(encode) };
  const plan: Step[] = [transfer(10), encode, raw, floorOp('decode', stepKey(encode)), transfer(100)];
  const fake = fakeRunner(dir);
  const result = await runPlan(plan, { outDir: dir, quiet: true, runner: () => fake.runner });
  assert.deepEqual(fake.ran, plan.map(stepKey), 'in plan order');
  assert.deepEqual(fake.savedBefore, [0, 1, 2, 3, 4], 'every earlier step on disk when the next starts');
  assert.equal(fake.closed(), 1);
  assert.deepEqual(
    result.results.map((r) => r.kind),
    ['transfer', 'floor-op', 'transfer', 'floor-op', 'transfer'],
  );
  const rawRecord = result.records[1];
  assert.equal(rawRecord.transport, 'raw-pipe');
  assert.equal(rawRecord.sizeElements, 1000, '4000 encoded bytes are 1000 int32');
  const saved = loadRun(dir);
  assert.deepEqual(saved.records, result.records);
  assert.deepEqual(
    saved.steps.map((s) => s.key),
    [stepKey(encode), stepKey(plan[3])],
  );
  assert.equal(result.interrupted, null);
});

test('a sweep-like plan of transfers writes no steps.json; a plan in memory writes nothing', async () => {
  const dir = path.join(scratch, 'transfers-only');
  await runPlan([transfer(10), transfer(20)], { outDir: dir, quiet: true, runner: () => fakeRunner(dir).runner });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['records.csv', 'records.json']);
  const result = await runPlan([transfer(10)], { outDir: null, quiet: true, runner: () => fakeRunner(null).runner });
  assert.equal(result.paths, null);
  assert.equal(result.records.length, 1);
});

test('a step whose encode failed is not run: a result saying why, and the loop goes on', async () => {
  const encode = floorOp('encode');
  const plan: Step[] = [encode, floorOp('decode', stepKey(encode)), transfer(10)];
  const fake = fakeRunner(null, { failEncode: true });
  const result = await runPlan(plan, { outDir: null, quiet: true, runner: () => fake.runner });
  assert.deepEqual(fake.ran, [stepKey(encode), stepKey(plan[2])], 'the decode never reached the runner');
  const decode = result.results[1];
  assert.equal(decode.kind, 'not-run');
  assert.equal(decode.ok, false);
  assert.match(decode.error, /^not run: it takes the bytes of floor-op floor encode v8 int32 10 round 1, which failed$/);
  assert.equal(result.progress.failures.length, 2, 'the encode and the decode');
});

test('an interrupt stops the plan after the running step, with what was measured saved, and the runner aborted and closed', async () => {
  const dir = path.join(scratch, 'interrupted');
  const plan = [transfer(10), transfer(20), transfer(30), transfer(40)];
  // The second step is running when the signal comes.
  const fake = fakeRunner(dir, { during: (index) => index === 1 && process.emit('SIGINT', 'SIGINT') });
  const result = await runPlan(plan, { outDir: dir, quiet: true, runner: () => fake.runner });
  assert.equal(result.interrupted, 'interrupted by SIGINT');
  assert.equal(result.interruptedBy, 'SIGINT');
  assert.deepEqual(fake.aborted, ['interrupted by SIGINT']);
  assert.equal(fake.ran.length, 2, 'the running step ends; no other starts');
  assert.deepEqual(
    loadRun(dir).records.map((r) => r.sizeElements),
    [10, 20],
  );
  assert.equal(fake.closed(), 1);
  assert.equal(process.listenerCount('SIGINT'), 0, 'the loop stopped listening');
});

test('a save that fails mid-plan stops it with one line naming what is kept; the runner is closed', async () => {
  const dir = path.join(scratch, 'disk-full');
  const real = fs.writeFileSync;
  let writes = 0;
  let closed = 0;
  const fake = fakeRunner(dir);
  const runner: StepRunner = {
    ...fake.runner,
    close: async () => {
      closed++;
    },
  };
  // The first save writes records.csv, records.json and steps.json; the first step's save finds the disk full.
  mock.method(fs, 'writeFileSync', (...args: Parameters<typeof fs.writeFileSync>) => {
    if (++writes > 3) throw Object.assign(new Error('ENOSPC: injected'), { code: 'ENOSPC' });
    return real(...args);
  });
  const encode = floorOp('encode');
  await assert.rejects(runPlan([encode, transfer(10)], { outDir: dir, quiet: true, runner: () => runner }), (error: Error) => {
    assert.ok(error instanceof PathError, String(error));
    assert.match(
      error.message,
      /^results could not be saved, so the run stopped after 1 of 2 steps: cannot write ".*disk-full\/records\.csv": no space left on its file system \(ENOSPC\); .*disk-full keeps the 0 steps saved before$/,
    );
    return true;
  });
  mock.restoreAll();
  assert.equal(fake.ran.length, 1, 'no step after the failed save');
  assert.equal(closed, 1);
  assert.ok(!fs.readdirSync(dir).some((name) => name.endsWith('.tmp')), 'no temp file left');
  assert.equal(fs.existsSync(path.join(dir, STEPS_FILE)), true);
});

test('a plan that measures one thing twice is refused before anything runs', async () => {
  const fake = fakeRunner(null);
  await assert.rejects(
    runPlan([transfer(10), transfer(20), transfer(10)], { outDir: null, quiet: true, runner: () => fake.runner }),
    (error: Error) =>
      error instanceof UsageError && /^the plan measures "transfer node pipe v8 int32 10 round 1" twice/.test(error.message),
  );
  assert.deepEqual(fake.ran, []);
});

test('stepKey: equal configurations have equal keys, whatever the spelling; rounds, warm-ups and tables tell steps apart', () => {
  const implicit = transfer(10);
  const explicit: TransferStep = {
    warmup: false,
    round: 0,
    kind: 'transfer',
    spec: { codec: 'v8', sizeElements: 10, payload: 'int32', transport: 'pipe', runtime: 'node' },
  };
  assert.equal(stepKey(implicit), stepKey(explicit), 'the analog codec spelled out or not');
  assert.equal(stepKey({ ...implicit, spec: { ...implicit.spec, receiverRuntime: 'node' } }), stepKey(implicit), 'node:node is node');
  const keys = [
    implicit,
    transfer(10, 1),
    { ...implicit, warmup: true },
    { ...implicit, spec: { ...implicit.spec, codec: 'raw' } },
    { ...implicit, spec: { ...implicit.spec, receiverRuntime: 'cpython' } },
    { ...implicit, spec: { ...implicit.spec, pattern: 'rate', messageBytes: 64 } },
    floorOp('set-touched'),
    { ...floorOp('set-touched'), table: 'channel' },
    { ...floorOp('set-touched'), round: 1 },
    { kind: 'c-channel', channel: 'pipe', bytes: 40, round: 0 },
    { kind: 'c-channel', channel: 'pipe', bytes: 40, round: 1 },
    { kind: 'message-limit', source: 'c', channel: 'pipe', pattern: 'rate', messageBytes: 64, messages: 100, round: 0 },
    { kind: 'message-limit', source: 'node-minimal', channel: 'pipe', pattern: 'rate', messageBytes: 64, messages: 100, round: 0 },
  ].map((step) => stepKey(step as Step));
  assert.equal(new Set(keys).size, keys.length, keys.join('\n'));
});

test('a steps.json of schema 1 loads its refused limit rows as phase limits and the bare reason', async () => {
  const dir = path.join(scratch, 'steps-v1');
  await runPlan([transfer(10)], { outDir: dir, quiet: true, runner: () => fakeRunner(null).runner });
  const why = 'message size 8 is not a whole number of bytes from 64 to 1048576';
  const step = {
    kind: 'message-limit',
    source: 'node-minimal',
    channel: 'ipc-json',
    pattern: 'rate',
    messageBytes: 8,
    messages: 100,
    round: 0,
  };
  const row = { ...step, kind: undefined, runId: 'r1', warmupMessages: 10, ok: false, error: `limits: ${why}` };
  const result = { kind: 'message-limit', key: stepKey(step as Step), step, ok: false, error: `limits: ${why}`, row };
  fs.writeFileSync(path.join(dir, 'steps.json'), JSON.stringify({ schema: 1, runId: 'r1', transferKeys: [], results: [result] }));
  const [loaded] = loadRun(dir).steps as Extract<StepResult, { kind: 'message-limit' }>[];
  assert.deepEqual([loaded.row.failedPhase, loaded.row.error, loaded.error], ['limits', why, why]);
});

test('message limits still load from a run saved before steps.json, from its message-limits.json', async () => {
  const dir = path.join(scratch, 'old-limits');
  await runPlan([transfer(10)], { outDir: dir, quiet: true, runner: () => fakeRunner(null).runner });
  const row = { source: 'c', channel: 'pipe', pattern: 'rate', messageBytes: 64, messages: 100, round: 2, ok: true, error: null };
  // A refusal as that file kept it: the phase glued before the reason.
  const why = 'message size 8 is not a whole number of bytes from 64 to 1048576';
  const refused = { ...row, channel: 'ipc-json', source: 'node-minimal', messageBytes: 8, ok: false, error: `limits: ${why}` };
  fs.writeFileSync(path.join(dir, 'message-limits.json'), JSON.stringify({ schema: 1, runId: 'r1', rows: [row, refused] }));
  const loaded = loadRun(dir).steps as Extract<StepResult, { kind: 'message-limit' }>[];
  assert.equal(loaded.length, 2);
  assert.equal(loaded[0].kind, 'message-limit');
  assert.equal(loaded[0].key, 'message-limit c pipe rate 64B ×100 round 3');
  assert.deepEqual(loaded[0].row, { ...row, failedPhase: null });
  assert.deepEqual([loaded[1].row.failedPhase, loaded[1].row.error, loaded[1].error], ['limits', why, why]);
});
