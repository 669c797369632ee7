import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { nowNs, secondsBetween } from '../measure/clock';
import { runTransfer } from '../measure/runner/run-transfer';
import { NODE_TRANSPORTS } from '../model/catalog';
import { checkRepeats } from '../model/checks';
import { pickNames } from '../model/names';
import { formatSize } from '../model/record';
import { parseSizes } from '../model/sizes';
import { UsageError } from '../model/usage-error';
import { median } from '../sweep/stats';

/**
 * `npm run bench`: how close each transport comes to the raw limit of its channel, measured side by
 * side in one run (this machine is shared and noisy, so only ratios of interleaved runs mean much).
 *
 * For an int32 payload, each transport's `total` is set against:
 * - stream transports (pipe, tcp, unix, and ipc/ipc-json/manager, which ride Unix sockets): the same
 *   kind of channel carrying the raw bytes (lib/measure/transports/baselines/baseline.ts), through the same runner;
 * - shared-memory and message transports (queue, transfer, shared-array, raw-array, file): one
 *   TypedArray.set of the data into fresh memory (first touch: page faults) and into reused memory.
 * Prints one ratio per transport and size: transport ÷ raw (÷ fresh and ÷ reused for memory).
 */
const STREAM_BASELINE: Record<string, string> = {
  pipe: 'raw-pipe',
  tcp: 'raw-tcp',
  unix: 'raw-unix',
  ipc: 'raw-unix',
  'ipc-json': 'raw-unix',
  manager: 'raw-unix',
};

interface Row {
  transport: string;
  sizeElements: number;
  totalSeconds: number | null;
  baseline: string;
  rawSeconds: number | null;
  rawReusedSeconds: number | null;
  error: string;
}

/** One TypedArray.set of n int32 into memory never touched (fresh) and into the same memory again (reused). */
function memoryCopySeconds(sizeElements: number): { fresh: number; reused: number } {
  const source = new Int32Array(sizeElements);
  for (let i = 0; i < sizeElements; i++) source[i] = i;
  const target = new Int32Array(sizeElements); // large: calloc'ed pages the process has not touched yet
  let startNs = nowNs();
  target.set(source);
  const fresh = secondsBetween(startNs, nowNs());
  startNs = nowNs();
  target.set(source);
  return { fresh, reused: secondsBetween(startNs, nowNs()) };
}

async function totalOf(transport: string, sizeElements: number): Promise<{ seconds: number | null; error: string }> {
  const r = await runTransfer({ runtime: 'node', transport, payload: 'int32', sizeElements }, { timeoutSeconds: 600 });
  return { seconds: r.ok ? r.totalSeconds : null, error: r.error };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '1e7,1e8' },
      repeats: { type: 'string', default: '3' },
      transports: { type: 'string', default: 'all' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: npm run bench -- [--sizes 1e7,1e8] [--repeats 3] [--transports all|pipe,tcp,…] [--out FILE.csv]\n');
    return;
  }
  const sizes = parseSizes(values.sizes as string);
  const repeats = checkRepeats(Number(values.repeats));
  const wanted = pickNames(
    'transport',
    String(values.transports),
    NODE_TRANSPORTS.map((t) => t.id),
    true,
  );
  const rows: Row[] = [];
  process.stderr.write(
    `ipc-lab bench: ${wanted.length} transports × sizes ${sizes.map(formatSize).join(', ')} × ${repeats} repeats, int32 payload\n`,
  );
  for (const sizeElements of sizes) {
    for (const transport of wanted) {
      const baseline = STREAM_BASELINE[transport] ?? 'TypedArray.set';
      const totals: number[] = [];
      const raws: number[] = [];
      const reused: number[] = [];
      let error = '';
      // Interleave transport and baseline, so both see the same moments of a noisy machine.
      for (let i = 0; i < repeats; i++) {
        const t = await totalOf(transport, sizeElements);
        if (t.seconds === null) error = t.error;
        else totals.push(t.seconds);
        if (STREAM_BASELINE[transport]) {
          const b = await totalOf(baseline, sizeElements);
          if (b.seconds !== null) raws.push(b.seconds);
          else error = error || b.error;
        } else {
          const copy = memoryCopySeconds(sizeElements);
          raws.push(copy.fresh);
          reused.push(copy.reused);
        }
      }
      const row: Row = {
        transport,
        sizeElements,
        baseline,
        error,
        totalSeconds: totals.length ? median(totals) : null,
        rawSeconds: raws.length ? median(raws) : null,
        rawReusedSeconds: reused.length ? median(reused) : null,
      };
      rows.push(row);
      process.stderr.write(`${printRow(row)}\n`);
    }
  }
  process.stdout.write(`\n${header()}\n${rows.map(printRow).join('\n')}\n`);
  if (values.out) {
    const file = path.resolve(String(values.out));
    const lines = ['transport,sizeElements,totalSeconds,baseline,rawSeconds,rawReusedSeconds,ratio,ratioReused,error'];
    for (const r of rows) {
      lines.push(
        [
          r.transport,
          r.sizeElements,
          r.totalSeconds ?? '',
          r.baseline,
          r.rawSeconds ?? '',
          r.rawReusedSeconds ?? '',
          ratio(r.totalSeconds, r.rawSeconds) ?? '',
          ratio(r.totalSeconds, r.rawReusedSeconds) ?? '',
          JSON.stringify(r.error),
        ].join(','),
      );
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
    process.stdout.write(`written to ${file}\n`);
  }
}

function ratio(a: number | null, b: number | null): number | null {
  return a !== null && b !== null && b > 0 ? a / b : null;
}

function header(): string {
  return `${'transport'.padEnd(20)} ${'size'.padStart(5)} ${'total s'.padStart(9)} ${'raw channel'.padStart(15)} ${'raw s'.padStart(9)} ${'ratio'.padStart(8)} ${'÷ reused'.padStart(9)}`;
}

function printRow(r: Row): string {
  const f = (x: number | null, digits = 4) => (x === null ? '–' : x.toFixed(digits));
  const base = r.baseline === 'TypedArray.set' ? 'set (fresh)' : r.baseline;
  const line = `${r.transport.padEnd(20)} ${formatSize(r.sizeElements).padStart(5)} ${f(r.totalSeconds).padStart(9)} ${base.padStart(15)} ${f(r.rawSeconds).padStart(9)} ${f(ratio(r.totalSeconds, r.rawSeconds), 1).padStart(8)} ${f(ratio(r.totalSeconds, r.rawReusedSeconds), 1).padStart(9)}`;
  return r.error ? `${line}  (${r.error})` : line;
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(error instanceof UsageError ? `ipc-lab bench: ${error.message}\n` : `ipc-lab bench: ${error.stack}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
