import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { abortCpythonTransfers, runCpythonTransfer } from '../../lib/measure/cpython/cpython-driver';
import { ARTICLE_METHODS_PY } from '../../lib/model/paths';
import type { FailedPhase, Fault, RunOptions, TransferSpec } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * CPython's `shared-memory` method (SharedMemory, lib/measure/cpython/shared_memory_method.py):
 * the list arrives intact through a named segment in /dev/shm, timed as its catalog entry says,
 * and the segment is gone afterwards whatever happened — a success, a failed check, a peer killed,
 * the program interrupted (SIGTERM) or its whole process group killed at the timeout — with no
 * warning from CPython's resource tracker.
 */

const PYTHON = '/usr/bin/python3';
const NO_NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status !== 0 ? `${PYTHON} lacks numpy` : false;
const PLACE = { runId: 'test', repeat: 0, warmup: false };
const OPTIONS: RunOptions = { timeoutSeconds: 60, heapLimitMb: 0, fault: 'none', python: PYTHON, verbose: false };
const SPEC: TransferSpec = { runtime: 'cpython', transport: 'shared-memory', payload: 'list', sizeElements: 1000 };

let iso: Isolation;
before(() => (iso = isolate('cpython-shared-memory')));
after(() => iso.dispose());

/** The segments SharedMemory could leave: the method names them ipc-lab-pyshm-p<pid>-…, its default psm_…. */
function segments(): string[] {
  return fs.readdirSync('/dev/shm').filter((name) => name.startsWith('ipc-lab-pyshm-') || name.startsWith('psm_'));
}

/** Run one transfer and check that it left no process, no temp file and no new segment. */
async function runLeavingNothing(fault: Fault, options: Partial<RunOptions> = {}, abortAfterMs?: number) {
  const before = segments();
  const timer = abortAfterMs === undefined ? undefined : setTimeout(() => abortCpythonTransfers('stopped by the test'), abortAfterMs);
  const record = await runCpythonTransfer(SPEC, { ...OPTIONS, fault, ...options }, PLACE);
  clearTimeout(timer);
  assert.deepEqual(await iso.waitForNoProcesses(), [], `${fault}: processes left (a peer, the resource tracker)`);
  assert.deepEqual(iso.leftoverFiles(), [], `${fault}: temp files left`);
  assert.deepEqual(
    segments().filter((name) => !before.includes(name)),
    [],
    `${fault}: a segment left in /dev/shm`,
  );
  return record;
}

test('shared-memory: 1000 elements arrive intact, the encode and the hand-over of the name timed apart', { skip: NO_NUMPY }, async () => {
  const r = await runLeavingNothing('none');
  assert.equal(r.error, '');
  assert.equal(r.ok, true);
  assert.ok(r.encodeSeconds !== null && r.encodeSeconds >= 0, 'encode: the list into the segment');
  assert.equal(r.decodeSeconds, null);
  assert.ok(r.sendSeconds !== null && r.recvSeconds !== null && r.verifySeconds !== null);
  assert.ok(r.totalSeconds! >= r.recvSeconds!);
  assert.equal(r.bytes, 4 * SPEC.sizeElements);
});

test("shared-memory: the resource tracker neither warns nor unlinks early (the program's stderr is empty)", { skip: NO_NUMPY }, () => {
  for (const fault of ['none', 'corrupt'] as const) {
    const run = spawnSync(
      PYTHON,
      [ARTICLE_METHODS_PY, '--method', 'shared-memory', '--size', '1000', '--fault', fault, '--tmp-dir', iso.tmpRoot],
      {
        encoding: 'utf8',
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      },
    );
    assert.equal(run.stderr, '', `${fault}: stderr`);
    assert.equal(JSON.parse(run.stdout).ok, fault === 'none', run.stdout);
  }
});

const FAILURES: [Fault, Partial<RunOptions>, number | undefined, FailedPhase, RegExp][] = [
  ['corrupt', {}, undefined, 'verify', /^receiver: element 500 is -1, expected 500$/],
  ['close-early', {}, undefined, 'verify', /^receiver: element 500 is 0, expected 500$/],
  ['kill-sender', {}, undefined, 'transfer', /^the sender process was killed by SIGKILL/],
  ['kill-receiver', {}, undefined, 'transfer', /^the receiver process was killed by SIGKILL/],
  // The receiver hangs: the program is stopped by SIGTERM (a sweep's ^C) or its group killed at the timeout.
  ['receiver-hangs', {}, 1000, 'interrupted', /^stopped by the test$/],
  ['receiver-hangs', { timeoutSeconds: 2 }, undefined, 'timeout', /^no result within 2 s: killed the process group/],
];

for (const [fault, options, abortAfterMs, phase, reason] of FAILURES) {
  const how = abortAfterMs !== undefined ? ', interrupted' : options.timeoutSeconds ? ', timed out' : '';
  test(`shared-memory, ${fault}${how}: a failed record saying why, and the segment is gone`, { skip: NO_NUMPY }, async () => {
    const r = await runLeavingNothing(fault, options, abortAfterMs);
    assert.equal(r.ok, false);
    assert.equal(r.failedPhase, phase, r.error);
    assert.match(r.error, reason);
  });
}
