import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import type { TransferSpec } from '../../lib/model/types';
import { UsageError } from '../../lib/model/usage-error';
import { obtain } from '../../lib/sweep/experiments';
import { loadResults } from '../../lib/sweep/results-files';
import { resultsToJson } from '../../lib/sweep/results-format';
import { runSweep } from '../../lib/sweep/sweep';
import { type Isolation, isolate } from '../helpers/isolation';
import { runEntry } from '../helpers/run-entry';

/**
 * Bad input, one row each: through the library API every row must reject with a one-line
 * UsageError naming the bad value before anything is spawned; through the real CLI every row
 * must exit ≠ 0 with one line on stderr, no stack trace, and nothing written.
 */
const REPO = path.resolve(__dirname, '..', '..');
let iso: Isolation;
let scratch = '';
before(() => {
  // Outside the isolated temp roots (made next), which must stay empty.
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-bad-input-'));
  iso = isolate('bad-input');
});
after(() => {
  iso.dispose();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const GOOD: TransferSpec = { runtime: 'node', transport: 'pipe', payload: 'int32', sizeElements: 10 };
const GOOD_SWEEP = { runtimes: ['node'], transports: ['pipe'], payloads: ['int32'], sizes: [10], repeats: 1, warmups: 0 } as const;

interface ApiRow {
  input: string;
  run: () => Promise<unknown>;
  /** A part of the message: the bad value, and what is valid. */
  expected: RegExp;
}

const spec = (change: Record<string, unknown>) => runTransfer({ ...GOOD, ...change } as TransferSpec, { timeoutSeconds: 30 });
const sweep = (change: Record<string, unknown>, outDir: string | null = null) =>
  runSweep({ config: { ...GOOD_SWEEP, ...change } as never, outDir, quiet: true });
const results = (name: string, text: string | null): string => {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  if (text !== null) fs.writeFileSync(path.join(dir, 'records.json'), text);
  return dir;
};
/** A symlink to nothing, as --out. */
const danglingLink = (): string => {
  const link = path.join(scratch, 'dangling');
  if (!fs.existsSync(path.dirname(link))) fs.mkdirSync(path.dirname(link));
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.join(scratch, 'nowhere'), link);
  return link;
};
/** Run `body` with some environment variables set, restoring them after. */
const withEnv = async (vars: Record<string, string>, body: () => Promise<unknown>): Promise<unknown> => {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
};
const fullResults = resultsToJson(
  {
    schema: 1,
    runId: 'r',
    ipcLabVersion: '0',
    gitCommit: 'x',
    node: '20',
    v8: '11',
    python: null,
    bun: null,
    deno: null,
    os: 'Linux',
    kernel: '6',
    arch: 'x64',
    cpuModel: 'cpu',
    cores: 2,
    memoryBytes: 1,
    date: '2026-01-01',
    commandLine: '',
    label: '',
    codecLibraries: '',
  },
  [],
);

const API_ROWS: ApiRow[] = [
  { input: 'size -5', run: () => spec({ sizeElements: -5 }), expected: /size -5 is not valid: sizes are whole numbers from 1/ },
  { input: 'size 0', run: () => spec({ sizeElements: 0 }), expected: /size 0 is not valid/ },
  { input: 'size 1.5', run: () => spec({ sizeElements: 1.5 }), expected: /size 1\.5 is not valid \(not a whole number\)/ },
  { input: 'size NaN', run: () => spec({ sizeElements: NaN }), expected: /size NaN is not valid \(not a finite number\)/ },
  { input: 'size Infinity', run: () => spec({ sizeElements: Infinity }), expected: /size Infinity is not valid/ },
  { input: 'size "100" (a string)', run: () => spec({ sizeElements: '100' }), expected: /size "100" is not valid \(not a number\)/ },
  { input: 'size 1e12', run: () => spec({ sizeElements: 1e12 }), expected: /above the largest int32/ },
  { input: 'transport pipee', run: () => spec({ transport: 'pipee' }), expected: /unknown transport "pipee": did you mean "pipe"\?/ },
  {
    input: 'transport with shell metacharacters',
    run: () => spec({ transport: 'pipe; touch pwned' }),
    expected: /unknown transport "pipe; touch pwned"/,
  },
  { input: 'payload int64', run: () => spec({ payload: 'int64' }), expected: /unknown payload "int64": did you mean "int32"\?/ },
  { input: 'runtime pypy', run: () => spec({ runtime: 'pypy' }), expected: /unknown runtime "pypy".*valid: node, bun, deno, cpython/ },
  {
    input: 'receiver runtime rubby',
    run: () => spec({ receiverRuntime: 'rubby' }),
    expected: /unknown runtime "rubby": did you mean "ruby"|unknown runtime "rubby".*valid: node, bun, deno, cpython/,
  },
  {
    input: 'sweep runtime node:rubby',
    run: () => sweep({ runtimes: ['node:rubby'] }),
    expected: /unknown runtime "rubby" in the pair "node:rubby"/,
  },
  {
    input: 'cpython transport unix',
    run: () => spec({ runtime: 'cpython', payload: 'list', transport: 'unix' }),
    expected: /unknown transport "unix"/,
  },
  { input: 'fault explode', run: () => runTransfer(GOOD, { fault: 'explode' as never }), expected: /unknown fault "explode"/ },
  { input: 'timeout 0', run: () => runTransfer(GOOD, { timeoutSeconds: 0 }), expected: /timeout 0 is not valid/ },
  { input: 'heap -1 MiB', run: () => runTransfer(GOOD, { heapLimitMb: -1 }), expected: /heap limit in MiB -1 is not valid/ },
  { input: 'sweep repeats 0', run: () => sweep({ repeats: 0 }), expected: /repeats 0 is not valid: repeats must be a whole number from 1/ },
  { input: 'sweep repeats 2.5', run: () => sweep({ repeats: 2.5 }), expected: /repeats 2\.5 is not valid/ },
  { input: 'sweep no sizes', run: () => sweep({ sizes: [] }), expected: /no size given/ },
  { input: 'sweep transport tpc', run: () => sweep({ transports: ['tpc'] }), expected: /unknown transport "tpc": did you mean "tcp"\?/ },
  {
    input: 'sweep out is a file',
    run: () => sweep({}, path.join(results('file-parent', fullResults), 'records.json')),
    expected: /is a file, not a directory/,
  },
  {
    input: 'sweep out not writable',
    run: () => sweep({}, '/proc/self/ipc-lab-out'),
    expected: /cannot be created: "\/proc\/self" is not writable/,
  },
  {
    input: 'sweep out under /proc',
    run: () => sweep({}, '/proc/ipc-lab-out'),
    expected: /"\/proc\/ipc-lab-out" cannot be created: "\/proc" is not writable: .*procfs/,
  },
  {
    input: 'sweep out under /sys',
    run: () => sweep({}, '/sys/fs/ipc-lab-out'),
    expected: /cannot be created: "\/sys\/fs" is not writable: .*sysfs/,
  },
  {
    input: 'sweep out under a regular file',
    run: () => sweep({}, '/etc/hostname/ipc-lab-out'),
    expected: /cannot be created: "\/etc\/hostname" is a file, not a directory/,
  },
  {
    input: 'sweep out a dangling symlink',
    run: () => sweep({}, danglingLink()),
    expected: /is a dangling symlink: its target ".*nowhere" does not exist/,
  },
  {
    input: 'experiment with IPC_LAB_RESULTS_DIR under /proc',
    run: () => withEnv({ IPC_LAB_RESULTS_DIR: '/proc/ipc-lab-results' }, () => obtain('method-pipe', { scale: 'smoke' })),
    expected:
      /"\/proc\/ipc-lab-results\/method-pipe-smoke" cannot be created: "\/proc" is not writable: .*; set IPC_LAB_RESULTS_DIR \(now "\/proc\/ipc-lab-results"\)/,
  },
  {
    input: 'experiment with TMPDIR under /proc',
    run: () => withEnv({ TMPDIR: '/proc/ipc-lab-tmp' }, () => obtain('method-pipe', { scale: 'smoke' })),
    expected: /^TMPDIR "\/proc\/ipc-lab-tmp" cannot hold ipc-lab's temp files: "\/proc" is not writable/,
  },
  { input: 'experiment nope', run: () => obtain('nope'), expected: /no experiment "nope": valid are / },
  { input: 'load a missing results file', run: async () => loadResults(path.join(scratch, 'missing')), expected: /does not exist/ },
  {
    input: 'load a truncated results file',
    run: async () => loadResults(results('truncated', fullResults.slice(0, 100))),
    expected: /is truncated or not JSON/,
  },
  {
    input: 'load results of another schema',
    run: async () => loadResults(results('schema8', JSON.stringify({ ...JSON.parse(fullResults), schema: 8 }))),
    expected: /has schema 8; this ipc-lab reads schema 7/,
  },
];

for (const row of API_ROWS) {
  test(`API: ${row.input} is a one-line UsageError, nothing spawned`, async () => {
    await assert.rejects(row.run(), (error: Error) => {
      assert.ok(error instanceof UsageError, `not a UsageError: ${error.stack}`);
      assert.match(error.message, row.expected);
      assert.ok(!error.message.includes('\n'), 'one line');
      return true;
    });
    assert.deepEqual(iso.livingProcesses(), [], 'nothing was spawned');
    assert.deepEqual(iso.leftoverFiles(), [], 'nothing was written');
  });
}

interface CliRow {
  input: string;
  args: (out: string) => string[];
  expected: RegExp;
}

/**
 * Every row gets its own --out (unless it is the row's subject), which must not appear. Fewer rows
 * than the API's: the API rows already cover every check; these show that the CLI turns them into
 * one line and exit code 2.
 */
const CLI_ROWS: CliRow[] = [
  {
    input: '--runtime node:rubby',
    args: (out) => ['--runtime', 'node:rubby', '--out', out],
    expected: /unknown runtime "rubby" in the pair "node:rubby": .*valid: node, bun, deno, cpython/,
  },
  { input: '--sizes -5', args: (out) => ['--sizes=-5', '--out', out], expected: /size "-5" is not valid/ },
  { input: '--sizes 1.5', args: (out) => ['--sizes', '1.5', '--out', out], expected: /size "1\.5" is not valid/ },
  { input: '--sizes abc', args: (out) => ['--sizes', 'abc', '--out', out], expected: /size "abc" is not valid/ },
  {
    input: '--sizes 1e99',
    args: (out) => ['--sizes', '1e99', '--out', out],
    expected: /size "1e99" is not valid \(above the largest int32\)/,
  },
  {
    input: '--transports pipee',
    args: (out) => ['--transports', 'pipee', '--out', out],
    expected: /unknown transport "pipee": did you mean "pipe"\?/,
  },
  {
    input: '--transports with shell metacharacters',
    args: (out) => ['--transports', '$(touch pwned);`touch pwned`|x', '--out', out],
    expected: /unknown transport "\$\(touch pwned\);`touch pwned`\|x"/,
  },
  { input: '--repeats 0', args: (out) => ['--repeats', '0', '--out', out], expected: /repeats 0 is not valid/ },
  {
    input: '--out an existing file',
    args: () => ['--out', path.join(scratch, 'cli-file', 'records.json')],
    expected: /is a file, not a directory/,
  },
  {
    input: '--out a directory holding results',
    args: () => ['--out', path.join(scratch, 'cli-file')],
    expected: /already holds records\.json: choose a new --out, or add --overwrite/,
  },
  { input: '--out not writable', args: () => ['--out', '/proc/self/ipc-lab-out'], expected: /is not writable/ },
];

const runCli = (args: string[]) => runEntry('lib/cli/sweep.ts', args);

/** The CLI rows run ahead, three at a time, while the API rows run: each is a process of its own. */
const cliRuns = new Map<number, Promise<{ code: number | null; stderr: string; stdout: string }>>();
test('CLI rows start, three at a time, after the API rows', () => {
  results('cli-file', fullResults);
  let next = 0;
  const slots: (() => void)[] = [];
  const startNext = (): void => {
    const index = next++;
    if (index >= CLI_ROWS.length) return;
    const run = runCli(CLI_ROWS[index].args(path.join(scratch, `cli-out-${index}`)));
    cliRuns.set(index, run);
    void run.then(startNext);
  };
  for (let i = 0; i < 3; i++) slots.push(startNext);
  for (const start of slots) start();
});

CLI_ROWS.forEach((row, index) => {
  test(`CLI: ${row.input} exits 2 with one line, no stack, nothing written`, async () => {
    const existing = path.join(scratch, 'cli-file');
    while (!cliRuns.has(index)) await new Promise((resolve) => setTimeout(resolve, 50));
    const { code, stderr, stdout } = await cliRuns.get(index)!;
    const out = path.join(scratch, `cli-out-${index}`);
    assert.equal(code, 2, `exit code; stderr: ${stderr}`);
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    assert.equal(lines.length, 1, `one line on stderr: ${stderr}`);
    assert.match(lines[0], /^ipc-lab: /);
    assert.match(lines[0], row.expected);
    assert.ok(!/^\s+at /m.test(stderr), 'no stack trace');
    assert.equal(stdout, '');
    assert.equal(fs.existsSync(out), false, 'no output dir created');
    assert.equal(fs.readFileSync(path.join(existing, 'records.json'), 'utf8'), fullResults, 'existing results untouched');
    assert.equal(fs.existsSync(path.join(REPO, 'pwned')), false, 'no shell ran the input');
  });
});

test('CLI rows left nothing running', async () => {
  await Promise.all(cliRuns.values());
  assert.deepEqual(await iso.waitForNoProcesses(), []);
});

test('CLI: --overwrite replaces results in an existing directory, as asked', async () => {
  const dir = results('overwrite', fullResults);
  const { code, stderr } = await runCli([
    '--transports',
    'pipe',
    '--payloads',
    'int32',
    '--sizes',
    '10',
    '--repeats',
    '1',
    '--warmups',
    '0',
    '--out',
    dir,
    '--overwrite',
  ]);
  assert.equal(code, 0, stderr);
  const loaded = loadResults(dir);
  assert.equal(loaded.records.length, 1);
  assert.equal(loaded.records[0].ok, true, loaded.records[0].error);
  assert.deepEqual(await iso.waitForNoProcesses(), []);
});
