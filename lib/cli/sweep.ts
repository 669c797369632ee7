import { parseSweepArgs } from './args';
import { runSweep } from '../sweep/sweep';
import { summarize } from '../sweep/summary';
import { UsageError } from '../model/usage-error';

/**
 * `npm run sweep -- …`: parse the flags, run the sweep, print a short summary. A usage mistake is
 * one line on stderr and exit code 2, never a stack trace; an interrupted sweep exits 130 (SIGINT) or 143 (SIGTERM) with its
 * results saved; failed transfers are records, so they do not change the exit code.
 */
async function main(argv: string[]): Promise<number> {
  const parsed = parseSweepArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  const result = await runSweep({
    config: parsed.config,
    outDir: parsed.outDir,
    options: parsed.options,
    label: parsed.label,
    commandLine: ['npm run sweep --', ...argv].join(' '),
  });
  for (const note of parsed.notes) process.stderr.write(`${note}\n`);
  const rows = summarize(result.records);
  const failed = result.records.filter((r) => !r.ok).length;
  process.stdout.write(`\n${'transfer'.padEnd(44)} ${'runs'.padStart(5)} ${'median total s'.padStart(15)} ${'MB/s'.padStart(10)}\n`);
  for (const row of rows) {
    const name = `${row.runtime} ${row.transport} ${row.payload} ${row.sizeElements}`;
    const total = row.totalMedianSeconds === null ? 'failed' : row.totalMedianSeconds.toFixed(4);
    const rate = row.throughputMBps === null ? '' : row.throughputMBps.toFixed(0);
    process.stdout.write(`${name.padEnd(44)} ${`${row.okRuns}/${row.measuredRuns}`.padStart(5)} ${total.padStart(15)} ${rate.padStart(10)}\n`);
  }
  process.stdout.write(`\n${result.records.length} records (${failed} failed) in ${result.paths?.jsonPath ?? '(not saved)'} and records.csv\n`);
  // 128 + the signal's number, as a shell reports a process that a signal ended.
  if (result.interruptedBy) return result.interruptedBy === 'SIGTERM' ? 143 : 130;
  return 0;
}

/**
 * The first Ctrl-C (or SIGTERM) lets the sweep stop its transfer and save (lib/sweep/sweep.ts); a second
 * one exits at once. Nothing is lost or left: the records so far are already on disk, and the
 * runner's exit hook kills every peer's process group and removes the temp dirs synchronously.
 */
let signalsSeen = 0;
const onSecondSignal = (signal: NodeJS.Signals) => {
  if (++signalsSeen < 2) return;
  process.stderr.write(`ipc-lab: ${signal} again: stopping now\n`);
  process.exit(signal === 'SIGTERM' ? 143 : 130);
};
process.on('SIGINT', onSecondSignal);
process.on('SIGTERM', onSecondSignal);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`ipc-lab: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`ipc-lab: internal error: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
