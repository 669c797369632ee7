/**
 * The one run behind the notebooks: every experiment a notebook shows (a sweep, the message bench,
 * the floor bench) is a plan of steps at a scale; the notebooks' plans are merged into one, each
 * configuration once, and measured by the one loop. See one-run.ts for how a notebook then takes
 * its slice.
 */
import { unique } from '../model/lists';
import { UsageError } from '../model/usage-error';
import { BENCH_EXPERIMENTS } from './bench-experiments';
import { benchSteps } from './bench-plan';
import { NOTEBOOK_EXPERIMENTS, type Scale } from './experiments';
import { messageBenchSteps } from './message-bench';
import { MESSAGE_EXPERIMENTS } from './message-experiments';
import { oneRunDir } from './one-run';
import { type PlanRequest, type PlanResult, runPlan } from './run-plan';
import { type Step, stepKey } from './steps';
import { sweepSteps } from './sweep';

/** An experiment's steps at a scale, and the notes of what its configuration skips. */
export interface ExperimentPlan {
  name: string;
  steps: Step[];
  notes: string[];
}

/** Every experiment a notebook can show, of every kind, in the order they are declared. */
export function experimentNames(): string[] {
  return [...NOTEBOOK_EXPERIMENTS, ...MESSAGE_EXPERIMENTS, ...BENCH_EXPERIMENTS].map((e) => e.name);
}

/** The steps experiment `name` measures at `scale`; an unknown name is a one-line UsageError listing the known. */
export function experimentPlan(name: string, scale: Scale): ExperimentPlan {
  const sweep = NOTEBOOK_EXPERIMENTS.find((e) => e.name === name);
  if (sweep) return { name, ...sweepSteps(sweep.configs[scale]) };
  const messages = MESSAGE_EXPERIMENTS.find((e) => e.name === name);
  if (messages) return { name, steps: messageBenchSteps(messages.configs[scale]), notes: [] };
  const bench = BENCH_EXPERIMENTS.find((e) => e.name === name);
  if (bench) return { name, steps: benchSteps(bench.configs[scale]), notes: [] };
  throw new UsageError(`no experiment "${name}": valid are ${experimentNames().join(', ')}`);
}

/** Warm-ups go before the first round; every other step belongs to its round. */
const phaseOf = (step: Step): number => (step.kind === 'transfer' && step.warmup ? -1 : step.round);

/**
 * The experiments' plans merged into one, each step (a configuration in one round) once: round by
 * round — the warm-ups, then round 1 of every experiment, then round 2, … — each experiment's
 * steps of a round in its own order. So every comparison a notebook makes, within one experiment
 * or across two, sees the same minutes of the machine, and a configuration two notebooks show
 * (Node's pipe at 10^8 in 03-pipe, 11-three-ways and 12-serializers) is measured once for both.
 */
export function unionPlan(names: readonly string[], scale: Scale): ExperimentPlan {
  const plans = unique(names).map((name) => experimentPlan(name, scale));
  const phases = unique(plans.flatMap((p) => p.steps.map(phaseOf))).sort((a, b) => a - b);
  const seen = new Set<string>();
  const steps: Step[] = [];
  for (const phase of phases) {
    for (const plan of plans) {
      for (const step of plan.steps) {
        if (phaseOf(step) !== phase) continue;
        const key = stepKey(step);
        if (seen.has(key)) continue;
        seen.add(key);
        steps.push(step);
      }
    }
  }
  return { name: plans.map((p) => p.name).join('+'), steps, notes: unique(plans.flatMap((p) => p.notes)) };
}

/** Measure the union of `names` at `scale` into the one run's directory (data/results/notebooks-<scale>/). */
export async function runUnion(
  names: readonly string[],
  scale: Scale,
  request: Omit<PlanRequest, 'outDir' | 'notes'> = {},
): Promise<PlanResult & { dir: string }> {
  const plan = unionPlan(names, scale);
  const dir = oneRunDir(scale);
  const result = await runPlan(plan.steps, {
    label: `the notebooks' experiments at scale ${scale}: ${names.join(', ')}`,
    ...request,
    outDir: dir,
    notes: plan.notes,
  });
  return { ...result, dir };
}
