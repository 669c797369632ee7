/** Issue 20's targets and their verdicts (lib/findings/machine-speed-targets.ts) from hand-built bench and three-way rows. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { benchReport, targetLine } from '../../lib/cli/bench-print';
import {
  benchTargetResults,
  judge,
  MACHINE_SPEED_TARGETS,
  type TargetResult,
  threeWayTargetResults,
  thresholdText,
  verdictCounts,
  verdictText,
} from '../../lib/findings/machine-speed-targets';
import type { ThreeWayRow } from '../../lib/findings/three-ways';
import type { PayloadKind } from '../../lib/model/types';
import { machineTargetTableRows } from '../../lib/notebook/machine-speed-targets';
import { BENCH_FILE, BENCH_SCHEMA, loadBenchRun } from '../../lib/sweep/bench-results';
import { type BenchChannel, channelRow, nodeChannelRecipe } from '../../lib/sweep/channel-limits';
import { type FloorPart, floorRecipe, floorRow } from '../../lib/sweep/floors';
import { roundFloorSeconds } from '../../lib/sweep/rounds';

const close = (actual: number | null, expected: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);

/** Sample i of each list is round i's (as when no round failed); rounds as long as the longest list. */
const roundsOf = (...lists: readonly (readonly number[])[]): number[] => [...Array(Math.max(0, ...lists.map((l) => l.length))).keys()];
/** The entries of a record of lists at index i, those it has. */
const ofRound = <K extends string>(lists: Partial<Record<K, readonly number[]>>, i: number): Partial<Record<K, number>> =>
  Object.fromEntries(
    Object.entries<readonly number[] | undefined>(lists).flatMap(([k, l]) => (l?.[i] === undefined ? [] : [[k, l[i]]])),
  ) as Partial<Record<K, number>>;

/** A floor row of `transport` with `codec`: its totals, its parts' samples, and the peer's decodes, sample i in round i. */
function floor(
  transport: string,
  codec: string,
  payload: PayloadKind,
  sizeElements: number,
  totals: number[],
  samples: Partial<Record<FloorPart, number[]>>,
  peerDecodes: number[] = [],
) {
  return floorRow({
    recipe: floorRecipe(transport, codec, payload),
    sizeElements,
    bytes: 4 * sizeElements,
    totals,
    samples,
    ownSamples: { decode: peerDecodes },
    byRound: roundsOf(totals, ...Object.values<number[]>(samples), peerDecodes).map((round) => ({
      round,
      totalSeconds: totals[round] ?? null,
      parts: ofRound(samples, round),
      own: ofRound({ decode: peerDecodes }, round),
    })),
  });
}

/** A channel row: Node's parts and the C program, sample i in round i. */
function channel(name: BenchChannel, sizeElements: number, nodeSamples: Partial<Record<FloorPart, number[]>>, cSamples: number[]) {
  const byRound = roundsOf(cSamples, ...Object.values<number[]>(nodeSamples)).map((round) => ({
    round,
    nodeSeconds: roundFloorSeconds(nodeChannelRecipe(name), ofRound(nodeSamples, round)),
    chunkedSeconds: null,
    cSeconds: cSamples[round] ?? null,
  }));
  return channelRow({ channel: name, sizeElements, nodeSamples, cSamples, byRound });
}

const parts = (channel: number, decode = 0.001) => ({
  'raw-pipe': [channel, channel, channel],
  encode: [0.001, 0.001, 0.001],
  decode: [decode, decode, decode],
});

const find = (results: readonly TargetResult[], measure: string, subject: string, sizeElements?: number, payload?: PayloadKind) =>
  results.filter(
    (r) =>
      r.target.measure === measure &&
      r.subject === subject &&
      (sizeElements === undefined || r.sizeElements === sizeElements) &&
      (payload === undefined || r.payload === payload),
  );

const one = (results: readonly TargetResult[], measure: string, subject: string, sizeElements?: number, payload?: PayloadKind) => {
  const found = find(results, measure, subject, sizeElements, payload);
  assert.equal(found.length, 1, `one ${measure} result for ${subject}`);
  return found[0];
};

test('the targets are the issue’s, defined once: thresholds, sizes and subjects', () => {
  const of = (measure: string) => MACHINE_SPEED_TARGETS.filter((t) => t.measure === measure);
  assert.deepEqual(
    of('node-direct-vs-c').map((t) => [t.sizeElements, t.threshold]),
    [
      [1e8, 1.15],
      [1e7, 1.5],
    ],
  );
  assert.equal(of('raw-vs-channel')[0].threshold, 1.1);
  assert.equal(of('v8-vs-floor')[0].threshold, 1.25);
  assert.equal(of('peer-decode-vs-warm')[0].threshold, 1.3);
  assert.deepEqual(of('packed-vs-pickle')[0].subjects, ['Pipe', 'socket', 'File', 'Manager']);
  assert.equal(of('packed-vs-pickle')[0].threshold, 0.5);
  assert.deepEqual([of('total-spread')[0].threshold, of('total-spread')[0].minRounds], [0.2, 5]);
  assert.equal(thresholdText(of('total-spread')[0]), '< ±20 %');
  assert.equal(thresholdText(of('node-direct-vs-c')[0]), '≤ 1.15');
});

test('judge: at the threshold a ratio is met and a spread is not; too few rounds or no value is no verdict', () => {
  const [ratio] = MACHINE_SPEED_TARGETS;
  const spread = MACHINE_SPEED_TARGETS.find((t) => t.measure === 'total-spread');
  assert.ok(spread);
  assert.deepEqual(judge(ratio, 1.15, 3, ''), { kind: 'met' });
  const missed = judge(ratio, 1.38, 3, '');
  assert.equal(missed.kind, 'missed');
  close(missed.kind === 'missed' ? missed.by : null, 0.2, 'missed by');
  assert.equal(judge(spread, 0.2, 5, '').kind, 'missed');
  assert.deepEqual(judge(spread, 0.19, 5, ''), { kind: 'met' });
  assert.deepEqual(judge(spread, 0.05, 3, ''), { kind: 'not-measured', why: '3 rounds; the target asks for at least 5' });
  assert.deepEqual(judge(ratio, null, 3, 'no C time'), { kind: 'not-measured', why: 'no C time' });
  assert.equal(verdictText({ kind: 'missed', by: 0.2 }), 'missed by 20 %');
  assert.equal(verdictText({ kind: 'missed', by: 0.034 }), 'missed by 3.4 %');
  assert.equal(verdictText({ kind: 'not-measured', why: 'no C time' }), 'not measured: no C time');
});

test('Node raw ÷ C: per channel at 10^8 and 10^7, with the direct read’s spread; a channel not run says so', () => {
  const channelRows = [
    channel('pipe', 1e8, { 'raw-pipe': [1.1, 1.0, 1.2] }, [1, 1, 1]),
    channel('tcp', 1e8, { 'raw-tcp': [1.3, 1.3, 1.3] }, [1, 0.9, 1.1]),
    channel('pipe', 1e7, { 'raw-pipe': [0.12, 0.12] }, [0.1, 0.1]),
  ];
  const results = benchTargetResults({ floorRows: [], channelRows });
  const pipe = one(results, 'node-direct-vs-c', 'pipe', 1e8);
  close(pipe.value, 1.1, 'pipe ratio');
  close(pipe.spread, 0.1 / 1.1, 'pipe spread: ± half of (1.2 − 1.0) ÷ the median 1.1');
  assert.deepEqual(pipe.verdict, { kind: 'met' });
  const tcp = one(results, 'node-direct-vs-c', 'tcp', 1e8);
  assert.equal(tcp.verdict.kind, 'missed');
  close(tcp.verdict.kind === 'missed' ? tcp.verdict.by : null, 1.3 / 1.15 - 1, 'tcp missed by');
  const unix = one(results, 'node-direct-vs-c', 'unix', 1e8);
  assert.equal(unix.verdict.kind, 'not-measured');
  assert.match(unix.verdict.kind === 'not-measured' ? unix.verdict.why : '', /not in this run/);
  const small = one(results, 'node-direct-vs-c', 'pipe', 1e7);
  close(small.value, 1.2, 'the value is shown even without a verdict');
  assert.deepEqual(small.verdict, { kind: 'not-measured', why: '2 rounds; the target asks for at least 3' });
});

test('raw ÷ the raw channel and v8 ÷ floor, at every size and payload the run has', () => {
  const floorRows = [
    floor('pipe', 'raw', 'int32', 1e7, [0.105, 0.1, 0.11], parts(0.1)),
    floor('pipe', 'raw', 'int32', 1e8, [1.2, 1.2, 1.2], parts(1)),
    floor('pipe', 'v8', 'int32', 1e8, [2, 2, 2], { 'raw-pipe': [1, 1, 1], encode: [0.3, 0.3, 0.3], decode: [0.3, 0.3, 0.3] }),
    floor('pipe', 'v8', 'list', 1e8, [3, 3, 3], { 'raw-pipe': [1, 1, 1], encode: [1, 1, 1], decode: [0.5, 0.5, 0.5] }),
  ];
  const results = benchTargetResults({ floorRows, channelRows: [] });
  assert.equal(find(results, 'raw-vs-channel', 'pipe').length, 2, 'one result a size');
  const small = one(results, 'raw-vs-channel', 'pipe', 1e7);
  close(small.value, 1.05, 'the total ÷ the raw channel alone, not the whole floor');
  assert.deepEqual(small.verdict, { kind: 'met' });
  assert.equal(one(results, 'raw-vs-channel', 'pipe', 1e8).verdict.kind, 'missed');
  close(one(results, 'v8-vs-floor', 'pipe', 1e8, 'int32').value, 2 / 1.6, 'v8 int32 ÷ floor');
  assert.equal(one(results, 'v8-vs-floor', 'pipe', 1e8, 'int32').verdict.kind, 'met');
  close(one(results, 'v8-vs-floor', 'pipe', 1e8, 'list').value, 3 / 2.5, 'v8 list ÷ floor');
  const tcp = one(results, 'v8-vs-floor', 'tcp');
  assert.equal(tcp.sizeElements, null);
  assert.equal(tcp.verdict.kind, 'not-measured');
});

test("the peer's decode of a packed list at 10^8 against the warm decode; the file's raw spread needs 5 rounds", () => {
  const floorRows = [
    floor('tcp', 'packed', 'list', 1e8, [4, 4, 4], { 'raw-tcp': [1, 1, 1], encode: [0.5, 0.5, 0.5], decode: [1, 1, 1] }, [2.3, 2.2, 2.4]),
    floor('pipe', 'packed', 'list', 1e8, [3, 3, 3], parts(1, 1), [1.2, 1.25, 1.1]),
    floor('file', 'raw', 'int32', 1e8, [1, 1.1, 0.9, 1.05, 0.95], {}),
  ];
  const results = benchTargetResults({ floorRows, channelRows: [] });
  const tcp = one(results, 'peer-decode-vs-warm', 'tcp');
  close(tcp.value, 2.3, 'peer 2.3 s ÷ warm 1 s');
  close(tcp.spread, 0.1 / 2.3, "the rounds' ratios 2.3, 2.2, 2.4: ± half of 0.2 ÷ 2.3");
  assert.deepEqual([tcp.rounds, tcp.basis], [3, 'same-round']);
  assert.equal(tcp.verdict.kind, 'missed');
  assert.deepEqual(one(results, 'peer-decode-vs-warm', 'pipe').verdict, { kind: 'met' });
  assert.equal(one(results, 'peer-decode-vs-warm', 'file').verdict.kind, 'not-measured', 'the file with packed is not in the rows');
  const spread = one(results, 'total-spread', 'file');
  close(spread.value, 0.1, '± half of (1.1 − 0.9) ÷ 1');
  assert.deepEqual(spread.verdict, { kind: 'met' });
  const three = benchTargetResults({ floorRows: [floor('file', 'raw', 'int32', 1e8, [1, 1.1, 0.9], {})], channelRows: [] });
  assert.equal(one(three, 'total-spread', 'file').verdict.kind, 'not-measured');
});

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

test('Node packed ÷ CPython pickle per method, at the largest size, with its interval', () => {
  const row = (method: string, sizeElements: number, packedRatio: number | null, rounds = 3) =>
    ({
      method,
      sizeElements,
      cpythonTotalSeconds: 1,
      packedRatio,
      packedCiLow: packedRatio === null ? null : packedRatio * 0.9,
      packedCiHigh: packedRatio === null ? null : packedRatio * 1.1,
      packedRounds: rounds,
    }) as ThreeWayRow;
  const results = threeWayTargetResults([
    row('Pipe', 1e7, 0.9),
    row('Pipe', 1e8, 0.44),
    row('socket', 1e8, 0.78),
    row('File', 1e8, null, 0),
    row('Queue', 1e8, 0.1),
  ]);
  assert.deepEqual(
    results.map((r) => r.subject),
    ['Pipe', 'socket', 'File', 'Manager'],
  );
  assert.ok(results.every((r) => r.sizeElements === 1e8));
  assert.deepEqual(results[0].verdict, { kind: 'met' });
  assert.deepEqual(results[0].interval, [0.44 * 0.9, 0.44 * 1.1]);
  assert.equal(results[1].verdict.kind, 'missed');
  assert.deepEqual(results[2].verdict, { kind: 'not-measured', why: 'no Node total with packed' });
  assert.match(results[3].verdict.kind === 'not-measured' ? results[3].verdict.why : '', /Manager not in this run/);
  assert.deepEqual(verdictCounts(results), { met: 1, missed: 1, 'not-measured': 2 });
});

test('the bench prints a Targets table after its tables, a line a result with its verdict', () => {
  const channelRows = [channel('pipe', 1e8, { 'raw-pipe': [1.3, 1.3, 1.3] }, [1, 1, 1])];
  const report = benchReport('title', [], channelRows);
  const at = report.indexOf('Targets');
  assert.ok(at > report.indexOf('Node raw ÷ C'), 'after the tables');
  assert.match(
    report.slice(at),
    /^Targets \(issue 20: each ratio the median of its same-round ratios, over at least 3 interleaved rounds; /,
  );
  assert.match(report.slice(at), /^Node raw channel ÷ C\s+pipe\s+1e8\s+int32\s+≤ 1\.15\s+1\.30×\s+±0%\s+3\s+missed by 13 %$/m);
  assert.match(report.slice(at), /^Node raw channel ÷ C\s+unix\s+1e8\s.*not measured: channel unix at 1e8 not in this run$/m);
  assert.match(report.slice(at), /met 0, missed 1, not measured \d+/);
});
