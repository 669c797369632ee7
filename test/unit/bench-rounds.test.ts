/**
 * Each row of the bench's tables keeps its samples round by round (bench-tables.ts, rounds.ts), so
 * that the targets can take their ratios within a round; results from a fake runner, nothing real runs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchSteps } from '../../lib/sweep/bench-plan';
import type { BenchRunConfig } from '../../lib/sweep/bench-results';
import { channelRows, floorRows } from '../../lib/sweep/bench-tables';
import type { StepResult } from '../../lib/sweep/steps';
import { fakeResults } from '../helpers/bench-results';

const CONFIG: BenchRunConfig = {
  sizes: [1000],
  repeats: 2,
  transports: ['pipe', 'unix', 'file'],
  codecs: ['v8'],
  payloads: ['int32'],
  channels: ['pipe', 'shm'],
};

test('each row keeps every round apart: its total, its own floor parts and its own timings; Node, chunked and C per channel', () => {
  const results = fakeResults(benchSteps(CONFIG));
  const [pipe] = floorRows(CONFIG, results);
  // Only pipe's own floor parts: unix's raw-unix and the file's write and read are its codec group's, not pipe's.
  assert.deepEqual(
    pipe.byRound,
    [0, 1].map((round) => ({ round, totalSeconds: 0.3, parts: { 'raw-pipe': 0.3, encode: 0.1, decode: 0.1 }, own: { encode: 0.02 } })),
  );
  assert.deepEqual(
    channelRows(CONFIG, results).map((c) => c.byRound),
    [
      [0, 1].map((round) => ({ round, nodeSeconds: 0.3, chunkedSeconds: 0.3, cSeconds: 0.05 })),
      [0, 1].map((round) => ({ round, nodeSeconds: 0.2, chunkedSeconds: null, cSeconds: 0.05 })),
    ],
    'shm: its two sets added within the round',
  );
});

test('a step that failed leaves its round without that side, under its own round: the other rounds keep theirs', () => {
  const config: BenchRunConfig = { ...CONFIG, transports: ['pipe'], repeats: 3, channels: ['pipe', 'shm'] };
  const results = fakeResults(benchSteps(config)).map((r): StepResult => {
    if (r.kind === 'transfer' && r.step.spec.transport === 'pipe' && r.step.round === 1) {
      return {
        ...r,
        ok: false,
        error: 'pipe: lost',
        record: { ...r.record, ok: false, error: 'pipe: lost', failedPhase: 'transfer', totalSeconds: null },
      };
    }
    if (r.kind === 'c-channel' && r.step.channel === 'pipe' && r.step.round === 0)
      return { ...r, ok: false, error: 'C: boom', seconds: null };
    if (r.kind === 'floor-op' && r.step.op === 'set-fresh' && r.step.round === 2)
      return { ...r, ok: false, error: 'set-fresh: boom', seconds: {} };
    return r;
  });
  const [pipe] = floorRows(config, results);
  assert.deepEqual(
    pipe.byRound?.map((r) => [r.round, r.totalSeconds, Object.keys(r.parts).length]),
    [
      [0, 0.3, 3],
      [1, null, 3],
      [2, 0.3, 3],
    ],
    'round 1 has its floor parts but no total',
  );
  assert.equal(pipe.totals, 2);
  const [channel, shm] = channelRows(config, results);
  assert.deepEqual(
    channel.byRound?.map((r) => [r.round, r.nodeSeconds, r.cSeconds]),
    [
      [0, 0.3, null],
      [1, 0.3, 0.05],
      [2, 0.3, 0.05],
    ],
  );
  assert.deepEqual(
    shm.byRound?.map((r) => [r.round, r.nodeSeconds]),
    [
      [0, 0.2],
      [1, 0.2],
      [2, null],
    ],
    'a round missing one of its sets has no Node time',
  );
});
