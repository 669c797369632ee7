/**
 * The bench's rounds, kept: what one round measured for a row of either table, and ratios taken
 * within one round. The bench interleaves (bench-plan.ts): in round k a transport's transfer and
 * the parts of its floor, or Node's raw channel and the C program, run seconds apart, while a
 * round and the next can be minutes apart. This machine's speed drifts from minute to minute, so
 * a ratio of two medians, each over rounds measured minutes apart, can miss a target that every
 * round meets; a ratio taken within a round compares only what ran together.
 */
import { type FloorPart, type FloorRecipe, floorFromSamples, type OwnTiming } from './floors';

/** What one round measured for a row of the first table: the transport's total, its floor's parts and its own timings, seconds apart. */
export interface FloorRound {
  /** 0-based, as the steps count it (steps.ts). */
  round: number;
  /** The transport's total this round; null when its transfer failed. */
  totalSeconds: number | null;
  /** Each part of the row's floor measured this round (shared with the rows of its codec group); a part that failed is absent. */
  parts: Partial<Record<FloorPart, number>>;
  /** The transport's own timings this round (its record's encode, send, recv, decode), those it reported. */
  own: Partial<Record<OwnTiming, number>>;
}

/** What one round measured for a row of the second table; each null when its step failed. */
export interface ChannelRound {
  round: number;
  /** Node's direct read (for shm, its two sets added), as the row's nodeSeconds is made of its parts. */
  nodeSeconds: number | null;
  /** Node's read through libuv's chunks; null for shm. */
  chunkedSeconds: number | null;
  cSeconds: number | null;
}

/** One side of a ratio in one round; null when that round did not measure it. */
export interface RoundSeconds {
  round: number;
  seconds: number | null;
}

/** A ratio of two timings measured in the same round. */
export interface RoundRatio {
  round: number;
  ratio: number;
}

/** Each round's seconds by round; a round given twice is a mistake in the code that gathered them. */
function byRound(series: readonly RoundSeconds[], side: string): Map<number, number | null> {
  const out = new Map<number, number | null>();
  for (const { round, seconds } of series) {
    if (out.has(round)) throw new Error(`the ${side} has round ${round} twice`);
    out.set(round, seconds);
  }
  return out;
}

/**
 * numerator ÷ denominator round by round, in round order, only for the rounds that measured both
 * sides: a round whose step failed on either side (or whose denominator is not a positive time,
 * which no real measurement is) pairs with nothing and is left out, never paired with another round.
 */
export function sameRoundRatios(numerator: readonly RoundSeconds[], denominator: readonly RoundSeconds[]): RoundRatio[] {
  const below = byRound(denominator, 'denominator');
  const ratios: RoundRatio[] = [];
  for (const [round, above] of byRound(numerator, 'numerator')) {
    const under = below.get(round) ?? null;
    if (above !== null && under !== null && under > 0) ratios.push({ round, ratio: above / under });
  }
  return ratios.sort((a, b) => a.round - b.round);
}

/**
 * One round's floor from that round's parts, as floorFromSamples makes a floor from the parts'
 * medians (the median of one sample is the sample): null when the round lacks a part.
 */
export function roundFloorSeconds(recipe: FloorRecipe, parts: Partial<Record<FloorPart, number>>): number | null {
  const samples: Partial<Record<FloorPart, number[]>> = {};
  for (const [part, seconds] of Object.entries(parts) as [FloorPart, number][]) samples[part] = [seconds];
  return floorFromSamples(recipe, samples).seconds;
}
