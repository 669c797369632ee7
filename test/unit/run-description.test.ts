import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { RECORD_SCHEMA } from '../../lib/model/types';
import { describeRun, gitCommit, newRunId, timestampForPath } from '../../lib/sweep/run-description';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-machine-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('timestamps are zero-padded local date and time', () => {
  assert.equal(timestampForPath(new Date(2023, 0, 2, 3, 4, 5)), '20230102-030405');
  assert.equal(timestampForPath(new Date(2024, 11, 31, 23, 59, 58)), '20241231-235958');
});

test('run ids: date-time then a random suffix, never the same twice', () => {
  const at = new Date(2023, 0, 2, 3, 4, 5);
  const ids = Array.from({ length: 1000 }, () => newRunId(at));
  for (const id of ids) assert.match(id, /^20230102-030405-[0-9a-f]{8}$/);
  assert.equal(new Set(ids).size, 1000);
  assert.match(newRunId(), /^\d{8}-\d{6}-[0-9a-f]{8}$/);
});

test("gitCommit is 'unknown' outside a repository", () => {
  const plain = path.join(scratch, 'plain');
  fs.mkdirSync(plain);
  assert.equal(gitCommit(plain), 'unknown');
  assert.equal(gitCommit(path.join(scratch, 'does-not-exist')), 'unknown');
});

test('gitCommit: the commit, "-dirty" after an edit, results ignored', () => {
  const repo = path.join(scratch, 'repo');
  fs.mkdirSync(repo);
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
  git('init', '-q');
  fs.writeFileSync(path.join(repo, 'a.txt'), 'one\n');
  git('add', 'a.txt');
  git('commit', '-q', '-m', 'first');
  const head = git('rev-parse', 'HEAD');
  assert.match(head, /^[0-9a-f]{40}$/);
  assert.equal(gitCommit(repo), head);
  fs.mkdirSync(path.join(repo, 'data', 'results', 'sweep-1'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'data', 'results', 'sweep-1', 'records.json'), '{}');
  assert.equal(gitCommit(repo), head, 'results of earlier sweeps do not make the code dirty');
  fs.mkdirSync(path.join(repo, 'notebooks', 'html'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'notebooks', '01-pipe-size-sweep.ipynb'), '{}');
  fs.writeFileSync(path.join(repo, 'notebooks', 'html', '01-pipe-size-sweep.html'), '<html>');
  assert.equal(gitCommit(repo), head, 'notebooks executed in place do not make the code dirty');
  fs.writeFileSync(path.join(repo, 'a.txt'), 'two\n');
  assert.equal(gitCommit(repo), `${head}-dirty`);
});

test('describeRun fills in this machine and passes the facts through', () => {
  const before = Date.now();
  const d = describeRun({ runId: 'run-7', commandLine: 'npm run sweep -- --sizes 10', label: 'desk', python: '3.11.2' });
  assert.equal(d.schema, RECORD_SCHEMA);
  assert.equal(d.runId, 'run-7');
  assert.equal(d.commandLine, 'npm run sweep -- --sizes 10');
  assert.equal(d.label, 'desk');
  assert.equal(d.python, '3.11.2');
  assert.match(d.ipcLabVersion, /^\d+\.\d+\.\d+/);
  assert.match(d.gitCommit, /^([0-9a-f]{40}(-dirty\??)?|unknown)$/);
  assert.equal(d.node, process.versions.node);
  assert.equal(d.v8, process.versions.v8);
  assert.equal(d.os, os.type());
  assert.ok(d.cores >= 1 && Number.isInteger(d.cores));
  assert.ok(d.memoryBytes > 1e6);
  assert.ok(d.cpuModel.length > 0);
  const at = Date.parse(d.date);
  assert.ok(at >= before - 1000 && at <= Date.now() + 1000, d.date);
  assert.equal(describeRun({ runId: 'x', commandLine: '', label: '', python: null }).python, null);
});
