/**
 * What each bench target of issue 20 measures on one row (machine-speed-targets.ts holds the
 * targets and judges these values). A ratio target's value is the median of its ratios taken
 * within each round (lib/sweep/rounds.ts): a transport and its floor's parts, or Node's raw
 * channel and the C program, measured seconds apart. This machine's speed drifts from minute to
 * minute, and rounds are minutes apart: a ratio of two medians over the rounds mixes that drift
 * into the ratio, and can miss a target that every round meets. The spread is how much the
 * rounds' ratios disagreed.
 *
 * A row saved before rows kept their rounds (byRound null) falls back to the ratio of its
 * medians, with the spread of its numerator's rounds, and says so (basis `medians`).
 */
import type { PayloadKind } from '../model/types';
import type { ChannelRow } from '../sweep/channel-limits';
import { type FloorRow, floorRecipe, streamChannelOf } from '../sweep/floors';
import { type FloorRound, type RoundSeconds, roundFloorSeconds, sameRoundRatios } from '../sweep/rounds';
import { median, spreadOf } from '../sweep/stats';

/**
 * How a target's value was taken: the median of same-round ratios; a ratio of medians (a row
 * saved without its rounds, or the three ways' Node ÷ CPython); the spread of a row's totals.
 */
export type TargetBasis = 'same-round' | 'medians' | 'spread';

/** What one subject measured for a target: value, spread, rounds, how it was taken, and why there is no value. */
export interface TargetMeasurement {
  payload: PayloadKind | null;
  value: number | null;
  spread: number | null;
  interval?: [number, number] | null;
  rounds: number;
  /** Null when there is nothing to take (a subject the run did not measure). */
  basis: TargetBasis | null;
  missing: string;
}

/** A (max − min) ÷ median as the ± the targets show: half of it. */
const half = (spread: number | null): number | null => (spread === null ? null : spread / 2);

/** Each round's one side of a ratio. */
const sideOf = <R extends { round: number }>(rounds: readonly R[], seconds: (r: R) => number | null | undefined): RoundSeconds[] =>
  rounds.map((r) => ({ round: r.round, seconds: seconds(r) ?? null }));

/** The median of the same-round ratios of two sides, ± half their (max − min) ÷ median, over the rounds that measured both. */
function sameRound(
  payload: PayloadKind,
  numerator: readonly RoundSeconds[],
  denominator: readonly RoundSeconds[],
  names: [string, string],
  why: string,
): TargetMeasurement {
  const ratios = sameRoundRatios(numerator, denominator).map((r) => r.ratio);
  return {
    payload,
    value: ratios.length > 0 ? median(ratios) : null,
    spread: half(spreadOf(ratios)),
    rounds: ratios.length,
    basis: 'same-round',
    missing: `no round measured both ${names[0]} and ${names[1]}${why ? ` (${why})` : ''}`,
  };
}

/** A floor row's values as they were judged before rows kept their rounds: the numerator's spread, its rounds. */
const ofMedians = (r: FloorRow) => ({ payload: r.payload, spread: half(r.totalSpread), rounds: r.totals, basis: 'medians' as const });

const whyNot = (r: FloorRow): string => r.reason || 'no total';

/** A floor row with `raw` (int32): the transport's total ÷ its raw channel, the floor's channel part. */
export function rawVsChannel(r: FloorRow): TargetMeasurement {
  const part = streamChannelOf(r.transport);
  if (r.byRound === null) {
    const channel = r.parts.find((p) => p.part === part)?.medianSeconds ?? null;
    const value = r.totalSeconds !== null && channel !== null && channel > 0 ? r.totalSeconds / channel : null;
    return { ...ofMedians(r), value, missing: channel === null ? `no raw channel time (${whyNot(r)})` : whyNot(r) };
  }
  return totalOver(r, r.byRound, (x) => (part === undefined ? null : x.parts[part]), 'a raw channel time');
}

/** The row's total ÷ `denominator`, round by round. */
function totalOver(r: FloorRow, rounds: readonly FloorRound[], denominator: (x: FloorRound) => number | null | undefined, name: string) {
  return sameRound(
    r.payload,
    sideOf(rounds, (x) => x.totalSeconds),
    sideOf(rounds, denominator),
    ['a total', name],
    r.reason,
  );
}

/** A floor row with `v8`: the transport's total ÷ its floor (in a round: that round's floor, of that round's parts). */
export function v8VsFloor(r: FloorRow): TargetMeasurement {
  if (r.byRound === null) return { ...ofMedians(r), value: r.ratio, missing: whyNot(r) };
  const recipe = floorRecipe(r.transport, r.codec, r.payload);
  return totalOver(r, r.byRound, (x) => roundFloorSeconds(recipe, x.parts), 'every part of the floor');
}

/** A floor row with `packed` (list): the receiving peer's decode (its record's) ÷ the floor's decode in a warm process. */
export function peerDecodeVsWarm(r: FloorRow): TargetMeasurement {
  if (r.byRound === null) {
    const warm = r.parts.find((p) => p.part === 'decode');
    const peer = r.own.decode;
    const value = peer !== null && warm?.medianSeconds != null && warm.medianSeconds > 0 ? peer / warm.medianSeconds : null;
    // A saved row keeps the peer's decode as a median only: no spread of its rounds to show.
    return {
      ...ofMedians(r),
      spread: null,
      rounds: Math.min(r.totals, warm?.samples ?? 0),
      value,
      missing: peer === null ? `no peer decode (${whyNot(r)})` : `no warm decode (${whyNot(r)})`,
    };
  }
  const peer = sideOf(r.byRound, (x) => x.own.decode);
  return sameRound(
    r.payload,
    peer,
    sideOf(r.byRound, (x) => x.parts.decode),
    ["the peer's decode", 'a warm decode'],
    r.reason,
  );
}

/** A floor row with `raw` (int32): ± half of (max − min) ÷ median of its totals over the rounds. */
export function totalSpread(r: FloorRow): TargetMeasurement {
  return {
    payload: r.payload,
    value: half(r.totalSpread),
    spread: half(r.totalSpread),
    rounds: r.totals,
    basis: 'spread',
    missing: r.totals < 2 ? `${r.totals} rounds: no spread` : whyNot(r),
  };
}

/** A channel row: Node's direct raw channel ÷ the C program. */
export function nodeDirectVsC(r: ChannelRow): TargetMeasurement {
  if (r.byRound === null) {
    const rounds = Math.min(r.nodeSamplesSeconds.length, r.cSamplesSeconds.length);
    return { payload: 'int32', value: r.ratio, spread: half(r.nodeSpread), rounds, basis: 'medians', missing: r.reason };
  }
  const node = sideOf(r.byRound, (x) => x.nodeSeconds);
  return sameRound(
    'int32',
    node,
    sideOf(r.byRound, (x) => x.cSeconds),
    ["Node's time", "the C program's"],
    r.reason,
  );
}
