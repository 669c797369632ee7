/** Ratios within a round (lib/sweep/rounds.ts): two per-round series paired by round, and one round's floor. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { floorFromSamples, floorRecipe } from '../../lib/sweep/floors';
import { roundFloorSeconds, sameRoundRatios } from '../../lib/sweep/rounds';

test('two series pair by round, not by position, in round order', () => {
  const ratios = sameRoundRatios(
    [
      { round: 2, seconds: 3 },
      { round: 0, seconds: 2 },
      { round: 1, seconds: 1.5 },
    ],
    [
      { round: 0, seconds: 1 },
      { round: 1, seconds: 1 },
      { round: 2, seconds: 2 },
    ],
  );
  assert.deepEqual(ratios, [
    { round: 0, ratio: 2 },
    { round: 1, ratio: 1.5 },
    { round: 2, ratio: 1.5 },
  ]);
});

test('a round that failed on either side pairs with nothing: it is skipped, and the later rounds do not shift into its place', () => {
  const numerator = [
    { round: 0, seconds: 1.1 },
    { round: 1, seconds: null }, // the transfer failed
    { round: 2, seconds: 1.3 },
    { round: 3, seconds: 1.2 },
  ];
  const denominator = [
    { round: 0, seconds: 1 },
    { round: 1, seconds: 1 },
    { round: 2, seconds: 1 },
    // round 3: the C program failed and left no entry at all
    { round: 4, seconds: 1 },
  ];
  assert.deepEqual(sameRoundRatios(numerator, denominator), [
    { round: 0, ratio: 1.1 },
    { round: 2, ratio: 1.3 },
  ]);
  assert.deepEqual(sameRoundRatios([{ round: 0, seconds: 1 }], [{ round: 0, seconds: 0 }]), [], 'a 0 s time is no measurement');
  assert.deepEqual(sameRoundRatios([], denominator), []);
});

test('a series with a round twice is refused: the code that gathered it is wrong', () => {
  const twice = [
    { round: 0, seconds: 1 },
    { round: 0, seconds: 2 },
  ];
  assert.throws(() => sameRoundRatios(twice, [{ round: 0, seconds: 1 }]), /numerator has round 0 twice/);
  assert.throws(() => sameRoundRatios([{ round: 0, seconds: 1 }], twice), /denominator has round 0 twice/);
});

test('one round’s floor is floors.ts’s floor of that round’s parts: each part times its count, null when a part is missing', () => {
  // The manager pays encode, raw-unix and decode twice each.
  const manager = floorRecipe('manager', 'v8', 'int32');
  const parts = { encode: 0.1, 'raw-unix': 0.3, decode: 0.05 };
  const seconds = roundFloorSeconds(manager, parts);
  assert.ok(seconds !== null && Math.abs(seconds - 2 * (0.1 + 0.3 + 0.05)) < 1e-12, String(seconds));
  assert.equal(seconds, floorFromSamples(manager, { encode: [0.1], 'raw-unix': [0.3], decode: [0.05] }).seconds);
  assert.equal(roundFloorSeconds(manager, { encode: 0.1, decode: 0.05 }), null, 'no raw-unix this round: no floor, never a smaller one');
});
