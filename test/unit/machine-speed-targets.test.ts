/** Issue 20's targets and their verdicts (lib/findings/machine-speed-targets.ts) from hand-built bench and three-way rows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchReport } from '../../lib/cli/bench-print';
import {
  benchTargetResults,
  judge,
  MACHINE_SPEED_TARGETS,
  threeWayTargetResults,
  thresholdText,
  verdictCounts,
  verdictText,
} from '../../lib/findings/machine-speed-targets';
import type { ThreeWayRow } from '../../lib/findings/three-ways';
import { channel, close, find, floor, one, parts } from '../helpers/target-rows';

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

test("raw ÷ the raw channel and v8 ÷ floor, at each of the bench's sizes and payloads the run has; smaller sizes are not judged", () => {
  const floorRows = [
    floor('pipe', 'raw', 'int32', 1e5, [0.003, 0.003, 0.003], parts(0.001)),
    floor('pipe', 'v8', 'int32', 1e6, [0.03, 0.03, 0.03], parts(0.001)),
    floor('pipe', 'raw', 'int32', 1e7, [0.105, 0.1, 0.11], parts(0.1)),
    floor('pipe', 'raw', 'int32', 1e8, [1.2, 1.2, 1.2], parts(1)),
    floor('pipe', 'v8', 'int32', 1e8, [2, 2, 2], { 'raw-pipe': [1, 1, 1], encode: [0.3, 0.3, 0.3], decode: [0.3, 0.3, 0.3] }),
    floor('pipe', 'v8', 'list', 1e8, [3, 3, 3], { 'raw-pipe': [1, 1, 1], encode: [1, 1, 1], decode: [0.5, 0.5, 0.5] }),
  ];
  const results = benchTargetResults({ floorRows, channelRows: [] });
  assert.equal(find(results, 'raw-vs-channel', 'pipe').length, 2, 'one result a size: 10^7 and 10^8, not 10^5');
  assert.equal(find(results, 'v8-vs-floor', 'pipe', 1e6).length, 0, 'below the bench sizes: not judged');
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
