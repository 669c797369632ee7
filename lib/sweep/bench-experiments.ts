/**
 * The notebooks' bench experiments: runs of the bench (transport ÷ floor, Node raw ÷ C, see
 * bench-run.ts) at three scales, saved under data/results/<name>-<scale>/ (bench.json, and the
 * plan's records.json and steps.json). Like `obtain` for sweeps, a notebook calls
 * `obtainBench(name)`: it runs the bench now, or loads what an earlier run saved.
 */
import { formatBytes, formatSeconds, machineLine, plural } from '../model/format';
import { shownPath } from '../model/paths';
import { UsageError } from '../model/usage-error';
import { benchSteps } from './bench-plan';
import { BENCH_FILE, type BenchRun, type BenchRunConfig, loadBenchRun } from './bench-results';
import { benchRunOf, runBench } from './bench-run';
import { experimentPlace, type Scale } from './experiments';
import { howObtained, sliceFor } from './one-run';
import type { ProgressSink } from './progress';

export interface BenchExperimentDef {
  name: string;
  title: string;
  configs: Record<Scale, BenchRunConfig>;
}

/** The byte-carrying channels of "what the serializer costs", each with every codec it takes. */
const SERIALIZER_CHANNELS = ['pipe', 'unix', 'tcp', 'file'];

export const BENCH_EXPERIMENTS: readonly BenchExperimentDef[] = [
  {
    name: 'serializers',
    title: 'What the serializer costs: codec × payload per channel, against its floor and the C limit',
    configs: {
      article: {
        sizes: [1e5, 1e6, 1e7, 1e8],
        // Five rounds: the target on file's spread at 10^8 is judged over five (machine-speed-targets.ts).
        repeats: 5,
        transports: SERIALIZER_CHANNELS,
        codecs: 'all',
        payloads: ['list', 'int32'],
        channels: ['pipe', 'unix', 'tcp'],
      },
      quick: {
        sizes: [1e5, 1e6, 1e7],
        repeats: 1,
        transports: SERIALIZER_CHANNELS,
        codecs: 'all',
        payloads: ['list', 'int32'],
        channels: ['pipe', 'unix', 'tcp'],
      },
      smoke: { sizes: [1e3], repeats: 1, transports: ['pipe', 'file'], codecs: 'all', payloads: ['list', 'int32'], channels: ['pipe'] },
    },
  },
];

export function findBenchExperiment(name: string): BenchExperimentDef {
  const def = BENCH_EXPERIMENTS.find((e) => e.name === name);
  if (!def) throw new UsageError(`no bench experiment "${name}": valid are ${BENCH_EXPERIMENTS.map((e) => e.name).join(', ')}`);
  return def;
}

export interface BenchExperimentResult {
  name: string;
  title: string;
  scale: Scale;
  source: 'run' | 'saved' | 'one-run';
  path: string;
  run: BenchRun;
}

export interface ObtainBenchOptions {
  scale?: Scale;
  prefer?: 'run' | 'saved';
  /** Where the bench's progress goes (a notebook's updating display); default stderr, a bar on a terminal. */
  progress?: ProgressSink;
}

/**
 * Run a bench experiment now, in this process (its floor operations in a worker thread with the
 * heap they need), and save it; or load what an earlier run saved. SIGINT or SIGTERM while it runs
 * stops it after the running step, with what was measured saved beside, and rejects.
 */
export async function obtainBench(name: string, opts: ObtainBenchOptions = {}): Promise<BenchExperimentResult> {
  const def = findBenchExperiment(name);
  const { scale, dir, loadSaved } = experimentPlace(name, opts, BENCH_FILE);
  const base = { name, title: def.title, scale, path: dir };
  const config = def.configs[scale];
  const what = `bench "${name}" at scale ${scale}`;
  const slice = sliceFor(benchSteps(config), what, { scale, prefer: opts.prefer, loadSaved });
  if (slice) return { ...base, source: 'one-run', path: slice.dir, run: benchRunOf(config, slice.description, slice.results, null) };
  if (loadSaved) {
    return { ...base, source: 'saved', run: loadBenchRun(dir) };
  }
  const { run, plan } = await runBench({
    config: def.configs[scale],
    outDir: dir,
    progress: opts.progress,
    label: `${name} at scale ${scale}`,
    commandLine: `obtainBench(${JSON.stringify(name)}, { scale: ${JSON.stringify(scale)} })`,
  });
  if (plan.interrupted) {
    throw new Error(`${name}: ${plan.interrupted}; ${plan.results.length} steps saved in ${shownPath(dir)}`);
  }
  return { ...base, source: 'run', run };
}

/** One sentence for a notebook: where a bench run's numbers come from. */
export function benchProvenance(result: BenchExperimentResult): string {
  const d = result.run.description;
  const how = howObtained(result.source, result.path);
  const c = result.run.config;
  return (
    `${how}: bench \`${result.name}\` at scale \`${result.scale}\`, ${plural(result.run.floorRows.length + result.run.channelRows.length, 'row')}, ` +
    `run ${d.runId} on ${d.date.slice(0, 10)} — ${c.payloads.join(' and ')} payloads, ` +
    `${plural(c.repeats, 'interleaved repeat')} per row, ${result.run.minutes === null ? '' : `${formatSeconds(result.run.minutes * 60)}, `}the floor operations' V8 heap ` +
    `${formatBytes(result.run.heapLimitMb * 2 ** 20)}; ${machineLine(d)}; ${d.codecLibraries}.`
  );
}
