/**
 * Issue 20's bench targets as medians of same-round ratios (lib/findings/bench-target-values.ts):
 * a machine that drifts between rounds, rounds that failed on one side, and a bench.json saved
 * before rows kept their rounds.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { targetLine } from '../../lib/cli/bench-print';
import { benchTargetResults } from '../../lib/findings/machine-speed-targets';
import { machineTargetTableRows } from '../../lib/notebook/machine-speed-targets';
import { BENCH_FILE, BENCH_SCHEMA, loadBenchRun } from '../../lib/sweep/bench-results';
import { channelRow } from '../../lib/sweep/channel-limits';
import { channel, close, floor, one, parts } from '../helpers/target-rows';

test('a slow spell on another part each round: every round meets v8 ÷ floor, so does their median; the ratio of medians misses', () => {
  // Each round's floor is 4 s (one part slowed to 2 s) under a total of 4.8 s: 1.2 in every round. Each part's
  // median (1 s) comes from the rounds it was fast in, so the parts' medians add up to a floor of 3 s no round had.
  const row = floor('pipe', 'v8', 'int32', 1e8, [4.8, 4.8, 4.8], { 'raw-pipe': [2, 1, 1], encode: [1, 2, 1], decode: [1, 1, 2] });
  close(row.ratio, 1.6, "the floor table's ratio of medians, 4.8 ÷ 3, which it keeps");
  const sameRound = one(benchTargetResults({ floorRows: [row], channelRows: [] }), 'v8-vs-floor', 'pipe');
  close(sameRound.value, 1.2, 'the median of 4.8 ÷ 4 in each round');
  close(sameRound.spread, 0, 'the rounds agree');
  assert.deepEqual([sameRound.rounds, sameRound.basis, sameRound.verdict], [3, 'same-round', { kind: 'met' }]);
  const byMedians = one(benchTargetResults({ floorRows: [{ ...row, byRound: null }], channelRows: [] }), 'v8-vs-floor', 'pipe');
  close(byMedians.value, 1.6, 'the same row without its rounds: the ratio of medians');
  assert.equal(byMedians.verdict.kind, 'missed');
  assert.equal(byMedians.basis, 'medians');
});

test('Node raw ÷ C on a drifting machine with a failed round on each side: only the rounds that measured both pair', () => {
  // Rounds 1 and 2 ran twice as slow as the others; Node took 1.1 × C in every round. Node's round 3 and C's round 1 failed.
  const byRound = [
    { round: 0, nodeSeconds: 1.1, chunkedSeconds: null, cSeconds: 1 },
    { round: 1, nodeSeconds: 2.2, chunkedSeconds: null, cSeconds: null },
    { round: 2, nodeSeconds: 2.2, chunkedSeconds: null, cSeconds: 2 },
    { round: 3, nodeSeconds: null, chunkedSeconds: null, cSeconds: 1 },
    { round: 4, nodeSeconds: 1.1, chunkedSeconds: null, cSeconds: 1 },
  ];
  const row = (rounds: typeof byRound) =>
    channelRow({
      channel: 'pipe',
      sizeElements: 1e8,
      nodeSamples: { 'raw-pipe': rounds.flatMap((r) => (r.nodeSeconds === null ? [] : [r.nodeSeconds])) },
      cSamples: rounds.flatMap((r) => (r.cSeconds === null ? [] : [r.cSeconds])),
      byRound: rounds,
    });
  const five = row(byRound);
  close(five.ratio, 1.65 / 1, "the channel table's ratio of medians: Node's 1.1, 1.1, 2.2, 2.2 against C's 1, 1, 1, 2");
  const result = one(benchTargetResults({ floorRows: [], channelRows: [five] }), 'node-direct-vs-c', 'pipe', 1e8);
  close(result.value, 1.1, 'rounds 0, 2 and 4');
  assert.deepEqual([result.rounds, result.verdict], [3, { kind: 'met' }]);
  const four = one(benchTargetResults({ floorRows: [], channelRows: [row(byRound.slice(0, 4))] }), 'node-direct-vs-c', 'pipe', 1e8);
  close(four.value, 1.1, 'rounds 0 and 2: shown');
  assert.deepEqual(four.verdict, { kind: 'not-measured', why: '2 rounds; the target asks for at least 3' });
  const none = one(benchTargetResults({ floorRows: [], channelRows: [row([byRound[1], byRound[3]])] }), 'node-direct-vs-c', 'pipe', 1e8);
  assert.deepEqual([none.value, none.rounds, none.basis], [null, 0, null]);
  assert.deepEqual(none.verdict, { kind: 'not-measured', why: "no round measured both Node's time and the C program's" });
});

test('a bench.json saved before rows kept their rounds loads, and its targets fall back to ratios of medians, saying so', () => {
  const floorRows = [
    floor('pipe', 'raw', 'int32', 1e8, [1.2, 1.0, 1.1], parts(1)),
    floor('pipe', 'packed', 'list', 1e8, [3, 3, 3], parts(1, 1), [1.2, 1.25, 1.1]),
  ];
  const channelRows = [channel('pipe', 1e8, { 'raw-pipe': [1.1, 1.0, 1.2] }, [1, 1, 1])];
  const run = { schema: BENCH_SCHEMA, description: {}, config: {}, heapLimitMb: 2048, floorRows, channelRows, minutes: 1 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-old-bench-'));
  try {
    // An older run wrote no byRound at all.
    fs.writeFileSync(
      path.join(dir, BENCH_FILE),
      JSON.stringify(run, (key, value) => (key === 'byRound' ? undefined : value)),
    );
    const old = loadBenchRun(dir);
    assert.deepEqual(
      [...old.floorRows, ...old.channelRows].map((r) => r.byRound),
      [null, null, null],
    );
    const results = benchTargetResults(old);
    const raw = one(results, 'raw-vs-channel', 'pipe', 1e8);
    close(raw.value, 1.1, 'median total 1.1 ÷ median raw channel 1');
    close(raw.spread, 0.1 / 1.1, "the totals' spread, as before");
    const peer = one(results, 'peer-decode-vs-warm', 'pipe');
    close(peer.value, 1.2, "the peer's median decode ÷ the warm one");
    assert.equal(peer.spread, null, 'a saved row keeps the peer decode as a median only');
    const direct = one(results, 'node-direct-vs-c', 'pipe', 1e8);
    assert.deepEqual([raw.basis, peer.basis, direct.basis], ['medians', 'medians', 'medians']);
    assert.deepEqual(direct.verdict, { kind: 'met' }, 'still judged');
    assert.equal(machineTargetTableRows([direct])[0]['measured as'], 'ratio of medians');
    assert.match(targetLine(direct), / met \(ratio of medians\)$/);
    const fresh = one(benchTargetResults({ floorRows, channelRows }), 'node-direct-vs-c', 'pipe', 1e8);
    assert.equal(machineTargetTableRows([fresh])[0]['measured as'], 'median of same-round ratios');
    assert.match(targetLine(fresh), / met$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
