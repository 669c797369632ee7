import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { loadResults } from '../../lib/sweep/results-files';
import { type Isolation, isolate } from '../helpers/isolation';
import { TYPESCRIPT_HOOK } from '../helpers/run-entry';

/**
 * Bad paths through the real CLI: every path ipc-lab creates or writes into (--out,
 * IPC_LAB_RESULTS_DIR, TMPDIR, the shared-memory root) that cannot hold files ends the CLI within
 * 5 s with exit code 2 and one stderr line naming the path and the problem, creating nothing —
 * never the endless spin of Node's recursive mkdir under /proc, during which not even SIGTERM
 * worked. A disk that fills up mid-sweep stops it with one line and exit code 1, the records so
 * far kept and nothing left behind. SIGTERM ends the CLI promptly at any moment of its start.
 *
 * Real, not simulated, where this machine allows: /proc, /sys, /dev, a regular file, dangling
 * symlinks; read-only and full file systems are tiny tmpfs mounts (root in a sandbox that permits
 * mount; skipped otherwise); a directory without write permission is met by running the CLI as
 * `nobody` (skipped unless root). Simulated by injected fs errors in test/unit/safe-dirs.test.ts.
 */
const REPO = path.resolve(__dirname, '..', '..');
const LIMIT_MS = 5000;
let iso: Isolation;
let scratch = '';
const mounts: string[] = [];
/** Mount points: read-only, full, and one to fill mid-sweep; null when mounting is not permitted. */
let ro: string | null = null;
let full: string | null = null;
let spill: string | null = null;

function mountTmpfs(dir: string, options: string): string | null {
  fs.mkdirSync(dir);
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  mounts.push(dir);
  return dir;
}

/** Write zeros into `dir` until its file system is full. */
function fill(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (let i = 0; i < 100_000; i++) fs.writeSync(fd, chunk);
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    fs.closeSync(fd);
  }
}

const listing = (dir: string): string[] => fs.readdirSync(dir).sort();

before(() => {
  // Outside the isolated temp roots, traversable by `nobody` (mkdtemp makes it 0700).
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-bad-paths-'));
  fs.chmodSync(scratch, 0o755);
  fs.writeFileSync(path.join(scratch, 'a-file'), 'x');
  fs.symlinkSync(path.join(scratch, 'nowhere'), path.join(scratch, 'dangling'));
  fs.mkdirSync(path.join(scratch, 'locked'), { mode: 0o755 });
  fs.mkdirSync(path.join(scratch, 'closed', 'inner'), { recursive: true });
  fs.chmodSync(path.join(scratch, 'closed'), 0o700);
  ro = mountTmpfs(path.join(scratch, 'ro'), 'ro,size=1m');
  full = mountTmpfs(path.join(scratch, 'full'), 'size=64k');
  if (full) fill(full);
  spill = mountTmpfs(path.join(scratch, 'spill'), 'size=64k');
  iso = isolate('bad-paths');
});

after(() => {
  iso.dispose();
  for (const dir of mounts) spawnSync('umount', ['-l', dir]);
  fs.chmodSync(path.join(scratch, 'closed'), 0o755);
  fs.rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

interface RunOptions {
  env?: Record<string, string>;
  /** Run as this user (uid = gid), e.g. nobody. */
  user?: number;
  /** Preload a script first (node -r). */
  preload?: string;
  /** Send SIGTERM this many ms after the start. */
  sigtermAfterMs?: number;
}

function runCli(args: string[], options: RunOptions = {}): Promise<Run> {
  const node = [...(options.preload ? ['-r', options.preload] : []), '-r', TYPESCRIPT_HOOK, 'lib/cli/sweep.ts', ...args];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === '') delete env[key];
  const started = Date.now();
  const child = spawn(process.execPath, node, {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user === undefined ? {} : { uid: options.user, gid: options.user }),
  });
  if (options.sigtermAfterMs !== undefined) setTimeout(() => child.kill('SIGTERM'), options.sigtermAfterMs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })));
}

const stderrLines = (run: Run): string[] => run.stderr.split('\n').filter((line) => line.trim() !== '');

/** Exit 2 within the limit, one `ipc-lab:` line naming `named` and matching `problem`, no stack, nothing on stdout. */
function assertOneLine(run: Run, named: string, problem: RegExp): void {
  assert.equal(run.code, 2, `exit code; stderr: ${run.stderr}`);
  assert.ok(run.ms < LIMIT_MS, `took ${run.ms} ms`);
  const lines = stderrLines(run);
  assert.equal(lines.length, 1, `one line on stderr: ${run.stderr}`);
  assert.match(lines[0], /^ipc-lab: /);
  assert.ok(lines[0].includes(JSON.stringify(named)), `names ${named}: ${lines[0]}`);
  assert.match(lines[0], problem);
  assert.ok(!/^\s+at /m.test(run.stderr), 'no stack trace');
  assert.equal(run.stdout, '');
}

const SWEEP = ['--transports', 'pipe', '--payloads', 'int32', '--sizes', '10', '--repeats', '1', '--warmups', '0'];

interface Row {
  input: string;
  /** Null: this machine cannot set the case up (the reason). */
  skip?: () => string | null;
  args: () => string[];
  env?: () => Record<string, string>;
  user?: number;
  /** The path the line must name, and the problem it must state. */
  named: () => string;
  problem: RegExp;
  /** Paths that must not exist afterwards (besides the row's --out). */
  absent?: () => string[];
  /** Directories whose listing must not change. */
  unchanged?: () => string[];
}

const at = (...parts: string[]) => path.join(scratch, ...parts);
const noMount = (dir: string | null) => (dir ? null : 'mounting a tmpfs is not permitted here');
const asNobody = (): string | null => {
  if (process.getuid?.() !== 0) return 'not root: cannot run the CLI as nobody';
  const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(path.join(REPO, 'lib/cli/sweep.ts'))})`], {
    uid: 65534,
    gid: 65534,
  });
  return probe.status === 0 ? null : 'the repository is not readable by nobody';
};
const cgroup = `/sys/fs/cgroup/ipc-lab-${process.pid}`;

const ROWS: Row[] = [
  {
    input: '--out under /proc',
    args: () => ['--out', '/proc/ipc-lab-out'],
    named: () => '/proc',
    problem: /is not writable: it is in \/proc \(procfs\), a kernel pseudo-filesystem/,
  },
  { input: '--out under /proc/self', args: () => ['--out', '/proc/self/ipc-lab-out'], named: () => '/proc/self', problem: /procfs/ },
  { input: '--out under /sys', args: () => ['--out', '/sys/ipc-lab-out'], named: () => '/sys', problem: /\/sys \(sysfs\)/ },
  {
    input: '--out in the cgroup tree (a mkdir there makes a cgroup)',
    args: () => ['--out', `${cgroup}/out`],
    named: () => '/sys/fs/cgroup',
    problem: /sysfs/,
    absent: () => [cgroup],
  },
  {
    input: '--out under /dev',
    args: () => ['--out', '/dev/ipc-lab-out'],
    named: () => '/dev',
    problem: /\/dev \(device files\)/,
    absent: () => ['/dev/ipc-lab-out'],
  },
  {
    input: '--out under a regular file',
    args: () => ['--out', '/etc/hostname/x'],
    named: () => '/etc/hostname',
    problem: /is a file, not a directory/,
  },
  { input: '--out a regular file', args: () => ['--out', at('a-file')], named: () => at('a-file'), problem: /is a file, not a directory/ },
  {
    input: '--out a dangling symlink',
    args: () => ['--out', at('dangling')],
    named: () => at('dangling'),
    problem: /is a dangling symlink: its target ".*nowhere" does not exist/,
    absent: () => [at('nowhere')],
  },
  {
    input: '--out under a dangling symlink',
    args: () => ['--out', at('dangling', 'sub')],
    named: () => at('dangling'),
    problem: /is a dangling symlink/,
    absent: () => [at('nowhere')],
  },
  {
    input: '--out on a read-only mount',
    skip: () => noMount(ro),
    args: () => ['--out', path.join(ro!, 'out')],
    named: () => ro!,
    problem: /is not writable: its file system is mounted read-only \(EROFS\)/,
    unchanged: () => [ro!],
  },
  {
    input: '--out on a full file system',
    skip: () => noMount(full),
    args: () => ['--out', path.join(full!, 'out')],
    named: () => full!,
    problem: /has no free space left: its file system is full \(ENOSPC\)/,
    unchanged: () => [full!],
  },
  {
    input: 'IPC_LAB_RESULTS_DIR under /proc (no --out)',
    args: () => [],
    env: () => ({ IPC_LAB_RESULTS_DIR: '/proc/ipc-lab-results' }),
    named: () => '/proc',
    problem: /set IPC_LAB_RESULTS_DIR \(now "\/proc\/ipc-lab-results"\) to a writable directory/,
  },
  {
    input: 'IPC_LAB_RESULTS_DIR a dangling symlink (no --out)',
    args: () => [],
    env: () => ({ IPC_LAB_RESULTS_DIR: at('dangling') }),
    named: () => at('dangling'),
    problem: /is a dangling symlink.*IPC_LAB_RESULTS_DIR/,
    absent: () => [at('nowhere')],
  },
  {
    input: 'TMPDIR under /proc',
    args: () => ['--out', at('out-tmp-proc')],
    env: () => ({ TMPDIR: '/proc/ipc-lab-tmp' }),
    named: () => '/proc',
    problem: /^ipc-lab: TMPDIR "\/proc\/ipc-lab-tmp" cannot hold ipc-lab's temp files: .*procfs.*point TMPDIR at a writable directory$/,
  },
  {
    input: 'TMPDIR missing',
    args: () => ['--out', at('out-tmp-missing')],
    env: () => ({ TMPDIR: at('no-such-tmp') }),
    named: () => at('no-such-tmp'),
    problem: /does not exist/,
    absent: () => [at('no-such-tmp')],
  },
  {
    input: 'TMPDIR on a read-only mount',
    skip: () => noMount(ro),
    args: () => ['--out', at('out-tmp-ro')],
    env: () => ({ TMPDIR: ro! }),
    named: () => ro!,
    problem: /^ipc-lab: TMPDIR .* read-only \(EROFS\)/,
    unchanged: () => [ro!],
  },
  {
    input: 'TMPDIR on a full file system',
    skip: () => noMount(full),
    args: () => ['--out', at('out-tmp-full')],
    env: () => ({ TMPDIR: full! }),
    named: () => full!,
    problem: /^ipc-lab: TMPDIR .* has no free space left/,
    unchanged: () => [full!],
  },
  {
    input: 'shared memory on a full file system',
    skip: () => noMount(full),
    args: () => ['--out', at('out-shm-full')],
    env: () => ({ IPC_LAB_SHM_ROOT: full! }),
    named: () => full!,
    problem: /^ipc-lab: IPC_LAB_SHM_ROOT .* has no free space left.*point IPC_LAB_SHM_ROOT at a writable directory$/,
    unchanged: () => [full!],
  },
  {
    input: 'shared memory under /sys',
    args: () => ['--out', at('out-shm-sys')],
    env: () => ({ IPC_LAB_SHM_ROOT: '/sys/fs' }),
    named: () => '/sys/fs',
    problem: /^ipc-lab: IPC_LAB_SHM_ROOT .*sysfs/,
  },
  {
    input: '--out in a directory without write permission (CLI run as nobody)',
    skip: asNobody,
    user: 65534,
    args: () => ['--out', at('locked', 'out')],
    named: () => at('locked'),
    problem: /is not writable: permission denied for this user \(uid 65534\) \(EACCES\)/,
    unchanged: () => [at('locked')],
  },
  {
    input: '--out under a directory nobody may search (CLI run as nobody)',
    skip: asNobody,
    user: 65534,
    args: () => ['--out', at('closed', 'inner', 'out')],
    named: () => at('closed'),
    problem: /cannot be searched: permission denied for this user \(uid 65534\) \(EACCES\)/,
    absent: () => [at('closed', 'inner', 'out')],
  },
];

for (const row of ROWS) {
  test(`CLI: ${row.input}: exit 2 within ${LIMIT_MS / 1000} s, one line naming it, nothing created`, async (t) => {
    const why = row.skip?.();
    if (why) {
      t.skip(why);
      return;
    }
    const before = new Map((row.unchanged?.() ?? []).map((dir) => [dir, listing(dir)]));
    const args = row.args();
    const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : null;
    const outBefore = out === null ? null : fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : null; // a-file is there
    const run = await runCli([...SWEEP, ...args], { env: row.env?.(), user: row.user });
    assertOneLine(run, row.named(), row.problem);
    if (out !== null && outBefore === null) assert.equal(fs.existsSync(out), false, `${out} not created`);
    if (out !== null && outBefore !== null) assert.equal(fs.readFileSync(out, 'utf8'), outBefore, `${out} untouched`);
    for (const absent of row.absent?.() ?? []) assert.equal(fs.existsSync(absent), false, `${absent} not created`);
    for (const [dir, entries] of before) assert.deepEqual(listing(dir), entries, `${dir} unchanged`);
    assert.deepEqual(await iso.waitForNoProcesses(), [], 'nothing left running');
    assert.deepEqual(iso.leftoverFiles(), [], 'nothing left in the temp roots');
  });
}

/** A preload that sends the process SIGTERM the moment the CLI installs its SIGTERM handler: before the sweep listens. */
function preloadSigtermAtHandler(): string {
  const file = at('sigterm-at-handler.js');
  fs.writeFileSync(
    file,
    `const on = process.on;
let sent = false;
process.on = function (event, listener) {
  const result = on.call(this, event, listener);
  if (event === 'SIGTERM' && !sent) {
    sent = true;
    process.kill(process.pid, 'SIGTERM');
  }
  return result;
};
`,
  );
  return file;
}

test('SIGTERM right after start, before the sweep listens, ends the CLI at once (exit 143), nothing created', async () => {
  const out = at('out-sigterm-start');
  const run = await runCli(['--transports', 'pipe', '--sizes', '10', '--repeats', '1000', '--out', out], {
    preload: preloadSigtermAtHandler(),
  });
  assert.equal(run.code, 143, run.stderr);
  assert.ok(run.ms < LIMIT_MS, `took ${run.ms} ms`);
  assert.deepEqual(stderrLines(run), ['ipc-lab: stopped by SIGTERM']);
  assert.equal(fs.existsSync(out), false);
  assert.deepEqual(await iso.waitForNoProcesses(), []);
});

test('SIGTERM while the CLI handles a bad path ends it promptly with one line', async () => {
  for (const options of [{ preload: preloadSigtermAtHandler() }, { sigtermAfterMs: 700 }]) {
    const run = await runCli([...SWEEP, '--out', '/proc/ipc-lab-out'], options);
    assert.ok(run.ms < LIMIT_MS, `took ${run.ms} ms`);
    // Refused first (exit 2), stopped first (143), or killed before Node ran the CLI at all.
    assert.ok(run.code === 2 || run.code === 143 || run.signal === 'SIGTERM', `code ${run.code} signal ${run.signal}: ${run.stderr}`);
    assert.ok(stderrLines(run).length <= 1, run.stderr);
    assert.ok(!/^\s+at /m.test(run.stderr), 'no stack trace');
  }
  assert.deepEqual(await iso.waitForNoProcesses(), []);
});

test('CLI: the disk fills up mid-sweep: one line, exit 1, records so far kept, nothing left behind', async (t) => {
  if (!spill) {
    t.skip('mounting a tmpfs is not permitted here (simulated in test/unit/safe-dirs.test.ts)');
    return;
  }
  const out = path.join(spill, 'out');
  const child = spawn(
    process.execPath,
    [
      '-r',
      TYPESCRIPT_HOOK,
      'lib/cli/sweep.ts',
      '--transports',
      'pipe',
      '--payloads',
      'int32',
      '--sizes',
      '10,100',
      '--repeats',
      '20',
      '--warmups',
      '0',
      '--out',
      out,
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  // The first save is done when the sweep says where results go; then the disk fills.
  const deadline = Date.now() + 60_000;
  while (!stderr.includes('writing results to')) {
    assert.ok(Date.now() < deadline, `the sweep did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  fill(spill);
  const filledMs = Date.now();
  const code = await exited;
  assert.ok(Date.now() - filledMs < LIMIT_MS, `took ${Date.now() - filledMs} ms after the disk filled`);
  assert.equal(code, 1, stderr);
  const lines = stderrLines({ stderr } as Run);
  const last = lines[lines.length - 1];
  assert.match(
    last,
    /^ipc-lab: results could not be saved, so the sweep stopped after \d+ of 40 transfers: cannot write ".*spill\/out\/records\.(json|csv)": no space left on its file system \(ENOSPC\); .*records\.json keeps the \d+ records? saved before$/,
  );
  assert.equal(lines.filter((line) => line.startsWith('ipc-lab: results could not be saved')).length, 1);
  assert.ok(!/^\s+at /m.test(stderr), 'no stack trace');
  const kept = Number(/keeps the (\d+) record/.exec(last)![1]);
  assert.equal(loadResults(out).records.length, kept, 'records.json holds the records saved before, complete');
  assert.ok(kept < 40);
  assert.deepEqual(listing(out), ['records.csv', 'records.json'], 'no .tmp file left');
  assert.deepEqual(await iso.waitForNoProcesses(), [], 'no peer left');
  assert.deepEqual(iso.leftoverFiles(), [], 'no temp dir left');
});
