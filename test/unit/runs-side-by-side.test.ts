/** Notebook 14's findings (lib/findings/runs.ts): runs set side by side and the pair compared by default, from fake runs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPair, type LoadedRun, sideBySide } from '../../lib/findings/runs';
import { blankRecord } from '../../lib/model/record';
import type { CodecName, TransferRecord } from '../../lib/model/types';
import { runsFigure, runsSideBySide } from '../../lib/notebook/runs';
import { testDescription } from '../helpers/run-description';

/** Measured, ok repeats of one Node configuration with the given totals. */
function totals(transport: string, sizeElements: number, seconds: number[], codec?: CodecName): TransferRecord[] {
  return seconds.map((totalSeconds, repeat) => ({
    ...blankRecord({ runtime: 'node', transport, payload: 'int32', sizeElements, codec }, { runId: 'r', repeat, warmup: false }),
    ok: true,
    totalSeconds,
  }));
}

function run(name: string, date: string, records: TransferRecord[]): LoadedRun {
  return { name, path: `data/results/${name}`, description: testDescription({ runId: name, date }), records };
}

const OLD = run('old', '2026-01-01T00:00:00Z', [
  ...totals('pipe', 1e6, [1, 2, 3]),
  ...totals('pipe', 1e7, [10, 20]),
  ...totals('unix', 1e7, [5]),
]);
const NEW = run('new', '2026-02-01T00:00:00Z', [
  ...totals('pipe', 1e7, [8, 9]),
  ...totals('pipe', 1e7, [4, 4], 'raw'),
  ...totals('unix', 1e7, [6, 7]),
]);
const OTHER = run('other', '2026-03-01T00:00:00Z', totals('unix', 1e7, [1, 1]));

test('sideBySide: each configuration once, its median in every run that has it, in the order runs first name them', () => {
  assert.deepEqual(
    sideBySide([OLD, NEW]).map((r) => [r.label, r.sizeElements, r.medianSeconds, r.runCount]),
    [
      ['pipe', 1e6, [2, null], 1],
      ['pipe', 1e7, [15, 8.5], 2],
      ['unix', 1e7, [5, 6.5], 2],
      ['pipe/raw', 1e7, [null, 4], 1],
    ],
  );
  assert.deepEqual(
    runsSideBySide([OLD, NEW], 2).map((r) => [r.configuration, r.old, r.new]),
    [
      ['node pipe int32 1e7', 15, 8.5],
      ['node unix int32 1e7', 5, 6.5],
    ],
  );
  const rate = totals('pipe', 1e4, [2, 4]).map((r) => ({ ...r, pattern: 'rate' as const, messageBytes: 64 }));
  assert.deepEqual(
    runsSideBySide([run('messages', OLD.description.date, [...rate, ...totals('pipe', 1e4, [1])])]).map((r) => [
      r.configuration,
      r.messages,
    ]),
    [
      ['node pipe int32 1e4 rate of 64 B', 3],
      ['node pipe int32 1e4', 1],
    ],
    'a message pattern is its own configuration',
  );
});

test('runsFigure: the configurations every run shares, at the largest size they share, one bar per run', () => {
  const fig = runsFigure([OLD, NEW]);
  assert.match(fig.title, /all 2 runs share, at 1e7 elements/);
  assert.deepEqual(
    fig.data.map((d) => [d.name, d.x, d.y]),
    [
      ['old', ['node pipe int32', 'node unix int32'], [15, 5]],
      ['new', ['node pipe int32', 'node unix int32'], [8.5, 6.5]],
    ],
  );
  assert.equal(runsFigure([OLD, run('empty', OLD.description.date, [])]).title, 'The runs share no configuration');
});

test('defaultPair: the pair sharing the most configurations measured twice each, older first; the newer pair on a tie', () => {
  assert.deepEqual(
    defaultPair([NEW, OLD])?.map((r) => r.name),
    ['old', 'new'],
  );
  assert.deepEqual(
    defaultPair([OLD, NEW, OTHER])?.map((r) => r.name),
    ['new', 'other'],
    'old and new share pipe 1e7, new and other unix 1e7 (old ran it once): the tie goes to the newer pair',
  );
  const both = run('both', '2025-01-01T00:00:00Z', [...totals('pipe', 1e7, [2, 2]), ...totals('unix', 1e7, [2, 2])]);
  assert.deepEqual(
    defaultPair([NEW, OTHER, both])?.map((r) => r.name),
    ['both', 'new'],
    'two shared configurations beat a newer pair sharing one',
  );
  assert.equal(defaultPair([OLD]), null);
});
