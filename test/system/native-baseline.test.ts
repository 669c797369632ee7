import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { NATIVE_CHANNELS, NATIVE_DESTS, runNativeBaseline } from '../../lib/measure/native-baseline';
import { NATIVE_BASELINE_PATH } from '../../lib/model/paths';
import { UsageError } from '../../lib/model/usage-error';
import { type Isolation, isolate } from '../helpers/isolation';

// The native baseline (native/ipc_baseline.c): every channel × destination carries 1 MB and 4 MB
// intact; bad arguments end in exit 2 and one line; nothing is left running or on disk, whether
// a run ends well, badly or aborted.
let iso: Isolation;
before(() => (iso = isolate('native')));
after(() => iso.dispose());

/** ipc_baseline processes (zombies too) that carry this test's tag: a reaped binary leaves none. */
function leftoverBaselines(): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'latin1').trim() !== 'ipc_baseline') continue;
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`IPC_LAB_TAG=${iso.tag}\0`)) found.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

async function assertNothingLeft(): Promise<void> {
  const deadline = Date.now() + 3000;
  while (leftoverBaselines().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(leftoverBaselines(), [], 'no ipc_baseline process left, not even a zombie');
  assert.deepEqual(iso.leftoverFiles(), [], 'no temp dir or socket left');
}

for (const channel of NATIVE_CHANNELS) {
  for (const dest of NATIVE_DESTS) {
    test(`${channel} into a ${dest} destination carries 1 MB and 4 MB intact`, async () => {
      for (const bytes of [1e6, 4e6]) {
        const results = await runNativeBaseline({ channel, bytes, dest, repeats: 2, timeoutSeconds: 60 });
        assert.equal(results.length, 2);
        for (const r of results) {
          assert.deepEqual({ ...r, seconds: 0 }, { channel, bytes, dest, seconds: 0, ok: true });
          assert.ok(r.seconds > 0 && r.seconds < 10, `seconds ${r.seconds}`);
        }
      }
      await assertNothingLeft();
    });
  }
}

test('the binary itself removes its socket dir and reaps its receiver', async () => {
  // Run directly (TMPDIR is the test's private root), not through the wrapper that removes its own temp dir.
  for (const channel of NATIVE_CHANNELS) {
    const run = spawnSync(NATIVE_BASELINE_PATH, ['--channel', channel, '--bytes', '1000003', '--dest', 'fresh'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^\\{"channel":"${channel}","bytes":1000003,"dest":"fresh","seconds":[0-9.]+,"ok":true\\}\\n$`));
  }
  await assertNothingLeft();
});

test('bad arguments: exit 2, one line on stderr naming the value, nothing on stdout', async () => {
  const rows: [string[], RegExp][] = [
    [['--channel', 'x', '--bytes', '1', '--dest', 'fresh'], /--channel "x" is not one of pipe, unix, tcp, shm/],
    [['--channel', 'pipe', '--bytes', 'x', '--dest', 'fresh'], /--bytes "x" is not a whole number from 1 to \d+/],
    [['--channel', 'pipe', '--bytes', '0', '--dest', 'fresh'], /--bytes "0" is not a whole number/],
    [['--channel', 'pipe', '--bytes', '-5', '--dest', 'fresh'], /--bytes "-5" is not a whole number/],
    [['--channel', 'pipe', '--bytes', '99999999999999999999999', '--dest', 'fresh'], /--bytes "9+" is not a whole number/],
    [['--channel', 'pipe', '--bytes', '10', '--dest', 'old'], /--dest "old" is not one of fresh, reused/],
    [['--channel', 'pipe', '--bytes', '10', '--dest', 'fresh', '--repeats', '0'], /--repeats "0" is not a whole number/],
    [['--channel', 'pipe', '--bytes', '10'], /--dest is missing/],
    [['--channel', 'pipe', '--channel', 'tcp'], /--channel is given twice/],
    [['--bytes'], /--bytes needs a value/],
    [['--fast'], /unknown argument "--fast"/],
    [['--channel', 'pipe\nx', '--bytes', '10', '--dest', 'fresh'], /--channel "pipe\?x" is not one of/],
  ];
  for (const [args, expected] of rows) {
    const run = spawnSync(NATIVE_BASELINE_PATH, args, { encoding: 'utf8' });
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^ipc_baseline: [^\n]+\n$/, 'one line');
    assert.match(run.stderr, expected);
  }
  await assert.rejects(
    runNativeBaseline({ channel: 'pipe', bytes: 1.5, dest: 'fresh' }),
    (error: Error) => error instanceof UsageError && /--bytes "1.5" is not a whole number/.test(error.message),
  );
  await assertNothingLeft();
});

test('an aborted run and a timed-out run leave nothing behind', async () => {
  for (const channel of NATIVE_CHANNELS) {
    const controller = new AbortController();
    const running = runNativeBaseline({ channel, bytes: 1e6, dest: 'fresh', repeats: 1000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50 + Math.random() * 100);
    await assert.rejects(running, /the native baseline was aborted/);
  }
  await assert.rejects(
    runNativeBaseline({ channel: 'unix', bytes: 1e6, dest: 'fresh', repeats: 1000, timeoutSeconds: 0.1 }),
    /timed out after 0.1 s/,
  );
  await assertNothingLeft();
});
