import { blankRecord } from '../../lib/model/record';
import { resolveStep, type Step, type StepResult, stepKey } from '../../lib/sweep/steps';

/** Results for a plan as a fake runner would give them: every transfer 0.3 s, every operation 0.1 s per timing, encodes 4004 bytes, C 0.05 s. */
export function fakeResults(steps: readonly Step[]): StepResult[] {
  const results: StepResult[] = [];
  const byKey = new Map<string, StepResult>();
  for (const planned of steps) {
    const key = stepKey(planned);
    const step = resolveStep(planned, (wanted) => byKey.get(wanted)) as Step;
    let result: StepResult;
    if (step.kind === 'transfer') {
      const record = {
        ...blankRecord(step.spec, { runId: 'r', repeat: step.round, warmup: false }),
        ok: true,
        totalSeconds: 0.3,
        encodeSeconds: 0.02,
      };
      result = { kind: 'transfer', key, step, ok: true, error: '', record };
    } else if (step.kind === 'floor-op') {
      const seconds = step.op === 'file' ? { 'file-write': 0.1, 'file-read': 0.1 } : { [step.op]: 0.1 };
      result = { kind: 'floor-op', key, step, ok: true, error: '', seconds, bytes: step.op === 'encode' ? 4004 : null };
    } else if (step.kind === 'c-channel') {
      result = { kind: 'c-channel', key, step, ok: true, error: '', seconds: 0.05 };
    } else {
      throw new Error(step.kind);
    }
    results.push(result);
    byKey.set(key, result);
  }
  return results;
}
