import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { writeResults } from '../../lib/sweep/results-files';
import { describeRun } from '../../lib/sweep/run-description';
import { type Isolation, isolate } from '../helpers/isolation';
import { runEntry } from '../helpers/run-entry';

/**
 * `npm run compare` end to end: two small real runs made by the sweep's own entry point, compared
 * in each format; then bad input, each one line on stderr and exit code 2.
 */
let iso: Isolation;
let scratch = '';
let runA = '';
let runB = '';

const run = runEntry;
const compare = (args: string[]) => run('lib/cli/compare.ts', args);

before(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-compare-cli-'));
  iso = isolate('compare-cli');
  runA = path.join(scratch, 'run-a');
  runB = path.join(scratch, 'run-b');
  const common = ['--sizes', '1e3', '--repeats', '3', '--warmups', '0'];
  // A: pipe and file, with raw for the list too — a combination refused as a failed record.
  // B: pipe and tcp, so one configuration is in both, some only in A and one only in B.
  const [a, b] = await Promise.all([
    run('lib/cli/sweep.ts', ['--transports', 'pipe,file', '--payloads', 'list,int32', '--codecs', 'v8,raw', ...common, '--out', runA]),
    run('lib/cli/sweep.ts', ['--transports', 'pipe,tcp', '--payloads', 'int32', '--codecs', 'v8', ...common, '--out', runB]),
  ]);
  assert.equal(a.code, 0, `sweep A: ${a.stderr}`);
  assert.equal(b.code, 0, `sweep B: ${b.stderr}`);
});
after(async () => {
  try {
    assert.deepEqual(await iso.waitForNoProcesses(), [], 'no peer is left running');
    assert.deepEqual(iso.leftoverFiles(), [], 'no temp file of a transfer is left');
  } finally {
    iso.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('the terminal table: one row per configuration, failures, the legend and both runs', async () => {
  const { code, stdout, stderr } = await compare([runA, runB]);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const lines = stdout.split('\n');
  assert.match(lines[0], /^configuration\s+A median\s+B median\s+B\/A\s+95% CI\s+p\s+sig\s+n A\s+n B\s+verdict$/);
  const row = (name: string) => lines.find((line) => line.startsWith(`${name} `)) ?? assert.fail(`no row for ${name}:\n${stdout}`);
  // In both runs, 3 repeats each: a ratio, an interval and a verdict.
  assert.match(row('node pipe int32 v8 1e3'), /^node pipe int32 v8 1e3\s+[\d.]+ (µs|ms|s)\s+[\d.]+ (µs|ms|s)\s/);
  assert.match(row('node pipe int32 v8 1e3'), /\d\.\d{3}–\d+\.\d{3}\s+\S+\s+.*\s3\s+3\s+(B faster|B slower|not significant)$/);
  assert.match(row('node tcp int32 v8 1e3'), /\s0\s+3\s+only in B$/);
  assert.match(row('node file list v8 1e3'), /\s3\s+0\s+only in A$/);
  assert.match(row('node pipe list raw 1e3'), /\s0\s+0\s+only in A$/);
  assert.match(stdout, /\nFailures:\n {2}A node pipe list raw 1e3: 3 of 3 measured repeats failed: refused: .*raw/);
  assert.match(stdout, new RegExp(`\\nA = ${runA.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: run \\S+: .*Node ${process.versions.node}`));
  assert.match(stdout, /\nB = .*run-b: run \S+: .* cores, /);
  assert.equal(lines.filter((line) => / 1e3 /.test(line)).length >= 9, true, 'eight configurations of A and one of B');
});

test('CSV and Markdown, to stdout and to --out', async () => {
  const csv = await compare([runA, runB, '--format', 'csv']);
  assert.equal(csv.code, 0, csv.stderr);
  const csvLines = csv.stdout.trimEnd().split('\r\n');
  assert.match(csvLines[0], /^runtime,transport,payload,codec,sizeElements,status,nA,nB,/);
  assert.equal(csvLines.length, 1 + 9, 'a header and nine configurations');
  assert.ok(csvLines.some((line) => line.startsWith('node,pipe,int32,v8,1000,compared,3,3,0,0,')));
  const md = await compare([runB, runA, '--format', 'markdown']);
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /^\| configuration \| A median \|/);
  assert.match(md.stdout, /\n\| node pipe int32 v8 1e3 \| [^|]+ \| [^|]+ \| \d\.\d{3} \|/);
  const out = path.join(scratch, 'comparison.md');
  const written = await compare([runA, runB, '--format', 'markdown', '--out', out]);
  assert.equal(written.code, 0, written.stderr);
  assert.equal(written.stdout, '');
  assert.match(written.stderr, /wrote 9 configurations \(markdown\) to /);
  assert.match(fs.readFileSync(out, 'utf8'), /^\| configuration \|/);
});

/** Bad input: what is given, and what the one line must say (the bad value and what is valid). */
const BAD: { input: string; args: () => string[]; expected: RegExp }[] = [
  { input: 'one run', args: () => [runA], expected: /needs two results directories, RUN_A and RUN_B; got ".*run-a"/ },
  {
    input: 'a missing directory',
    args: () => [runA, path.join(scratch, 'nope')],
    expected: /RUN_B ".*nope" does not exist: give a results directory/,
  },
  {
    input: 'a directory that is not results',
    args: () => [path.join(scratch, 'empty'), runB],
    expected: /RUN_A ".*empty" is not a results directory: it has no records\.json/,
  },
  {
    input: 'a folder of runs',
    args: () => [scratch, runB],
    expected: /is not a results directory \(no records\.json\) but holds \d+ runs: give one \(.*run-a/,
  },
  {
    input: 'results with no records',
    args: () => [runA, path.join(scratch, 'no-records')],
    expected: /RUN_B ".*no-records" holds no measured records/,
  },
  {
    input: 'a file that is not results',
    args: () => [path.join(scratch, 'notes.txt'), runB],
    expected: /RUN_A: results file ".*notes\.txt" is truncated or not JSON/,
  },
  {
    input: 'an unknown flag',
    args: () => [runA, runB, '--fromat', 'csv'],
    expected: /unknown flag --fromat: did you mean --format\? valid: --format, --out, --help/,
  },
  {
    input: 'an unknown format',
    args: () => [runA, runB, '--format', 'xlsx'],
    expected: /unknown format "xlsx":.* valid: table, csv, markdown/,
  },
  {
    input: '--out in a missing directory',
    args: () => [runA, runB, '--out', path.join(scratch, 'nodir', 'x.csv')],
    expected: /--out ".*x\.csv": directory ".*nodir" does not exist/,
  },
];

test('bad input fixtures', () => {
  fs.mkdirSync(path.join(scratch, 'empty'));
  fs.writeFileSync(path.join(scratch, 'notes.txt'), 'not results\n');
  writeResults(path.join(scratch, 'no-records'), describeRun({ runId: 'empty', commandLine: 'test', label: '', python: null }), []);
});

for (const row of BAD) {
  test(`bad input: ${row.input} is one line on stderr, exit 2, no stack`, async () => {
    const { code, stdout, stderr } = await compare(row.args());
    assert.equal(code, 2, `exit code; stderr: ${stderr}`);
    assert.equal(stdout, '');
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
    assert.match(lines[0], /^ipc-lab: /);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.match(lines[0], row.expected);
  });
}

test('nothing was written by bad input', () => {
  assert.equal(fs.existsSync(path.join(scratch, 'nodir')), false);
});
