import { formatBytesPerSecond, formatSeconds, plural } from '../model/format';
import { choiceOf } from '../model/pairs';
import { noTimeWord, summarize } from '../sweep/summary';
import { runSweep } from '../sweep/sweep';
import { parseSweepArgs } from './args';
import { messageTable } from './message-table';
import { runCommand } from './run-command';
import { exitOnSecondSignal } from './signals';

/**
 * `npm run sweep -- …`: parse the flags, run the sweep, print a short summary. A usage mistake
 * (a bad flag, an --out, IPC_LAB_RESULTS_DIR, TMPDIR or shared-memory root that cannot hold files)
 * is one line on stderr and exit code 2, never a stack trace, with nothing created; results that
 * cannot be saved mid-sweep (a full disk) stop it with one line and exit code 1, the records saved
 * so far kept; an interrupted sweep exits 130 (SIGINT) or 143 (SIGTERM) with its results saved;
 * failed transfers are records, so they do not change the exit code.
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
  const { ok, refused, failures } = result.progress;
  const transfers = rows.filter((row) => row.pattern === 'transfer');
  if (transfers.length > 0) {
    process.stdout.write(
      `\n${'transfer'.padEnd(44)} ${'runs'.padStart(5)} ${'median total'.padStart(13)} ${'int32 data/s'.padStart(12)}\n`,
    );
    for (const row of transfers) {
      const name = `${choiceOf({ runtime: row.runtime, receiverRuntime: row.receiverRuntime })} ${row.transport} ${row.payload} ${row.codec} ${row.sizeElements}`;
      const total = row.totalMedianSeconds === null ? noTimeWord(row) : formatSeconds(row.totalMedianSeconds);
      // throughputMBps counts MB of 10^6 bytes.
      const rate = row.throughputMBps === null ? '' : formatBytesPerSecond(row.throughputMBps * 1e6);
      process.stdout.write(
        `${name.padEnd(44)} ${`${row.okRuns}/${row.measuredRuns}`.padStart(5)} ${total.padStart(13)} ${rate.padStart(12)}\n`,
      );
    }
  }
  const messages = rows.filter((row) => row.pattern !== 'transfer');
  if (messages.length > 0) process.stdout.write(`\n${messageTable(messages)}`);
  process.stdout.write(
    `\n${plural(result.records.length, 'record')} (${ok} ok, ${refused} refused, ${failures.length} failed) in ${result.paths?.jsonPath ?? '(not saved)'} and records.csv\n`,
  );
  // 128 + the signal's number, as a shell reports a process that a signal ended.
  if (result.interruptedBy) return result.interruptedBy === 'SIGTERM' ? 143 : 130;
  return 0;
}

exitOnSecondSignal();
runCommand(main);
