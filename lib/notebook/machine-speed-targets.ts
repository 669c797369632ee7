/**
 * Issue 20's targets as a notebook table: one row a target and subject, with the measured value,
 * how it was taken (a bench ratio: the median of its same-round ratios), its spread or interval,
 * the rounds and the verdict. The targets and verdicts are computed in
 * lib/findings/machine-speed-targets.ts; this only lays them out (12-serializers shows the
 * bench's, 11-three-ways the three ways').
 */
import { basisText, type TargetResult, thresholdText, verdictText } from '../findings/machine-speed-targets';
import { formatSize, roundSignificant } from '../model/format';

const percent = (fraction: number | null): number | null => (fraction === null ? null : Math.round(fraction * 100));

/** The targets as flat rows: target, subject, size, payload, threshold, measured, how, ±% spread, interval, rounds, verdict. */
export function machineTargetTableRows(results: readonly TargetResult[]): Record<string, string | number | null>[] {
  return results.map((r) => {
    const isSpread = r.target.measure === 'total-spread';
    return {
      target: r.target.compared,
      subject: r.subject,
      elements: r.sizeElements === null ? null : formatSize(r.sizeElements),
      payload: r.payload,
      'must be': thresholdText(r.target),
      measured: isSpread ? (r.value === null ? null : `±${percent(r.value)} %`) : roundSignificant(r.value),
      'measured as': r.basis === null ? null : basisText(r.basis),
      'spread ±%': percent(r.spread),
      '95% CI': r.interval === null ? null : `${roundSignificant(r.interval[0])}–${roundSignificant(r.interval[1])}`,
      rounds: r.rounds,
      verdict: verdictText(r.verdict),
    };
  });
}
