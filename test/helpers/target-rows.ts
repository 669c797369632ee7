/** Hand-built bench rows for the targets' tests: sample i of each list measured in round i, as when no round failed. */
import assert from 'node:assert/strict';
import type { TargetResult } from '../../lib/findings/machine-speed-targets';
import type { PayloadKind } from '../../lib/model/types';
import { type BenchChannel, channelRow, nodeChannelRecipe } from '../../lib/sweep/channel-limits';
import { type FloorPart, floorRecipe, floorRow } from '../../lib/sweep/floors';
import { roundFloorSeconds } from '../../lib/sweep/rounds';

/** `actual` within 1e-9 of `expected`, or a failure naming `what`. */
export const close = (actual: number | null, expected: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);

/** Sample i of each list is round i's (as when no round failed); rounds as long as the longest list. */
const roundsOf = (...lists: readonly (readonly number[])[]): number[] => [...Array(Math.max(0, ...lists.map((l) => l.length))).keys()];
/** The entries of a record of lists at index i, those it has. */
const ofRound = <K extends string>(lists: Partial<Record<K, readonly number[]>>, i: number): Partial<Record<K, number>> =>
  Object.fromEntries(
    Object.entries<readonly number[] | undefined>(lists).flatMap(([k, l]) => (l?.[i] === undefined ? [] : [[k, l[i]]])),
  ) as Partial<Record<K, number>>;

/** A floor row of `transport` with `codec`: its totals, its parts' samples, and the peer's decodes, sample i in round i. */
export function floor(
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
export function channel(name: BenchChannel, sizeElements: number, nodeSamples: Partial<Record<FloorPart, number[]>>, cSamples: number[]) {
  const byRound = roundsOf(cSamples, ...Object.values<number[]>(nodeSamples)).map((round) => ({
    round,
    nodeSeconds: roundFloorSeconds(nodeChannelRecipe(name), ofRound(nodeSamples, round)),
    chunkedSeconds: null,
    cSeconds: cSamples[round] ?? null,
  }));
  return channelRow({ channel: name, sizeElements, nodeSamples, cSamples, byRound });
}

/** A pipe floor's parts over 3 rounds: its raw channel, a 1 ms encode and a decode. */
export const parts = (channel: number, decode = 0.001) => ({
  'raw-pipe': [channel, channel, channel],
  encode: [0.001, 0.001, 0.001],
  decode: [decode, decode, decode],
});

/** The results of a target's measure on a subject (at a size, with a payload, when given). */
export const find = (results: readonly TargetResult[], measure: string, subject: string, sizeElements?: number, payload?: PayloadKind) =>
  results.filter(
    (r) =>
      r.target.measure === measure &&
      r.subject === subject &&
      (sizeElements === undefined || r.sizeElements === sizeElements) &&
      (payload === undefined || r.payload === payload),
  );

/** The one result {@link find} finds, failing when there is none or more. */
export const one = (results: readonly TargetResult[], measure: string, subject: string, sizeElements?: number, payload?: PayloadKind) => {
  const found = find(results, measure, subject, sizeElements, payload);
  assert.equal(found.length, 1, `one ${measure} result for ${subject}`);
  return found[0];
};
