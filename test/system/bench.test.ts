/**
 * `npm run bench` end to end at a tiny scale, through the one loop: both tables printed, the run
 * kept as bench.json beside the plan's records and steps, and nothing left behind; Ctrl-C stops it
 * after the running step with what was measured saved; the floor operations' worker answers each
 * operation, fails one it was stopped in, and is gone after close.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { loadBenchRun } from '../../lib/sweep/bench-results';
import { FloorWorker } from '../../lib/sweep/floor-worker';
import { loadRun } from '../../lib/sweep/plan-files';
import { stepRunner } from '../../lib/sweep/run-step';
import type { Step } from '../../lib/sweep/steps';
import { type Isolation, isolate } from '../helpers/isolation';
import { runEntry, TYPESCRIPT_HOOK } from '../helpers/run-entry';

let iso: Isolation;
before(() => (iso = isolate('bench')));
after(() => iso.dispose());

const REPO = path.resolve(__dirname, '..', '..');
const TINY = ['--sizes', '1e3', '--repeats', '1', '--transports', 'pipe,queue', '--codecs', 'v8,clone', '--channels', 'pipe'];

/** What is left in the temp roots besides what the tests asked to keep (TypeScript's compile cache is not ours). */
const leftovers = () =>
  iso
    .leftoverFiles()
    .filter(
      (file) => !['saved', 'bench.csv', 'interrupted'].includes(path.basename(file)) && !/^v8-compile-cache/.test(path.basename(file)),
    );

test('a tiny bench prints both tables, saves bench.json beside its records and steps, and leaves nothing running', async () => {
  const save = path.join(iso.tmpRoot, 'saved');
  const csv = path.join(iso.tmpRoot, 'bench.csv');
  const { code, stdout, stderr } = await runEntry('lib/cli/bench.ts', [...TINY, '--save', save, '--out', csv]);
  assert.equal(code, 0, stderr);
  const time = String.raw`\d[\d.]* (?:ns|µs|ms|s)`;
  assert.match(stdout, /^transport\s+codec\s+size\s+bytes\s+total/m);
  assert.match(
    stdout,
    new RegExp(
      `^pipe\\s+v8\\s+1e3\\s+\\d+ B\\s+${time}\\s+–\\s+${time}\\s+\\S+×.*raw-pipe ${time} \\+ encode ${time} \\+ decode ${time}$`,
      'm',
    ),
  );
  assert.match(stdout, new RegExp(`^queue\\s+clone\\s+1e3 .* clone ${time}$`, 'm'));
  assert.match(
    stdout,
    new RegExp(`^pipe\\s+1e3\\s+4000 B(?:\\s+${time}\\s+(?:–|±\\d+%)){3}\\s+\\S+×\\s+\\S+× raw-pipe ${time}$`, 'm'),
    'Node raw ÷ C, read directly and chunked, each with its spread',
  );
  assert.match(stderr, /the floor operations' thread has a V8 heap limit of 2 GiB/);
  assert.match(stderr, /\[1\/9\] encode v8 int32 1e3 round 1: ok {2}encode /);
  const run = loadBenchRun(save);
  assert.equal(run.floorRows.length, 2);
  assert.ok(
    run.floorRows.every((r) => r.ratio !== null && r.reason === ''),
    JSON.stringify(run.floorRows),
  );
  assert.ok(run.channelRows[0].ratio !== null, run.channelRows[0].reason);
  assert.ok(run.channelRows[0].chunkedRatio !== null, 'the chunked read beside the direct one');
  assert.deepEqual(
    run.floorRows.map((r) => r.byRound?.map((round) => [round.round, round.totalSeconds !== null])),
    [[[0, true]], [[0, true]]],
    'each row keeps its round, for the targets’ same-round ratios',
  );
  const [channelRound] = run.channelRows[0].byRound ?? [];
  assert.ok(channelRound?.nodeSeconds != null && channelRound.cSeconds != null, JSON.stringify(run.channelRows[0].byRound));
  assert.match(stdout, /^Targets \(issue 20: each ratio the median of its same-round ratios/m);
  const saved = loadRun(save);
  assert.equal(saved.description.runId, run.description.runId, 'one run: bench.json and its records');
  assert.equal(saved.records.length, 5, 'pipe, its raw pipe, queue, the channel table’s raw pipe read directly and chunked');
  assert.deepEqual(
    saved.records.map((r) => [r.transport, r.readWay]),
    [
      ['pipe', 'direct'],
      ['raw-pipe', 'direct'],
      ['queue', 'n/a'],
      ['raw-pipe', 'direct'],
      ['raw-pipe-chunked', 'chunked'],
    ],
  );
  assert.equal(saved.steps.length, 4, 'encode, decode, clone and the C program');
  assert.equal(fs.readFileSync(csv, 'utf8').trim().split('\n').length, 5, 'header, two floor rows, the pipe read both ways');
  assert.deepEqual(await iso.waitForNoProcesses(3000), []);
  assert.deepEqual(leftovers(), []);
});

test('Ctrl-C stops the bench after the running step: exit 130, what was measured saved, no bench.json, nothing left', async () => {
  const save = path.join(iso.tmpRoot, 'interrupted');
  const child = spawn(process.execPath, ['-r', TYPESCRIPT_HOOK, 'lib/cli/bench.ts', ...TINY, '--repeats', '50', '--save', save], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!/^\[3\/\d+\]/m.test(stderr)) {
    assert.ok(Date.now() < deadline, stderr);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /interrupted by SIGINT; \d+ of \d+ steps saved/);
  const saved = loadRun(save);
  assert.ok(saved.records.length >= 1 && saved.records.length + saved.steps.length < 200);
  assert.equal(fs.existsSync(path.join(save, 'bench.json')), false);
  assert.deepEqual(await iso.waitForNoProcesses(5000), []);
  assert.deepEqual(leftovers(), []);
});

test('the floor operations’ worker answers typed messages, fails the operation it was stopped in, and ends on close', async () => {
  const worker = new FloorWorker(2048);
  const base = { type: 'op', payload: 'list', sizeElements: 1000, codec: 'v8', bytesOf: null } as const;
  const encoded = await worker.run({ ...base, op: 'encode', key: 'e' });
  assert.equal(encoded.type, 'op-done', JSON.stringify(encoded));
  assert.ok(encoded.type === 'op-done' && encoded.bytes !== null && encoded.bytes > 1000);
  const decoded = await worker.run({ ...base, op: 'decode', key: 'd', bytesOf: 'e' });
  assert.ok(decoded.type === 'op-done' && decoded.seconds.decode >= 0, JSON.stringify(decoded));
  // A list of 10^7 takes the worker a while to build: stopped meanwhile, the operation fails with the reason.
  const slow = worker.run({ ...base, op: 'clone', key: 'c', sizeElements: 1e7 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  worker.abort('interrupted by the test');
  assert.deepEqual(await slow, { type: 'op-failed', error: 'interrupted by the test' });
  assert.deepEqual(await worker.run({ ...base, op: 'clone', key: 'c2' }), { type: 'op-failed', error: 'interrupted by the test' });
  await worker.close();
});

test('bad input: one line naming the value and what is valid, exit code 2, nothing run', async () => {
  for (const [args, message] of [
    [['--bogus'], /^ipc-lab bench: unknown flag --bogus/],
    [['--channels', 'pipx'], /^ipc-lab bench: unknown channel "pipx": valid are pipe, unix, tcp, shm, all, none$/],
    [['--transports', 'pipr'], /^ipc-lab bench: unknown transport "pipr"/],
    [['--repeats', '0'], /^ipc-lab bench: repeats 0 is not valid/],
  ] as const) {
    const { code, stdout, stderr } = await runEntry('lib/cli/bench.ts', [...args]);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr.trim(), message);
  }
});

test('arrow’s floor operations run in a thread of their own: packed’s decode after them is still measured with a fast concat', async () => {
  const op = (codec: string, o: 'encode' | 'decode', key: string): Step => ({
    kind: 'floor-op',
    op: o,
    payload: 'list',
    sizeElements: 1000,
    codec,
    round: 1,
    table: 'floor',
    ...(o === 'decode' ? { bytesOf: key.replace('decode', 'encode') } : {}),
  });
  const plan = [
    op('arrow', 'encode', 'arrow encode'),
    op('arrow', 'decode', 'arrow decode'),
    op('packed', 'encode', 'packed encode'),
    op('packed', 'decode', 'packed decode'),
  ];
  const runner = stepRunner(plan);
  try {
    for (const [index, step] of plan.entries()) {
      const key = ['arrow encode', 'arrow decode', 'packed encode', 'packed decode'][index];
      const result = await runner.run(step, key, { runId: 'test', options: {} });
      assert.equal(result.ok, true, `${key}: ${result.error}`);
    }
    // The same operations in one thread: the guard in floor-ops.ts refuses packed's decode after arrow loaded.
    const shared = new FloorWorker(2048);
    const base = { type: 'op', payload: 'list', sizeElements: 1000, bytesOf: null } as const;
    await shared.run({ ...base, op: 'encode', codec: 'arrow', key: 'a' });
    await shared.run({ ...base, op: 'encode', codec: 'packed', key: 'p' });
    const decoded = await shared.run({ ...base, op: 'decode', codec: 'packed', key: 'd', bytesOf: 'p' });
    await shared.close();
    assert.equal(decoded.type, 'op-failed');
    assert.match(decoded.type === 'op-failed' ? decoded.error : '', /apache-arrow, loaded here, made concat slow/);
  } finally {
    await runner.close();
  }
});
