import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/**
 * The round trip's distribution, one way for every source: Node's own HDR histogram
 * (perf_hooks.createHistogram, nanosecond values, 3 significant digits) holds the samples, whether
 * a Node peer recorded them as it went or a C or CPython peer reported them raw; the record keeps
 * its percentiles and a fine list of percentile points from which any other can be recomputed.
 */

/** What a record keeps of a round-trip distribution, in seconds. */
export interface RoundTripSummary {
  roundTripP50Seconds: number;
  roundTripP90Seconds: number;
  roundTripP99Seconds: number;
  roundTripP999Seconds: number;
  roundTripMaxSeconds: number;
  roundTripMeanSeconds: number;
  /** `percentile:nanoseconds` pairs separated by spaces (see HISTOGRAM_PERCENTILES). */
  histogram: string;
}

/**
 * The percentile points a record keeps: every whole percentile and a finer tail. The HDR
 * histogram's own iteration (`histogram.percentiles`) halves the distance to 100 at each step and
 * so gives only about fourteen points; these give p90 or p95 exactly, and any other within 1 %.
 */
export const HISTOGRAM_PERCENTILES: readonly number[] = [...Array.from({ length: 100 }, (_, i) => i), 99.5, 99.9, 99.95, 99.99, 100];

/** An empty HDR histogram for round trips in nanoseconds. */
export function newRoundTripHistogram(): RecordableHistogram {
  return createHistogram();
}

/** A histogram holding raw samples in nanoseconds (from a C or CPython peer); values below 1 ns count as 1. */
export function histogramOf(samplesNs: Iterable<number>): RecordableHistogram {
  const histogram = createHistogram();
  for (const ns of samplesNs) histogram.record(Math.max(1, Math.round(ns)));
  return histogram;
}

/** The record's view of a histogram of round trips in nanoseconds; throws when it holds nothing. */
export function summarizeRoundTrips(histogram: RecordableHistogram): RoundTripSummary {
  if (histogram.count === 0) throw new Error('no round trip was recorded');
  const seconds = (ns: number) => ns / 1e9;
  return {
    roundTripP50Seconds: seconds(histogram.percentile(50)),
    roundTripP90Seconds: seconds(histogram.percentile(90)),
    roundTripP99Seconds: seconds(histogram.percentile(99)),
    roundTripP999Seconds: seconds(histogram.percentile(99.9)),
    roundTripMaxSeconds: seconds(histogram.max),
    roundTripMeanSeconds: seconds(histogram.mean),
    histogram: HISTOGRAM_PERCENTILES.map((p) => `${p}:${histogram.percentile(p === 0 ? 0.0001 : p)}`).join(' '),
  };
}

/** The `percentile:nanoseconds` pairs of a record's histogram field, in order; [] for ''. */
export function parseHistogram(text: string): [percentile: number, ns: number][] {
  if (text.trim() === '') return [];
  return text
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [p, ns] = pair.split(':').map(Number);
      if (!Number.isFinite(p) || !Number.isFinite(ns))
        throw new Error(`histogram pair ${JSON.stringify(pair)} is not percentile:nanoseconds`);
      return [p, ns];
    });
}

/** Any percentile from a record's histogram field, in seconds: the smallest kept point at or above `p`. */
export function percentileOf(text: string, p: number): number | null {
  const pairs = parseHistogram(text);
  const found = pairs.find(([q]) => q >= p) ?? pairs.at(-1);
  return found ? found[1] / 1e9 : null;
}

/** Messages and bytes per second of `messages` messages of `messageBytes` in `seconds`. */
export function rateOf(messages: number, messageBytes: number, seconds: number): { messagesPerSecond: number; bytesPerSecond: number } {
  if (!(seconds > 0)) throw new Error(`a rate needs a positive duration, not ${seconds} s`);
  const messagesPerSecond = messages / seconds;
  return { messagesPerSecond, bytesPerSecond: messagesPerSecond * messageBytes };
}
