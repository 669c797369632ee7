import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPreset, SWEEP_PRESETS } from '../../lib/cli/presets';
import { expandSweep, type PlannedTransfer } from '../../lib/sweep/plan';

const short = (t: PlannedTransfer) =>
  `${t.spec.runtime} ${t.spec.transport} ${t.spec.payload} ${t.spec.sizeElements} ${t.warmup ? 'w' : 'm'}${t.repeat}`;

test('article-pipe is the size sweep of Pipe from 10 to 1e8', () => {
  const { transfers } = expandSweep(findPreset('article-pipe').config);
  assert.deepEqual(transfers.map(short), [
    'node pipe list 10 m0',
    'node pipe list 100000 m0',
    'node pipe list 1000000 m0',
    'node pipe list 10000000 m0',
    'node pipe list 100000000 m0',
  ]);
});

test('article-methods sends 1e8 elements once through each transport', () => {
  const { transfers } = expandSweep(findPreset('article-methods').config);
  assert.equal(transfers.length, 15);
  assert.ok(transfers.every((t) => t.spec.sizeElements === 100_000_000 && t.spec.payload === 'list' && !t.warmup));
});

test('every preset has a one-line description; unknown names suggest the nearest', () => {
  for (const e of SWEEP_PRESETS) assert.ok(e.description.length > 10 && !e.description.includes('\n'), e.name);
  assert.throws(() => findPreset('article-pipes'), /unknown preset "article-pipes": did you mean "article-pipe"\?/);
});

test('findPreset returns a copy: changing it leaves the preset alone', () => {
  const copy = findPreset('article-pipe');
  copy.config.sizes.push(5);
  assert.deepEqual(findPreset('article-pipe').config.sizes, [10, 1e5, 1e6, 1e7, 1e8]);
});
