/**
 * The reader's own experiment (notebook 13): one object says what to run — runtimes, transports,
 * payloads, sizes, codecs, repeats — `runExperiment` runs it (saving its records under
 * data/results/ like every sweep) and `showExperiment` shows its table and figures.
 */
import * as path from 'node:path';
import { resultsRoot, shownPath } from '../model/paths';
import { transportLabel } from '../model/record';
import type { PayloadKind, RunDescription, Runtime, TransferRecord } from '../model/types';
import type { SweepConfig, SweepOrder } from '../sweep/plan';
import { newRunId } from '../sweep/run-description';
import { runSweep } from '../sweep/sweep';
import { showFigure } from './display';
import { notebookProgress } from './live-progress';
import { phaseFigure, showFailures, showPhaseTable, sizeFigure } from './report';

/** What to run: every field but `transports` and `sizes` has a default. */
export interface YourExperiment {
  /** Transport ids (see `NODE_TRANSPORTS`, `CPYTHON_TRANSPORTS`), or 'all'. */
  transports: string[] | 'all';
  /** Elements per transfer, e.g. [1e5, 1e6]. */
  sizes: number[];
  /** Default ['node']. */
  runtimes?: Runtime[];
  /** Default ['list', 'int32']. */
  payloads?: PayloadKind[];
  /** Default 'analog' (each transport's analog of the article's serializer); or 'all', or e.g. ['analog', 'raw']. */
  codecs?: SweepConfig['codecs'];
  /** Measured runs per configuration; default 3. */
  repeats?: number;
  /** Warm-up runs first, not in the statistics; default 1. */
  warmups?: number;
  /** Default 'interleaved': configurations take turns, so they compare fairly. */
  order?: SweepOrder;
  /** Names the results folder, data/results/<name>-<run id>/; default 'mine'. */
  name?: string;
}

/** A finished experiment: its name, where its records are (as shown to a reader), what it ran on, and the records. */
export interface YourResult {
  name: string;
  path: string;
  description: RunDescription;
  records: TransferRecord[];
  config: SweepConfig;
}

/** The sweep a YourExperiment stands for, with its defaults filled in. */
export function experimentConfig(e: YourExperiment): SweepConfig {
  return {
    runtimes: e.runtimes ?? ['node'],
    transports: e.transports,
    payloads: e.payloads ?? ['list', 'int32'],
    sizes: e.sizes,
    codecs: e.codecs ?? 'analog',
    repeats: e.repeats ?? 3,
    warmups: e.warmups ?? 1,
    order: e.order ?? 'interleaved',
  };
}

/**
 * Run the experiment now and save its records under data/results/<name>-<run id>/ (or
 * IPC_LAB_RESULTS_DIR). A bad value rejects at once with one line naming it and what is valid;
 * an interrupt keeps what was measured and says where.
 */
export async function runExperiment(e: YourExperiment): Promise<YourResult> {
  const [config, name] = [experimentConfig(e), e.name ?? 'mine'];
  const dir = path.join(resultsRoot(), `${name}-${newRunId()}`);
  const commandLine = `runExperiment(${JSON.stringify(e)})`;
  const result = await runSweep({ config, outDir: dir, label: name, commandLine, progress: notebookProgress() });
  if (result.interrupted) throw new Error(`${result.interrupted}; ${result.records.length} records saved in ${shownPath(dir)}`);
  return { name, path: shownPath(dir), description: result.description, records: result.records, config };
}

/** The experiment's table of medians, its failures with their reasons, and a figure: against size when it ran several sizes, by phase otherwise. */
export async function showExperiment(result: YourResult): Promise<void> {
  showPhaseTable(result.records, 'Your experiment');
  showFailures(result.records);
  if (new Set(result.records.map((r) => r.sizeElements)).size <= 1) {
    await showFigure(phaseFigure(result.records, 'Your experiment: where the time goes'));
    return;
  }
  const group = (r: TransferRecord) => (result.config.runtimes.length > 1 ? `${r.runtime} ${transportLabel(r)}` : transportLabel(r));
  for (const payload of result.config.payloads) {
    const records = result.records.filter((r) => r.payload === payload);
    const title = `${payload === 'list' ? 'Plain list' : 'Int32Array'}: total time against size, log–log`;
    if (records.length > 0) await showFigure(sizeFigure(records, { title, y: 'totalSeconds', group }));
  }
}
