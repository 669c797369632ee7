import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { parseSweepArgs } from '../../lib/cli/args';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { loadResults } from '../../lib/sweep/results-files';
import { type Isolation, isolate } from '../helpers/isolation';
import { TYPESCRIPT_HOOK } from '../helpers/run-entry';

/**
 * A CLI sweep stopped from outside: SIGINT (Ctrl-C) and SIGTERM end it promptly with exit code
 * 130 or 143, every peer gone, every temp dir removed, and records.json holding the records so
 * far; SIGKILL (no cleanup possible) still leaves a records.json that loads. Two sweeps at once
 * do not collide.
 */
const REPO = path.resolve(__dirname, '..', '..');
let iso: Isolation;
before(() => (iso = isolate('interrupts')));
after(() => iso.dispose());

interface Sweep {
  child: ChildProcess;
  out: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startSweep(name: string, flags: string[]): Sweep {
  const out = path.join(iso.tmpRoot, 'results', name);
  const child = spawn(process.execPath, ['-r', TYPESCRIPT_HOOK, 'lib/cli/sweep.ts', ...flags, '--warmups', '0', '--out', out], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out, stderr: () => stderr, exited };
}

/** Wait until the sweep has saved `records` records (its progress line `[n/total]` on stderr). */
async function waitForRecords(sweep: Sweep, records: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!new RegExp(`^\\[${records}/\\d+\\]`, 'm').test(sweep.stderr())) {
    assert.ok(Date.now() < deadline, `no record line on stderr: ${sweep.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Nothing of the sweep's left: no process, and in the temp roots only its results directory. */
async function assertOnlyResultsLeft(out: string): Promise<void> {
  assert.deepEqual(await iso.waitForNoProcesses(5000), [], 'no process of the sweep alive');
  const left = iso.leftoverFiles().filter((file) => file !== path.dirname(out));
  assert.deepEqual(left, [], 'no temp dir, socket or shared-memory file left');
  for (const name of fs.readdirSync(out)) assert.match(name, /^records\.(json|csv)$/);
}

const NODE_SWEEP = ['--transports', 'pipe', '--payloads', 'int32', '--sizes', '1e5', '--repeats', '200'];
const CPYTHON_SWEEP = ['--runtime', 'cpython', '--transports', 'pipe', '--payloads', 'list', '--sizes', '1e4', '--repeats', '200'];
/** Message streams long enough (10^6 messages, a second or more each) for the signal to come mid-stream. */
const MESSAGE_SWEEP = [
  '--pattern',
  'rate',
  '--transports',
  'queue,pipe',
  '--message-sizes',
  '1KiB',
  '--messages',
  '1e6',
  '--repeats',
  '100',
];

for (const [signal, code, flags, runtime] of [
  ['SIGINT', 130, NODE_SWEEP, 'node'],
  ['SIGTERM', 143, NODE_SWEEP, 'node'],
  ['SIGINT', 130, CPYTHON_SWEEP, 'cpython'],
  ['SIGINT', 130, MESSAGE_SWEEP, 'message stream'],
] as const) {
  test(`${signal} stops a ${runtime} sweep promptly: exit ${code}, peers gone, records so far saved`, async () => {
    const sweep = startSweep(`${runtime}-${signal}`, [...flags]);
    await waitForRecords(sweep, 1);
    const signalledMs = Date.now();
    sweep.child.kill(signal);
    const exit = await sweep.exited;
    assert.equal(exit.code, code, sweep.stderr());
    assert.ok(Date.now() - signalledMs < 5000, `took ${Date.now() - signalledMs} ms to exit`);
    assert.match(sweep.stderr(), new RegExp(`interrupted by ${signal}; \\d+ records saved`));
    const { records } = loadResults(sweep.out);
    assert.ok(records.length >= 1 && records.length < 200, `${records.length} records`);
    const last = records[records.length - 1];
    for (const r of records.slice(0, -1)) assert.equal(r.ok, true, r.error);
    if (!last.ok) assert.equal(last.failedPhase, 'interrupted', last.error);
    await assertOnlyResultsLeft(sweep.out);
  });
}

test('a second Ctrl-C exits at once, still with every peer gone, no temp dir left and the records so far saved', async () => {
  // Transfers of 10^7-element lists: peers busy building the payload do not answer "stop" at once,
  // so the first SIGINT's orderly teardown is still waiting for them when the second one comes.
  const sweep = startSweep('twice', ['--transports', 'pipe', '--payloads', 'list', '--sizes', '1e7', '--repeats', '50']);
  await waitForRecords(sweep, 1);
  const signalledMs = Date.now();
  sweep.child.kill('SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 100));
  sweep.child.kill('SIGINT');
  const exit = await sweep.exited;
  assert.equal(exit.code, 130, sweep.stderr());
  assert.match(sweep.stderr(), /ipc-lab: SIGINT again: stopping now/);
  assert.ok(Date.now() - signalledMs < 3000, `took ${Date.now() - signalledMs} ms to exit`);
  const { records } = loadResults(sweep.out);
  assert.ok(records.length >= 1, `${records.length} records`);
  for (const r of records) assert.equal(r.ok, true, r.error);
  await assertOnlyResultsLeft(sweep.out);
});

test('a sweep killed outright (SIGKILL) leaves a records.json that loads, and no peer running', async () => {
  const sweep = startSweep('killed', [...NODE_SWEEP]);
  await waitForRecords(sweep, 2);
  sweep.child.kill('SIGKILL');
  await sweep.exited;
  const { records } = loadResults(sweep.out);
  assert.ok(records.length >= 2, `${records.length} records`);
  // The peers see their control channel end and leave by themselves.
  assert.deepEqual(await iso.waitForNoProcesses(5000), [], 'no peer outlives a killed runner');
  // A killed runner cannot remove its transfer's temp dirs; the next transfer removes them.
  const next = await runTransfer({ runtime: 'node', transport: 'pipe', payload: 'int32', sizeElements: 10 });
  assert.equal(next.ok, true, next.error);
  await assertOnlyResultsLeft(sweep.out);
});

test('the temp dirs of a runner killed mid-transfer are removed by the next transfer, never those of a live one', async () => {
  // A separate Node process runs a transfer through shared memory whose receiver hangs, so its
  // dirs (the shared region) exist when it is SIGKILLed and no clean-up of its own can run.
  const script = `require('./lib/measure/runner/run-transfer').runTransfer(
    { runtime: 'node', transport: 'raw-array', payload: 'int32', sizeElements: 1000 },
    { timeoutSeconds: 600, fault: 'receiver-hangs' })`;
  const runner = spawn(process.execPath, ['-r', TYPESCRIPT_HOOK, '-e', script], { cwd: REPO, stdio: 'ignore' });
  const owned = () => iso.leftoverFiles().filter((file) => path.basename(file).includes(`-p${runner.pid}-`));
  try {
    const deadline = Date.now() + 30_000;
    while (owned().length < 2 || !owned().some((dir) => fs.readdirSync(dir).length > 0)) {
      assert.ok(Date.now() < deadline, `the runner made no temp dirs: ${iso.leftoverFiles().join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    runner.kill('SIGKILL');
  }
  await new Promise((resolve) => runner.once('exit', resolve));
  assert.deepEqual(await iso.waitForNoProcesses(5000), [], 'no peer outlives a killed runner');
  const stale = owned();
  assert.equal(stale.length, 2, `left by the killed runner: ${stale.join(', ')}`);
  // A live process's dir (as another sweep running now would have) must survive the clean-up.
  const live = fs.mkdtempSync(path.join(iso.tmpRoot, `ipc-lab-run-p${process.pid}-`));
  const r = await runTransfer({ runtime: 'node', transport: 'raw-array', payload: 'int32', sizeElements: 10 });
  assert.equal(r.ok, true, r.error);
  assert.deepEqual(owned(), [], "the killed runner's dirs are gone");
  assert.ok(fs.existsSync(live), "a live process's dir is kept");
  fs.rmSync(live, { recursive: true });
  assert.deepEqual(
    iso.leftoverFiles().filter((file) => path.basename(file) !== 'results'),
    [],
  );
});

test('two sweeps at once do not collide: ports, socket paths, temp dirs, result dirs', async () => {
  const now = new Date(2026, 0, 2, 3, 4, 5);
  const first = parseSweepArgs([], now);
  const second = parseSweepArgs([], now);
  assert.ok(first.kind === 'run' && second.kind === 'run');
  assert.notEqual(first.outDir, second.outDir, 'two default result dirs in the same second');
  const flags = ['--transports', 'tcp,unix,shared-array,file', '--payloads', 'int32', '--sizes', '1e4', '--repeats', '2'];
  const sweeps = [startSweep('together-a', flags), startSweep('together-b', flags)];
  const exits = await Promise.all(sweeps.map((s) => s.exited));
  for (const [i, exit] of exits.entries()) assert.equal(exit.code, 0, sweeps[i].stderr());
  for (const sweep of sweeps) {
    const { records } = loadResults(sweep.out);
    assert.equal(records.length, 8);
    for (const r of records) assert.equal(r.ok, true, r.error);
    await assertOnlyResultsLeft(sweep.out);
  }
});
