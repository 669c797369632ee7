import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { runCpythonTransfer } from '../../lib/measure/cpython/cpython-driver';
import { findPython } from '../../lib/measure/cpython/python-interpreter';
import { CPYTHON_TRANSPORTS } from '../../lib/model/catalog';
import type { RunOptions, TransferRecord, TransferSpec } from '../../lib/model/types';
import { TYPESCRIPT_HOOK } from '../helpers/run-entry';

/**
 * The cpython runtime end to end: every article method once at a small size through a real
 * interpreter, then the failure paths. After each transfer nothing it started may still run
 * (every process it spawns inherits IPC_LAB_TAG, which /proc/<pid>/environ shows) and its temp
 * dirs must be gone (TMPDIR points at a dir of this test's own, which must stay empty).
 */

const TAG = `cpython-runtime-test-${process.pid}-${Date.now()}`;
const PLACE = { runId: 'test', repeat: 0, warmup: false };
const OPTIONS: RunOptions = { timeoutSeconds: 60, heapLimitMb: 0, fault: 'none', python: '', verbose: false };
const SIZE = 1000;
const REPO = path.resolve(__dirname, '..', '..');

let tmpRoot = '';
const savedEnv = { TMPDIR: process.env.TMPDIR, IPC_LAB_TAG: process.env.IPC_LAB_TAG };

before(() => {
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-cpython-test-'));
  process.env.TMPDIR = tmpRoot; // os.tmpdir() reads it on every call
  process.env.IPC_LAB_TAG = TAG;
});

after(() => {
  process.env.TMPDIR = savedEnv.TMPDIR;
  process.env.IPC_LAB_TAG = savedEnv.IPC_LAB_TAG;
  if (savedEnv.TMPDIR === undefined) delete process.env.TMPDIR;
  if (savedEnv.IPC_LAB_TAG === undefined) delete process.env.IPC_LAB_TAG;
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

/** Pids of live processes (zombies have no environ) started with our tag, other than this one. */
function taggedPids(): number[] {
  const needle = Buffer.from(`IPC_LAB_TAG=${TAG}\0`);
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`).includes(needle)) pids.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A SIGKILLed process can take a moment to disappear from /proc: allow it a short while. */
async function assertNothingLeft(what: string): Promise<void> {
  let left = taggedPids();
  for (let i = 0; i < 40 && left.length > 0; i++) {
    await sleep(50);
    left = taggedPids();
  }
  assert.deepEqual(left, [], `${what}: processes still running: ${left.join(', ')}`);
  assert.deepEqual(fs.readdirSync(tmpRoot), [], `${what}: temp files left in ${tmpRoot}`);
}

function spec(transport: string, sizeElements = SIZE): TransferSpec {
  return { runtime: 'cpython', transport, payload: 'list', sizeElements };
}

const ENCODES = new Set(['raw-array', 'tcp', 'shared-memory']);
const DECODES = new Set(['tcp']);

for (const { id } of CPYTHON_TRANSPORTS) {
  test(`cpython ${id}: ${SIZE} elements arrive intact, timed, with nothing left behind`, async () => {
    const r: TransferRecord = await runCpythonTransfer(spec(id), OPTIONS, PLACE);
    assert.equal(r.error, '');
    assert.equal(r.ok, true);
    assert.equal(r.failedPhase, '');
    assert.equal(r.runtime, 'cpython');
    assert.equal(r.transport, id);
    assert.equal(r.heapLimitMb, null);
    assert.equal(r.memory, 'fresh');
    for (const key of ['buildSeconds', 'sendSeconds', 'recvSeconds', 'totalSeconds', 'verifySeconds'] as const) {
      const value = r[key];
      assert.ok(value !== null && value >= 0, `${key} = ${value}`);
    }
    assert.equal(r.encodeSeconds !== null, ENCODES.has(id), `encodeSeconds = ${r.encodeSeconds}`);
    assert.equal(r.decodeSeconds !== null, DECODES.has(id), `decodeSeconds = ${r.decodeSeconds}`);
    // total runs from the sender's first step to the decoded data: it covers the receive
    assert.ok(r.totalSeconds! >= r.recvSeconds!, `total ${r.totalSeconds} < recv ${r.recvSeconds}`);
    if (id === 'shared-array' || id === 'raw-array' || id === 'shared-memory') assert.equal(r.bytes, 4 * SIZE);
    else assert.ok(r.bytes !== null && r.bytes > SIZE, `bytes = ${r.bytes}`);
    assert.ok(r.senderPeakRssBytes! > 1e6 && r.receiverPeakRssBytes! > 1e6);
    assert.equal(r.brokerPeakRssBytes !== null, id === 'manager');
    await assertNothingLeft(id);
  });
}

test("a changed element is caught by the receiver's check", async () => {
  const r = await runCpythonTransfer(spec('pipe'), { ...OPTIONS, fault: 'corrupt' }, PLACE);
  assert.equal(r.ok, false);
  assert.equal(r.failedPhase, 'verify');
  assert.match(r.error, /element 500 is -1, expected 500/);
  await assertNothingLeft('corrupt');
});

test('an interpreter that does not exist fails in spawn, saying what to install', async () => {
  const r = await runCpythonTransfer(spec('pipe'), { ...OPTIONS, python: '/nope/python3' }, PLACE);
  assert.equal(r.ok, false);
  assert.equal(r.failedPhase, 'spawn');
  assert.ok(r.error.includes('python interpreter "/nope/python3" not found: install Debian\'s python3 or pass --python PATH'), r.error);
  await assert.rejects(findPython('/nope/python3'), /"\/nope\/python3" not found/);
  await assertNothingLeft('bad interpreter');
});

test('findPython finds a Python 3 with its numpy', async () => {
  const info = await findPython();
  assert.match(info.version, /^3\.\d+\.\d+/);
  assert.ok(info.numpy === null || /^\d+\.\d+/.test(info.numpy));
});

test('only the list payload and known methods are accepted', async () => {
  const int32 = await runCpythonTransfer({ ...spec('pipe'), payload: 'int32' }, OPTIONS, PLACE);
  assert.equal(int32.failedPhase, 'limits');
  assert.match(int32.error, /the cpython runtime sends the article's list payload only/);
  const unknown = await runCpythonTransfer(spec('transfer'), OPTIONS, PLACE);
  assert.equal(unknown.failedPhase, 'limits');
  assert.match(unknown.error, /no cpython transport "transfer"/);
});

test('a receiver that never receives is a timeout, and the whole group is killed', async () => {
  for (const method of ['manager', 'tcp']) {
    const started = Date.now();
    const r = await runCpythonTransfer(spec(method), { ...OPTIONS, fault: 'receiver-hangs', timeoutSeconds: 1 }, PLACE);
    assert.equal(r.ok, false);
    assert.equal(r.failedPhase, 'timeout');
    assert.match(r.error, /no result within 1 s/);
    assert.ok(Date.now() - started < 10_000, 'the timeout was not enforced');
    await assertNothingLeft(`${method} hang`);
  }
});

test('a transfer too big for its deadline is a timeout with nothing left running', async () => {
  // Building and pickling 5·10^7 integers alone takes seconds.
  const r = await runCpythonTransfer(spec('pipe', 5e7), { ...OPTIONS, timeoutSeconds: 1 }, PLACE);
  assert.equal(r.failedPhase, 'timeout');
  await assertNothingLeft('big pipe');
});

test('if the Node process running it dies, the Python side cleans up and exits by itself', async () => {
  // A separate Node process runs a transfer that hangs, then is SIGKILLed: no exit hook runs,
  // only the closed stdin pipe tells the Python program that its parent is gone.
  const script = `require('./lib/measure/cpython/cpython-driver').runCpythonTransfer(
    { runtime: 'cpython', transport: 'queue', payload: 'list', sizeElements: 1000 },
    { timeoutSeconds: 600, heapLimitMb: 0, fault: 'receiver-hangs', python: '', verbose: false },
    { runId: 'orphan', repeat: 0, warmup: false })`;
  const runner = spawn(process.execPath, ['-r', TYPESCRIPT_HOOK, '-e', script], { cwd: REPO, stdio: 'ignore' });
  // Wait for the receiver to be up: main, receiver (the sender is done) and the runner itself.
  let pythons: number[] = [];
  for (let i = 0; i < 200 && pythons.length < 2; i++) {
    await sleep(50);
    pythons = taggedPids().filter((pid) => pid !== runner.pid);
  }
  assert.ok(pythons.length >= 2, `the Python side did not start: ${pythons.join(', ')}`);
  runner.kill('SIGKILL');
  await new Promise((r) => runner.once('exit', r));
  let left = taggedPids();
  for (let i = 0; i < 100 && left.length > 0; i++) {
    await sleep(50);
    left = taggedPids();
  }
  assert.deepEqual(left, [], `still running after the runner died: ${left.join(', ')}`);
  // The killed runner could not remove its own (now empty) dir; the program emptied it.
  const runnerDirs = fs.readdirSync(tmpRoot).filter((name) => name.startsWith('ipc-lab-cpython-'));
  assert.equal(runnerDirs.length, 1, `runner dirs: ${runnerDirs.join(', ')}`);
  assert.deepEqual(fs.readdirSync(path.join(tmpRoot, runnerDirs[0])), [], `left inside ${runnerDirs[0]}`);
  // That empty dir is the killed runner's to remove, and it cannot: the test removes it.
  for (const name of fs.readdirSync(tmpRoot)) fs.rmSync(path.join(tmpRoot, name), { recursive: true, force: true });
});
