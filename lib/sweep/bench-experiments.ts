/**
 * The notebooks' bench experiments: runs of `npm run bench` (transport ÷ floor, Node raw ÷ C) at
 * two scales, saved under data/results/<name>-<scale>/bench.json. Like `obtain` for sweeps, a
 * notebook calls `obtainBench(name)`: it runs the bench now, or loads what an earlier run saved.
 *
 * The bench runs in a child process (lib/cli/bench.ts), not in the notebook's kernel: it holds
 * the payload and every codec's copies itself (several GB for a list of 10^8), and it sizes its
 * own V8 heap for that; the kernel keeps its memory and only forwards the bench's progress lines.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { checkTempRoots } from '../measure/tempdir';
import { formatBytes, formatSeconds, machineLine, plural } from '../model/format';
import { REPO_ROOT, shownPath } from '../model/paths';
import { UsageError } from '../model/usage-error';
import { BENCH_FILE, type BenchRun, type BenchRunConfig, loadBenchRun } from './bench-results';
import { experimentPlace, type Scale } from './experiments';
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
        repeats: 3,
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

/** The bench's command-line flags for a config. */
export function benchArgv(config: BenchRunConfig, saveDir: string): string[] {
  return [
    '--sizes',
    config.sizes.join(','),
    '--repeats',
    String(config.repeats),
    '--transports',
    config.transports.join(','),
    '--codecs',
    typeof config.codecs === 'string' ? config.codecs : config.codecs.join(','),
    '--payloads',
    config.payloads.join(','),
    '--channels',
    config.channels.length === 0 ? 'none' : config.channels.join(','),
    '--save',
    saveDir,
  ];
}

export interface BenchExperimentResult {
  name: string;
  title: string;
  scale: Scale;
  source: 'run' | 'saved';
  path: string;
  run: BenchRun;
}

export interface ObtainBenchOptions {
  scale?: Scale;
  prefer?: 'run' | 'saved';
  /**
   * Where the bench's progress goes: a sweep's progress sink (a notebook's updating display), fed
   * one step per round and per row of the C table; default its own lines on stderr.
   */
  progress?: ProgressSink;
}

/**
 * Run a bench experiment now (in a child process, its lines forwarded) and save it, or load what
 * an earlier run saved. SIGINT or SIGTERM while it runs stops the bench (which tears down its
 * peers as any interrupted run does) and rejects.
 */
export async function obtainBench(name: string, opts: ObtainBenchOptions = {}): Promise<BenchExperimentResult> {
  const def = findBenchExperiment(name);
  const { scale, dir, loadSaved } = experimentPlace(name, opts, BENCH_FILE);
  const base = { name, title: def.title, scale, path: dir };
  if (loadSaved) {
    return { ...base, source: 'saved', run: loadBenchRun(dir) };
  }
  checkTempRoots();
  const argv = benchArgv(def.configs[scale], dir);
  if (opts.progress) {
    await runBenchChild([...argv, '--progress-json'], stepsTo(opts.progress));
  } else {
    await runBenchChild(argv, (line) => process.stderr.write(`${line}\n`));
  }
  return { ...base, source: 'run', run: loadBenchRun(dir) };
}

/** One of the bench's JSON progress lines, or null for any other line. */
function parseStep(line: string): { done: number; total: number; line: string } | null {
  try {
    const step = JSON.parse(line) as { done?: unknown; total?: unknown; line?: unknown };
    if (typeof step?.done !== 'number' || typeof step.total !== 'number') return null;
    return { done: step.done, total: step.total, line: String(step.line ?? '') };
  } catch {
    return null;
  }
}

/** The bench's JSON progress lines ({done, total, line}) as a progress sink's events; other lines pass as notes. */
function stepsTo(sink: ProgressSink): (line: string) => void {
  const startedMs = Date.now();
  let last = { done: 0, total: 0 };
  let ended = false;
  const state = () => ({ done: last.done, total: last.total, failed: 0, elapsedSeconds: (Date.now() - startedMs) / 1000 });
  return (line: string) => {
    const step = parseStep(line);
    if (step === null) {
      if (line.trim() !== '') sink.note(line.trim());
      return;
    }
    last = { done: step.done, total: step.total };
    sink.finish(step.line, true, state());
    if (step.done >= step.total && !ended) {
      ended = true;
      const seconds = (Date.now() - startedMs) / 1000;
      sink.end({ transfers: step.done, planned: step.total, ok: step.done, failures: [], seconds, interrupted: null });
    }
  };
}

/** lib/cli/bench.ts in a child Node with ts-node; resolves when it succeeded, rejects with its last lines. */
async function runBenchChild(argv: string[], onLine: (line: string) => void): Promise<void> {
  const script = path.join(REPO_ROOT, 'lib', 'cli', 'bench.ts');
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', script, ...argv], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const forward = (stream: NodeJS.ReadableStream, show: boolean) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 5) tail.shift();
        if (show) onLine(line);
      }
    });
  };
  forward(child.stderr, true);
  forward(child.stdout, false);
  // As in runSweep: listeners added after a turn of the event loop survive tslab's SIGINT watchdog.
  await new Promise((resolve) => setImmediate(resolve));
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    child.kill('SIGINT');
  };
  const killOnExit = () => child.kill('SIGKILL');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killOnExit);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (status) => resolve(status));
    });
    if (interrupted) throw new Error(`the bench was interrupted by ${interrupted}; nothing was saved`);
    if (code !== 0) throw new Error(`the bench failed (exit status ${code}): ${tail.filter((l) => l.trim()).join(' | ')}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', killOnExit);
  }
}

/** One sentence for a notebook: where a bench run's numbers come from. */
export function benchProvenance(result: BenchExperimentResult): string {
  const d = result.run.description;
  const how = result.source === 'run' ? 'Measured by this notebook run' : `Loaded from ${shownPath(result.path)} (saved by an earlier run)`;
  const c = result.run.config;
  return (
    `${how}: bench \`${result.name}\` at scale \`${result.scale}\`, ${plural(result.run.floorRows.length + result.run.channelRows.length, 'row')}, ` +
    `run ${d.runId} on ${d.date.slice(0, 10)} — ${c.payloads.join(' and ')} payloads, ` +
    `${plural(c.repeats, 'interleaved repeat')} per row, ${formatSeconds(result.run.minutes * 60)}, the bench process's V8 heap ` +
    `${formatBytes(result.run.heapLimitMb * 2 ** 20)}; ${machineLine(d)}; ${d.codecLibraries}.`
  );
}
