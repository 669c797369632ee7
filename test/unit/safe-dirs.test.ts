import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, mock, test } from 'node:test';
import { sharedMemoryRoot } from '../../lib/measure/shared-memory';
import { checkTempRoots, makePrivateDir } from '../../lib/measure/tempdir';
import { checkOutDir } from '../../lib/model/out-dir';
import { PathError, pseudoFilesystemByName } from '../../lib/model/path-errors';
import { inspectDirPath, makeDirs } from '../../lib/model/safe-dirs';
import type { TransferRecord, TransferSpec } from '../../lib/model/types';
import { UsageError } from '../../lib/model/usage-error';
import { writeResults } from '../../lib/sweep/results-files';
import { runSweep } from '../../lib/sweep/sweep';

/**
 * The one safe `mkdir -p` (lib/model/safe-dirs.ts) and the checks every created path goes
 * through: bad paths are one-line errors naming the path and the problem, found in a bounded
 * number of system calls (never Node's recursive mkdir, which spins for ever under /proc), and
 * nothing is left behind. Problems that root cannot meet for real (no write permission) or that
 * need a full disk at one exact moment (ENOSPC while writing records) are injected by mocking fs.
 */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-safe-dirs-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
afterEach(() => mock.restoreAll());

const aFile = path.join(scratch, 'a-file');
fs.writeFileSync(aFile, 'x');
const dangling = path.join(scratch, 'dangling');
fs.symlinkSync(path.join(scratch, 'nowhere'), dangling);
const loop = path.join(scratch, 'loop');
fs.symlinkSync(loop, loop);
const toProc = path.join(scratch, 'to-proc');
fs.symlinkSync('/proc', toProc);

const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

/** The PathError `run` throws, checked to be one line and quick. */
function pathErrorOf(run: () => unknown): PathError {
  const started = Date.now();
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  assert.ok(Date.now() - started < 1000, 'answered at once');
  assert.ok(thrown instanceof PathError, `expected a PathError, got ${String(thrown)}`);
  assert.ok(!thrown.message.includes('\n'), 'one line');
  return thrown;
}

test('pseudoFilesystemByName: /proc, /sys and /dev, but not /dev/shm', () => {
  assert.match(pseudoFilesystemByName('/proc/x') ?? '', /procfs/);
  assert.match(pseudoFilesystemByName('/proc') ?? '', /procfs/);
  assert.match(pseudoFilesystemByName('/sys/fs/cgroup/cpu/x') ?? '', /sysfs/);
  assert.match(pseudoFilesystemByName('/dev/x') ?? '', /device files/);
  assert.equal(pseudoFilesystemByName('/dev/shm/x'), null);
  assert.equal(pseudoFilesystemByName('/processes/x'), null);
  assert.equal(pseudoFilesystemByName('/tmp/proc/x'), null);
});

const BAD: Array<{ input: string; target: string; at: string; problem: RegExp }> = [
  {
    input: 'under /proc',
    target: '/proc/x/y',
    at: '/proc',
    problem: /is not writable: it is in \/proc \(procfs\), a kernel pseudo-filesystem/,
  },
  { input: 'under /proc/self', target: '/proc/self/x', at: '/proc/self', problem: /procfs/ },
  { input: 'under /sys', target: '/sys/x', at: '/sys', problem: /\/sys \(sysfs\)/ },
  { input: 'a cgroup under /sys/fs/cgroup', target: '/sys/fs/cgroup/x', at: '/sys/fs/cgroup', problem: /sysfs/ },
  { input: 'under /dev', target: '/dev/ipc-lab-x', at: '/dev', problem: /\/dev \(device files\)/ },
  { input: 'a symlink into /proc', target: path.join(toProc, 'x'), at: toProc, problem: /procfs/ },
  { input: 'under a regular file', target: path.join(aFile, 'x', 'y'), at: aFile, problem: /is a file, not a directory/ },
  { input: '/etc/hostname/x', target: '/etc/hostname/x', at: '/etc/hostname', problem: /is a file, not a directory/ },
  { input: 'a dangling symlink', target: dangling, at: dangling, problem: /is a dangling symlink: its target ".*nowhere" does not exist/ },
  { input: 'under a dangling symlink', target: path.join(dangling, 'x'), at: dangling, problem: /is a dangling symlink/ },
  { input: 'a symlink loop', target: path.join(loop, 'x'), at: loop, problem: /symlink loop \(ELOOP\)/ },
];

for (const row of BAD) {
  test(`makeDirs refuses ${row.input} at once, naming the path, creating nothing`, () => {
    const error = pathErrorOf(() => makeDirs(row.target, `output directory ${JSON.stringify(row.target)}`));
    assert.equal(error.at, row.at);
    assert.ok(error.message.startsWith(`output directory ${JSON.stringify(row.target)}`), error.message);
    assert.ok(error.message.includes(JSON.stringify(row.at)) || row.at === row.target, error.message);
    assert.match(error.message, row.problem);
    assert.equal(fs.existsSync(path.join(scratch, 'nowhere')), false, 'nothing made through a dangling symlink');
  });
}

test('makeDirs makes each missing component once, with the mode asked, and says which', () => {
  const target = path.join(scratch, 'made', 'a', 'b');
  const created = makeDirs(target, 'x', { mode: 0o750 });
  assert.deepEqual(created, [path.join(scratch, 'made'), path.join(scratch, 'made', 'a'), target]);
  for (const dir of created) assert.equal(fs.statSync(dir).mode & 0o777, 0o750 & ~process.umask());
  assert.deepEqual(makeDirs(target, 'x'), [], 'an existing directory is no work');
});

test('makeDirs never calls the recursive mkdir, and takes back what it made when a later mkdir fails', () => {
  const real = fs.mkdirSync;
  let calls = 0;
  mock.method(fs, 'mkdirSync', (dir: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
    assert.notEqual(options?.recursive, true, 'no recursive mkdir');
    if (++calls === 2) throw errno('ENOSPC');
    return real(dir, options);
  });
  const target = path.join(scratch, 'half', 'way', 'there');
  const error = pathErrorOf(() => makeDirs(target, 'output directory "t"'));
  assert.match(
    error.message,
    /^output directory "t" cannot be created: mkdir ".*half\/way" failed: no space left on its file system \(ENOSPC\)$/,
  );
  assert.equal(error.code, 'ENOSPC');
  assert.equal(fs.existsSync(path.join(scratch, 'half')), false, 'the first directory was removed again');
});

test('a directory without write permission: named, with the user (access mocked: root writes anywhere)', () => {
  const locked = path.join(scratch, 'locked');
  fs.mkdirSync(locked);
  const realAccess = fs.accessSync;
  mock.method(fs, 'accessSync', (p: fs.PathLike, m?: number) => {
    if (p === locked) throw errno('EACCES');
    return realAccess(p, m);
  });
  assert.throws(
    () => checkOutDir(path.join(locked, 'out')),
    (error: Error) =>
      error instanceof UsageError &&
      new RegExp(
        `^output directory ".*locked/out" cannot be created: "${locked}" is not writable: permission denied for this user \\(uid \\d+\\) \\(EACCES\\); choose another --out$`,
      ).test(error.message),
  );
  assert.throws(() => checkOutDir(locked), /: output directory ".*locked" is not writable: permission denied/);
});

test('a read-only mount (EROFS) and a full file system (statfs) are named', () => {
  const dir = path.join(scratch, 'mounted');
  fs.mkdirSync(dir);
  const realAccess = fs.accessSync;
  mock.method(fs, 'accessSync', (p: fs.PathLike, m?: number) => {
    if (p === dir) throw errno('EROFS');
    return realAccess(p, m);
  });
  assert.throws(() => checkOutDir(path.join(dir, 'out')), /"[^"]*mounted" is not writable: its file system is mounted read-only \(EROFS\)/);
  mock.restoreAll();
  const realStatfs = fs.statfsSync;
  mock.method(fs, 'statfsSync', (p: fs.PathLike) => {
    const stats = realStatfs(p);
    return p === dir ? { ...stats, blocks: 16, bavail: 0 } : stats;
  });
  assert.throws(
    () => checkOutDir(path.join(dir, 'out')),
    /"[^"]*mounted" has no free space left: its file system is full \(ENOSPC\); choose another --out/,
  );
});

test('a statfs type of a kernel pseudo-filesystem is refused wherever it is mounted', () => {
  const dir = path.join(scratch, 'cgroup-like');
  fs.mkdirSync(dir);
  const realStatfs = fs.statfsSync;
  mock.method(fs, 'statfsSync', (p: fs.PathLike) => {
    const stats = realStatfs(p);
    return p === dir ? { ...stats, type: 0x63677270 } : stats;
  });
  assert.throws(() => checkOutDir(path.join(dir, 'x')), /is not writable: it is on cgroup2, a kernel pseudo-filesystem/);
});

test('IPC_LAB_RESULTS_DIR is named when the bad path comes from it', () => {
  assert.throws(
    () => checkOutDir('/proc/x/sweep-1', { env: { IPC_LAB_RESULTS_DIR: '/proc/x' } }),
    /"\/proc" is not writable: .*procfs.*; set IPC_LAB_RESULTS_DIR \(now "\/proc\/x"\) to a writable directory, or give --out$/,
  );
  assert.throws(() => checkOutDir('/proc/y', { env: { IPC_LAB_RESULTS_DIR: '/tmp' } }), /; choose another --out$/);
});

test('inspectDirPath finds /dev/shm fine, and says what is still to make', () => {
  if (!fs.existsSync('/dev/shm')) return;
  const found = inspectDirPath('/dev/shm/ipc-lab-x/y', 'x');
  assert.deepEqual(found, { target: '/dev/shm/ipc-lab-x/y', existing: '/dev/shm', missing: ['ipc-lab-x', 'y'] });
});

const DESCRIPTION = {
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
} as never;

/** Make fs.writeFileSync fail with ENOSPC from its `from`-th call on (records.csv is written first). */
function diskFullFrom(from: number): void {
  const real = fs.writeFileSync;
  let calls = 0;
  mock.method(fs, 'writeFileSync', (...args: Parameters<typeof fs.writeFileSync>) => {
    if (++calls >= from) throw errno('ENOSPC');
    return real(...args);
  });
}

test('ENOSPC on the first save: a UsageError naming the file, the new directory removed again', () => {
  const out = path.join(scratch, 'first-save', 'out');
  diskFullFrom(1);
  assert.throws(
    () => writeResults(out, DESCRIPTION, [], { first: true }),
    (error: Error) =>
      error instanceof UsageError &&
      /^output directory ".*out" cannot hold results: cannot write ".*out\/records\.csv": no space left on its file system \(ENOSPC\); choose another --out$/.test(
        error.message,
      ),
  );
  assert.equal(fs.existsSync(path.join(scratch, 'first-save')), false, 'nothing created');
});

test('ENOSPC while rewriting the records: a PathError, the old records.json kept, no .tmp left', () => {
  const out = path.join(scratch, 'rewrite');
  writeResults(out, DESCRIPTION, []);
  const before = fs.readFileSync(path.join(out, 'records.json'), 'utf8');
  const record = { runtime: 'node', transport: 'pipe', payload: 'int32', sizeElements: 10, ok: true } as unknown as TransferRecord;
  for (const [from, file] of [
    [1, 'csv'],
    [2, 'json'],
  ] as const) {
    diskFullFrom(from);
    const error = pathErrorOf(() => writeResults(out, DESCRIPTION, [record]));
    mock.restoreAll();
    assert.match(error.message, new RegExp(`^cannot write ".*rewrite/records\\.${file}": no space left on its file system \\(ENOSPC\\)$`));
    assert.equal(fs.readFileSync(path.join(out, 'records.json'), 'utf8'), before, 'records.json as it was');
    assert.deepEqual(fs.readdirSync(out).sort(), ['records.csv', 'records.json'], 'no .tmp left');
  }
});

test('ENOSPC mid-sweep stops the sweep with one line; records.json keeps the records saved before', async () => {
  const out = path.join(scratch, 'mid-sweep');
  let runs = 0;
  const fakeRun = async (spec: TransferSpec) => {
    runs++;
    // The second transfer's save finds the disk full: writes 1-2 were the first save, 3-4 the first record's.
    if (runs === 2) diskFullFrom(1);
    return { ...spec, ok: true, runId: 'r', repeat: runs - 1, warmup: false } as unknown as TransferRecord;
  };
  await assert.rejects(
    runSweep({
      config: { runtimes: ['node'], transports: ['pipe'], payloads: ['int32'], sizes: [10], repeats: 4, warmups: 0 },
      outDir: out,
      quiet: true,
      run: fakeRun,
    }),
    (error: Error) => {
      assert.ok(error instanceof PathError, String(error));
      assert.ok(!error.message.includes('\n'));
      assert.match(
        error.message,
        /^results could not be saved, so the sweep stopped after 2 of 4 transfers: cannot write ".*mid-sweep\/records\.csv": no space left on its file system \(ENOSPC\); .*mid-sweep\/records\.json keeps the 1 record saved before$/,
      );
      return true;
    },
  );
  assert.equal(runs, 2, 'no transfer after the failed save');
  mock.restoreAll();
  const saved = JSON.parse(fs.readFileSync(path.join(out, 'records.json'), 'utf8')) as { records: unknown[] };
  assert.equal(saved.records.length, 1);
  assert.deepEqual(fs.readdirSync(out).sort(), ['records.csv', 'records.json'], 'no .tmp file left');
  assert.equal(process.listenerCount('SIGTERM'), 0, 'the sweep removed its signal handlers');
});

test('makePrivateDir in a root that cannot hold it: one line naming the root, nothing made', () => {
  for (const [root, problem] of [
    ['/proc/ipc-lab-x', /"\/proc" is not writable: .*procfs/],
    [path.join(scratch, 'no-such-root'), /"[^"]*no-such-root" does not exist/],
    [aFile, /is a file, not a directory/],
    [dangling, /is a dangling symlink/],
  ] as const) {
    const error = pathErrorOf(() => makePrivateDir(root, 'run'));
    assert.match(error.message, /cannot hold ipc-lab's temp files: /);
    assert.match(error.message, problem);
  }
  assert.equal(fs.existsSync(path.join(scratch, 'no-such-root')), false);
});

test('checkTempRoots names TMPDIR or IPC_LAB_SHM_ROOT as a UsageError', () => {
  const saved = { TMPDIR: process.env.TMPDIR, IPC_LAB_SHM_ROOT: process.env.IPC_LAB_SHM_ROOT };
  try {
    process.env.TMPDIR = '/proc/x';
    assert.throws(
      () => checkTempRoots(),
      /UsageError: TMPDIR "\/proc\/x" cannot hold ipc-lab's temp files: "\/proc" is not writable: .*; point TMPDIR at a writable directory$/,
    );
    process.env.TMPDIR = scratch;
    process.env.IPC_LAB_SHM_ROOT = aFile;
    assert.throws(
      () => checkTempRoots(),
      /UsageError: IPC_LAB_SHM_ROOT ".*a-file" cannot hold ipc-lab's temp files: ".*a-file" is a file, not a directory; point IPC_LAB_SHM_ROOT/,
    );
    process.env.IPC_LAB_SHM_ROOT = scratch;
    checkTempRoots();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});

test('sharedMemoryRoot falls back to TMPDIR when /dev/shm cannot be written', () => {
  const saved = process.env.IPC_LAB_SHM_ROOT;
  delete process.env.IPC_LAB_SHM_ROOT;
  try {
    const realAccess = fs.accessSync;
    mock.method(fs, 'accessSync', (p: fs.PathLike, m?: number) => {
      if (p === '/dev/shm') throw errno('EROFS');
      return realAccess(p, m);
    });
    assert.equal(sharedMemoryRoot(), os.tmpdir());
  } finally {
    if (saved !== undefined) process.env.IPC_LAB_SHM_ROOT = saved;
  }
});
