/**
 * The one run behind the notebooks: the union of what every notebook shows measures each
 * configuration once, holds every experiment's plan, gives every configuration compared at 10^8
 * at least three rounds, and hands each experiment back exactly its own steps.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { blankRecord } from '../../lib/model/record';
import { UsageError } from '../../lib/model/usage-error';
import { experimentConfig, type YourExperiment } from '../../lib/notebook/your-experiment';
import { benchSteps } from '../../lib/sweep/bench-plan';
import type { BenchRunConfig } from '../../lib/sweep/bench-results';
import { floorRows } from '../../lib/sweep/bench-tables';
import { BIG_ROUNDS, SCALES } from '../../lib/sweep/experiments';
import { experimentNames, experimentPlan, unionPlan } from '../../lib/sweep/notebook-run';
import { ONE_RUN_ENV, oneRunSlice, sliceOf } from '../../lib/sweep/one-run';
import { runPlan } from '../../lib/sweep/run-plan';
import type { StepRunner } from '../../lib/sweep/run-step';
import { type Step, type StepResult, stepKey } from '../../lib/sweep/steps';
import { sweepSteps } from '../../lib/sweep/sweep';
import { loadSources } from '../../tools/notebooks/make-notebook';
import { experimentsShownBy } from '../../tools/notebooks/one-run';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-one-run-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const everyNotebook = loadSources().map((nb) => nb.name);
/** A step's configuration: its key without the rounds (an encode's round inside a raw channel's key too). */
const configOf = (step: Step): string => stepKey(step).replace(/ (round|warm-up) \d+/g, '');
/** The elements a step moves, for the 10^8 rule (a C channel's bytes are int32's). */
const elementsOf = (step: Step): number =>
  step.kind === 'transfer'
    ? step.spec.pattern && step.spec.pattern !== 'transfer'
      ? 0
      : step.bytesOf
        ? Number(/ (\d+) (round|warm-up)/.exec(step.bytesOf)?.[1] ?? 0)
        : step.spec.sizeElements
    : step.kind === 'floor-op'
      ? step.sizeElements
      : step.kind === 'c-channel'
        ? step.bytes / 4
        : 0;

for (const scale of SCALES) {
  test(`${scale}: the notebooks' union measures each configuration once and holds every experiment's plan`, () => {
    const names = experimentsShownBy(everyNotebook);
    const union = unionPlan(names, scale);
    const keys = union.steps.map(stepKey);
    assert.equal(new Set(keys).size, keys.length, 'a step is planned twice');
    const inUnion = new Set(keys);
    for (const name of names) {
      const missing = experimentPlan(name, scale).steps.filter((s) => !inUnion.has(stepKey(s)));
      assert.deepEqual(missing.map(stepKey), [], `${name}'s steps missing from the union`);
    }
    // Merging saves work: what the experiments plan alone is more than the union measures.
    const alone = names.reduce((n, name) => n + experimentPlan(name, scale).steps.length, 0);
    assert.ok(alone > union.steps.length, `${alone} steps alone, ${union.steps.length} in the union`);
  });
}

test('article: every configuration a notebook compares at 10^8 has at least three rounds', () => {
  const union = unionPlan(experimentsShownBy(everyNotebook), 'article');
  const rounds = new Map<string, number>();
  for (const step of union.steps.filter((s) => elementsOf(s) === 1e8 && !(s.kind === 'transfer' && s.warmup))) {
    rounds.set(configOf(step), (rounds.get(configOf(step)) ?? 0) + 1);
  }
  assert.ok(rounds.size > 100, `only ${rounds.size} configurations at 10^8`);
  assert.deepEqual(
    [...rounds].filter(([, n]) => n < BIG_ROUNDS),
    [],
  );
});

test('the union is round by round: no step of round k+1 before a step of round k, warm-ups first', () => {
  const union = unionPlan(['method-pipe', 'three-ways', 'serializers'], 'smoke');
  const phases = union.steps.map((s) => (s.kind === 'transfer' && s.warmup ? -1 : s.round));
  assert.deepEqual(
    phases,
    [...phases].sort((a, b) => a - b),
  );
});

test("each notebook declares exactly the experiments its cells obtain, and 13's own example measures nothing the union does", () => {
  const known = experimentNames();
  for (const nb of loadSources()) {
    const code = nb.cells.filter((c) => c.kind === 'code').map((c) => c.source);
    const used = new Set(code.flatMap((text) => [...text.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]).filter((n) => known.includes(n))));
    assert.deepEqual([...used].sort(), [...(nb.experiments ?? [])].sort(), nb.name);
  }
  const source = loadSources().find((nb) => nb.name === '13-your-experiment');
  const literal = /const experiment: YourExperiment = (\{[\s\S]*?\n\s*\});/.exec(source?.cells.map((c) => c.source).join('\n') ?? '')?.[1];
  assert.ok(literal, "13's example object");
  const example = new Function(`return (${literal.replace(/\/\/.*$/gm, '')});`)() as YourExperiment;
  const union = new Set(unionPlan(experimentsShownBy(everyNotebook), 'article').steps.map(stepKey));
  const both = sweepSteps(experimentConfig(example)).steps.filter((s) => union.has(stepKey(s)));
  assert.deepEqual(both.map(stepKey), []);
});

test('an experiment takes exactly its own steps from the one run, in its order; a run without them is one line', async () => {
  const dir = path.join(scratch, 'run');
  const union = unionPlan(['method-pipe', 'method-socket'], 'smoke');
  const runner: StepRunner = {
    async run(step, key, { runId }) {
      if (step.kind !== 'transfer') throw new Error('transfers only');
      const record = { ...blankRecord(step.spec, { runId, repeat: step.round, warmup: step.warmup }), ok: true, totalSeconds: 0.5 };
      return { kind: 'transfer', key, step, ok: true, error: '', record };
    },
    abort: () => {},
    close: async () => {},
  };
  await runPlan(union.steps, { outDir: dir, quiet: true, runner: () => runner });
  const own = experimentPlan('method-socket', 'smoke').steps;
  const slice = sliceOf(dir, own, 'method-socket');
  assert.deepEqual(
    slice.records.map((r) => `${r.transport} ${r.payload} ${r.codec} ${r.repeat}`),
    own.map((s) => (s.kind === 'transfer' ? `${s.spec.transport} ${s.spec.payload} ${s.spec.codec ?? r0(s)} ${s.round}` : '')),
  );
  assert.equal(slice.runSteps, union.steps.length);
  assert.equal(oneRunSlice(own, 'method-socket', {}), null, 'no IPC_LAB_ONE_RUN: the notebook measures itself');
  assert.equal(oneRunSlice(own, 'method-socket', { [ONE_RUN_ENV]: dir })?.records.length, own.length);
  const other = experimentPlan('method-file', 'smoke').steps;
  assert.throws(
    () => sliceOf(dir, other, 'method-file'),
    (e: Error) => e instanceof UsageError && /lacks \d+ of the \d+ steps of method-file/.test(e.message) && !e.message.includes('\n'),
  );
});

test("a run of transfers alone in a directory an earlier run with other steps used takes nothing of that run's steps.json", async () => {
  const dir = path.join(scratch, 'reused');
  const runner: StepRunner = {
    async run(step, key, { runId }) {
      if (step.kind === 'floor-op') return { kind: 'floor-op', key, step, ok: true, error: '', seconds: { [step.op]: 0.1 }, bytes: 40 };
      if (step.kind !== 'transfer') throw new Error('transfers and floor operations only');
      const record = { ...blankRecord(step.spec, { runId, repeat: step.round, warmup: step.warmup }), ok: true, totalSeconds: 0.5 };
      return { kind: 'transfer', key, step, ok: true, error: '', record };
    },
    abort: () => {},
    close: async () => {},
  };
  const clone: Step = { kind: 'floor-op', op: 'clone', payload: 'int32', sizeElements: 10, codec: 'none', round: 0, table: 'floor' };
  const earlier = [...experimentPlan('method-file', 'smoke').steps, clone];
  await runPlan(earlier, { outDir: dir, quiet: true, runner: () => runner });
  const now = experimentPlan('method-queue', 'smoke').steps;
  await runPlan(now, { outDir: dir, quiet: true, runner: () => runner });
  assert.equal(sliceOf(dir, now, 'method-queue').records.length, now.length);
});

/** A step's codec as its record names it: the transport's analog when the spec leaves it out. */
function r0(step: Step): string {
  return stepKey(step).split(' ')[3];
}

test("a bench's slice of a saved run has the floors the bench had in memory: a raw channel still carries its encode's bytes", async () => {
  const dir = path.join(scratch, 'bench');
  const config: BenchRunConfig = { sizes: [1e5], repeats: 2, transports: ['pipe'], codecs: ['v8'], payloads: ['list'], channels: [] };
  const steps = benchSteps(config);
  assert.ok(
    steps.some((s) => s.kind === 'transfer' && s.bytesOf !== undefined),
    'the plan has a raw channel carrying an encode',
  );
  const runner: StepRunner = {
    async run(step, key, { runId }) {
      if (step.kind === 'floor-op') return { kind: 'floor-op', key, step, ok: true, error: '', seconds: { [step.op]: 0.1 }, bytes: 400 };
      if (step.kind !== 'transfer') throw new Error('transfers and floor operations only');
      const record = { ...blankRecord(step.spec, { runId, repeat: step.round, warmup: step.warmup }), ok: true, totalSeconds: 0.5 };
      return { kind: 'transfer', key, step, ok: true, error: '', record };
    },
    abort: () => {},
    close: async () => {},
  };
  const inMemory = await runPlan(steps, { outDir: dir, quiet: true, runner: () => runner });
  const floorsOf = (results: readonly StepResult[]) => floorRows(config, results).map((r) => [r.floorSeconds, r.ratio]);
  const expected = floorsOf(inMemory.results);
  assert.ok(
    expected.every(([floor]) => typeof floor === 'number' && floor > 0),
    `every row has a floor in memory: ${JSON.stringify(expected)}`,
  );
  assert.deepEqual(floorsOf(sliceOf(dir, steps, 'serializers').results), expected);
});
