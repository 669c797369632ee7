import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { MISSING } from '../../lib/model/format';
import { type Isolation, isolate } from '../helpers/isolation';
import { runEntry } from '../helpers/run-entry';

/**
 * `npm run bench:messages` end to end, at a tiny scale: each transport and its raw row beside bare
 * Node sending the same way and the C floor, as ratios with verdicts; bad input is one line and
 * exit code 2; nothing of the run is left behind unless --save asks for it.
 */
let iso: Isolation;
before(() => (iso = isolate('message-bench-cli')));
after(() => iso.dispose());

const bench = (args: string[]) => runEntry('lib/cli/message-bench.ts', args);

test('pipe and queue at 64 B: each row ÷ its own bare Node loop and ÷ C, with verdicts; nothing kept', async () => {
  const { code, stdout, stderr } = await bench([
    '--transports',
    'pipe,queue',
    '--message-sizes',
    '64',
    '--rounds',
    '1',
    '--messages',
    '200',
  ]);
  assert.equal(code, 0, stderr);
  const lines = stdout.split('\n');
  assert.match(
    lines.find((l) => l.startsWith('transport')) ?? '',
    /p50 µs\s+bare p50\s+÷ bare\s+≤ 1\.5\s+÷ C\s+msg\/s\s+bare msg\/s\s+÷ bare\s+≥ 0\.67\s+note/,
  );
  const row = (name: string) => lines.find((l) => l.startsWith(`${name} `)) ?? assert.fail(`no row for ${name}:\n${stdout}`);
  const number = String.raw`\d[\d.e+]*`;
  for (const name of ['pipe', 'pipe/raw']) {
    // p50, bare p50, ratio, verdict, ÷ C, rate, bare rate, ratio, verdict: every cell measured.
    assert.match(row(name), new RegExp(`^${name}\\s+64 B(\\s+${number}){3}\\s+(met|MISSED)(\\s+${number}){4}\\s+(met|MISSED)$`));
  }
  // A MessagePort has no C channel beside it: a dash, and still its bare Node ratio.
  assert.match(
    row('queue'),
    new RegExp(`^queue\\s+64 B(\\s+${number}){3}\\s+(met|MISSED)\\s+${MISSING}(\\s+${number}){3}\\s+(met|MISSED)$`),
  );
  assert.match(stdout, /Targets against bare Node over the same channel, in this run: p50 round trip ≤ 1\.5× met in \d of 3/);
  // The pipe in v8 was held to bare Node's v8 loop, its raw row to the raw loop: both ran.
  assert.match(stderr, /node-minimal pipe-v8 rate 64 B/);
  assert.match(stderr, /node-minimal pipe rate 64 B/);
  assert.deepEqual(await iso.waitForNoProcesses(3000), []);
  const left = iso.leftoverFiles().filter((file) => !/^v8-compile-cache/.test(path.basename(file)));
  assert.deepEqual(left, [], 'the run was not asked to be kept');
});

test('bad input: one line naming the value and what is valid, exit code 2', async () => {
  for (const [args, message] of [
    [['--transports', 'pipr'], /^ipc-lab: unknown transport "pipr": did you mean "pipe"\? valid: queue, pipe/],
    [['--transports', 'file'], /^ipc-lab: unknown transport "file"/],
    [['--rounds', '0'], /^ipc-lab: --rounds "0" is not a whole number from 1 to 100$/],
    [['--message-sizes', '4'], /^ipc-lab: --message-sizes: 4 bytes is outside 8 B to 1 MiB, the messages the limits' programs send$/],
    [['--message-sizes', '2MiB'], /^ipc-lab: --message-sizes: 2097152 bytes is outside 8 B to 1 MiB/],
    [['--pattern', 'transfer'], /^ipc-lab: unknown pattern "transfer".*valid: roundtrip, rate/],
    [['--bogus'], /^ipc-lab: unknown flag --bogus/],
  ] as const) {
    const { code, stdout, stderr } = await bench([...args]);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr.trim(), message);
  }
});
