import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { makePrivateDir, removeStaleDirs } from '../../lib/measure/tempdir';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tempdir-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has certainly ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('makePrivateDir makes a 0700 dir named by its owner', () => {
  const dir = makePrivateDir(root, 'run');
  assert.match(path.basename(dir), new RegExp(`^ipc-lab-run-p${process.pid}-[A-Za-z0-9]{6}$`));
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  fs.rmSync(dir, { recursive: true });
});

test('removeStaleDirs removes the dirs of dead owners, with their contents, and nothing else', () => {
  const dead = deadPid();
  const stale = path.join(root, `ipc-lab-run-p${dead}-AbC123`);
  fs.mkdirSync(path.join(stale, 'inner'), { recursive: true });
  fs.writeFileSync(path.join(stale, 'inner', 'payload.v8'), 'x');
  const mine = path.join(root, `ipc-lab-shm-p${process.pid}-XyZ789`);
  fs.mkdirSync(mine);
  const parent = path.join(root, `ipc-lab-run-p${process.ppid}-Qq1111`);
  fs.mkdirSync(parent);
  // Not ipc-lab's pattern: a test's isolation root, a file of the right shape, another program's dir.
  const others = [`ipc-lab-test-faults-AbC123`, `ipc-lab-run-p${dead}-file00`, `other-p${dead}-AbC123`];
  fs.mkdirSync(path.join(root, others[0]));
  fs.writeFileSync(path.join(root, others[1]), '');
  fs.mkdirSync(path.join(root, others[2]));

  assert.deepEqual(removeStaleDirs(root), [stale]);
  assert.ok(!fs.existsSync(stale));
  for (const kept of [mine, parent, ...others.map((name) => path.join(root, name))]) assert.ok(fs.existsSync(kept), kept);
  assert.deepEqual(removeStaleDirs(path.join(root, 'missing')), [], 'a missing root is no error');
});

test('removeStaleDirs removes a dead run’s named shared-memory region (a file), not a live one’s', () => {
  const dead = path.join(root, `ipc-lab-region-p${deadPid()}-Rr2222`);
  const deadPython = path.join(root, `ipc-lab-pyshm-p${deadPid()}-Pp2222`);
  const live = path.join(root, `ipc-lab-region-p${process.pid}-Rr3333`);
  for (const file of [dead, deadPython, live]) fs.writeFileSync(file, 'x');
  assert.deepEqual(removeStaleDirs(root).sort(), [dead, deadPython].sort());
  assert.ok(!fs.existsSync(dead) && !fs.existsSync(deadPython) && fs.existsSync(live));
  fs.rmSync(live);
});

test('makePrivateDir clears stale dirs in its root first', () => {
  const stale = path.join(root, `ipc-lab-cpython-p${deadPid()}-Zz9999`);
  fs.mkdirSync(stale);
  const dir = makePrivateDir(root, 'cpython');
  assert.ok(!fs.existsSync(stale));
  fs.rmSync(dir, { recursive: true });
});
