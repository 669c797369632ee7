import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import {
  MESSAGE_LIMIT_CHANNELS,
  MESSAGE_LIMIT_PATTERNS,
  MESSAGE_LIMIT_SOURCES,
  type MessageLimitRow,
  runMessageLimit,
} from '../../lib/measure/message-limits';
import { MSG_BASELINE_PATH } from '../../lib/model/paths';
import { UsageError } from '../../lib/model/usage-error';
import { type Isolation, isolate } from '../helpers/isolation';

// The limits beside the message patterns: every source × channel × pattern carries 200 messages
// of 64 B and 20 of 64 KiB, verified, with plausible numbers; bad arguments are one line; a
// timeout or SIGTERM leaves nothing running or on disk.
let iso: Isolation;
before(() => (iso = isolate('msglimits')));
after(() => iso.dispose());

/** The children of process `pid` (by /proc's stat). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

/** Processes whose parent is this test process (zombies too): every run must have reaped its own. */
const myChildren = () => childrenOf(process.pid);

async function assertNothingLeft(): Promise<void> {
  assert.deepEqual(await iso.waitForNoProcesses(3000), [], 'no process of this test left running');
  assert.deepEqual(myChildren(), [], 'no child of this test process left, not even a zombie');
  assert.deepEqual(iso.leftoverFiles(), [], 'no temp dir, FIFO or socket left');
}

function assertPlausible(row: MessageLimitRow): void {
  const where = `${row.source} ${row.channel} ${row.pattern} ${row.messageBytes} B`;
  assert.equal(row.ok, true, `${where}: ${row.error}`);
  assert.equal(row.error, null);
  assert.ok(row.messagesPerSecond !== null && row.messagesPerSecond > 0, `${where}: messages/s ${row.messagesPerSecond}`);
  assert.ok(row.messagesPerSecond < 1e9, `${where}: messages/s ${row.messagesPerSecond} is beyond any machine`);
  assert.equal(row.bytesPerSecond, row.messagesPerSecond * row.messageBytes);
  assert.ok(row.senderCpuSecondsPerMessage !== null && row.senderCpuSecondsPerMessage >= 0);
  assert.ok(row.receiverCpuSecondsPerMessage !== null && row.receiverCpuSecondsPerMessage >= 0);
  assert.equal(row.cpuMeasure, row.channel === 'port' ? 'thread' : 'process');
  if (row.pattern === 'roundtrip') {
    const { roundTripP50Seconds: p50, roundTripP99Seconds: p99, roundTripMaxSeconds: max, roundTripMeanSeconds: mean } = row;
    assert.ok(p50 !== null && p99 !== null && max !== null && mean !== null, where);
    assert.ok(p50 > 0 && p50 <= p99 && p99 <= max, `${where}: p50 ${p50} p99 ${p99} max ${max}`);
    assert.ok(p50 < 1, `${where}: a round trip of ${p50} s`);
    assert.ok(Math.abs(row.messagesPerSecond * mean - 1) < 1e-9, 'roundtrip messages/s = 1 / mean');
    assert.ok(row.histogram && row.histogram.split(' ').length > 100, 'the percentile points are kept');
  } else {
    assert.equal(row.roundTripP50Seconds, null);
    assert.equal(row.histogram, '');
  }
}

for (const source of MESSAGE_LIMIT_SOURCES) {
  for (const channel of MESSAGE_LIMIT_CHANNELS[source]) {
    test(`${source} over ${channel}: both patterns at 64 B and 64 KiB, verified`, async () => {
      for (const pattern of MESSAGE_LIMIT_PATTERNS) {
        for (const [bytes, messages] of [
          [64, 200],
          [65536, 20],
        ]) {
          const row = await runMessageLimit(source, channel, pattern, bytes, messages, { timeoutSeconds: 60 });
          assert.deepEqual(
            [row.source, row.channel, row.pattern, row.messageBytes, row.messages, row.warmupMessages],
            [source, channel, pattern, bytes, messages, 20 === messages ? 10 : 20],
          );
          assertPlausible(row);
        }
      }
      await assertNothingLeft();
    });
  }
}

test('bad arguments are one UsageError line naming the value and what is valid', async () => {
  const cases: [Parameters<typeof runMessageLimit>, RegExp][] = [
    [['c', 'port', 'rate', 64, 10], /channel "port" is not one of c's channels: pipe, unix, tcp, shm/],
    [
      ['node-minimal', 'shm', 'rate', 64, 10],
      /channel "shm" is not one of node-minimal's channels: pipe, unix, tcp, pipe-v8, unix-v8, tcp-v8, port, ipc, ipc-json/,
    ],
    [['python' as never, 'pipe', 'rate', 64, 10], /source "python" is not one of c, node-minimal/],
    [['c', 'pipe', 'stream' as never, 64, 10], /pattern "stream" is not one of roundtrip, rate/],
    [['c', 'pipe', 'rate', 7, 10], /a message needs at least 8 bytes; 7 is too small \(valid: 8 B to 1 MiB\)/],
    [['c', 'pipe', 'rate', 2 ** 20 + 1, 10], /message size 1048577 is larger/],
    [['node-minimal', 'ipc-json', 'rate', 8, 10], /ipc-json sends object messages, which need at least 64 bytes; 8 is too small/],
    [['c', 'pipe', 'rate', 64, 0], /message count 0 is not a whole number from 1 to 10000000/],
    [['c', 'pipe', 'rate', 64, 10, { timeoutSeconds: -1 }], /timeoutSeconds -1 is not a positive number/],
  ];
  for (const [args, message] of cases) {
    await assert.rejects(runMessageLimit(...args), (error: Error) => {
      assert.ok(error instanceof UsageError, `${args}: ${error}`);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  }
  // The binary itself: exit 2 and one line on stderr.
  for (const [args, message] of [
    [['--channel', 'fifo', '--pattern', 'rate', '--bytes', '64', '--messages', '1'], /--channel "fifo" is not one of pipe, unix, tcp, shm/],
    [
      ['--channel', 'pipe', '--pattern', 'rate', '--bytes', '2M', '--messages', '1'],
      /--bytes "2M" is not a whole number from 8 to 1048576/,
    ],
    [['--channel', 'pipe', '--bytes', '64', '--messages', '1'], /--pattern is missing/],
    [['--channel', 'pipe', '--pattern', 'rate', '--bytes', '64', '--messages', '1', '--warmup', '-1'], /--warmup "-1" is not a whole/],
  ] as const) {
    const run = spawnSync(MSG_BASELINE_PATH, args, { encoding: 'utf8' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.equal(run.stdout, '');
  }
  await assertNothingLeft();
});

test('a timeout kills the whole run and leaves a failed row, nothing running or on disk', async () => {
  for (const source of MESSAGE_LIMIT_SOURCES) {
    for (const channel of ['unix', 'pipe']) {
      const row = await runMessageLimit(source, channel, 'roundtrip', 64, 5_000_000, { timeoutSeconds: 1 });
      assert.equal(row.ok, false);
      assert.match(row.error ?? '', /timed out after 1 s/);
      assert.equal(row.roundTripP50Seconds, null);
      await assertNothingLeft();
    }
  }
});

test('an abort stops a run the same way', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 500);
  const row = await runMessageLimit('node-minimal', 'port', 'rate', 1024, 5_000_000, { signal: controller.signal, timeoutSeconds: 60 });
  assert.equal(row.ok, false);
  assert.match(row.error ?? '', /was aborted/);
  await assertNothingLeft();
});

test('a peer killed mid-run is a failed row that says so, and nothing is left', async () => {
  const cases = [
    ['c', 'unix'],
    ['c', 'shm'],
    ['node-minimal', 'unix'],
    ['node-minimal', 'ipc'],
  ] as const;
  for (const [source, channel] of cases) {
    const running = runMessageLimit(source, channel, 'rate', 64, 10_000_000, { timeoutSeconds: 60 });
    let peer: number | undefined;
    for (let waited = 0; peer === undefined && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      peer = myChildren().flatMap(childrenOf)[0];
    }
    assert.ok(peer, `${source} ${channel}: the peer process was found`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(peer, 'SIGKILL');
    const row = await running;
    assert.equal(row.ok, false, `${source} ${channel}`);
    assert.match(row.error ?? '', /peer (was killed by signal 9|ended with SIGKILL)/);
    await assertNothingLeft();
  }
});

test('msg_baseline on SIGTERM reaps its peer and removes its socket dir', async () => {
  for (const channel of ['unix', 'shm']) {
    const child = spawn(MSG_BASELINE_PATH, ['--channel', channel, '--pattern', 'rate', '--bytes', '64', '--messages', '10000000'], {
      stdio: 'ignore',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const peers = childrenOf(child.pid ?? -1);
    assert.equal(peers.length, 1, `${channel}: one forked peer while running`);
    if (channel === 'unix') assert.ok(fs.readdirSync(iso.tmpRoot).length <= 1);
    const ended = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGTERM');
    assert.equal(await ended, 'SIGTERM');
    assert.equal(fs.existsSync(`/proc/${peers[0]}`), false, `${channel}: the peer was reaped`);
    await assertNothingLeft();
  }
});
