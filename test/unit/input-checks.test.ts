import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { allTransportIds } from '../../lib/model/catalog';
import { checkHeapLimitMb, checkRepeats, checkTimeoutSeconds, checkWarmups, parseNumberText } from '../../lib/model/checks';
import { levenshtein, pickNames } from '../../lib/model/names';
import { checkOutDir } from '../../lib/model/out-dir';
import { checkSizeElements, parseSize, parseSizes } from '../../lib/model/sizes';
import { PAYLOADS, RUNTIMES } from '../../lib/model/types';
import { UsageError } from '../../lib/model/usage-error';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-validate-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const aFile = path.join(scratch, 'results.json');
fs.writeFileSync(aFile, '{}');
const withResults = path.join(scratch, 'old-sweep');
fs.mkdirSync(withResults);
fs.writeFileSync(path.join(withResults, 'records.json'), '{}');

const TRANSPORTS = allTransportIds();
const RULE = 'sizes are whole numbers from 1 to 2147483647 (e.g. 10, 1e5, 10^8)';

interface BadInput {
  input: string;
  run: () => unknown;
  expected: string;
}

/** One row per bad input: what is called, and a fragment its one-line message must contain. */
const BAD_INPUTS: BadInput[] = [
  { input: 'size "-5"', run: () => parseSize('-5'), expected: `size "-5" is not valid: ${RULE}` },
  { input: 'size "0"', run: () => parseSize('0'), expected: `size "0" is not valid: ${RULE}` },
  { input: 'size "1.5"', run: () => parseSize('1.5'), expected: 'size "1.5" is not valid' },
  { input: 'size "1.5e0"', run: () => parseSize('1.5e0'), expected: 'size "1.5e0" is not valid (not a whole number)' },
  { input: 'size "abc"', run: () => parseSize('abc'), expected: 'size "abc" is not valid: sizes are' },
  { input: 'size "NaN"', run: () => parseSize('NaN'), expected: 'size "NaN" is not valid' },
  { input: 'size "Infinity"', run: () => parseSize('Infinity'), expected: 'size "Infinity" is not valid' },
  { input: 'size ""', run: () => parseSize(''), expected: 'size "" is not valid' },
  { input: 'size "0x10"', run: () => parseSize('0x10'), expected: 'size "0x10" is not valid' },
  { input: 'size "1__000"', run: () => parseSize('1__000'), expected: 'size "1__000" is not valid' },
  { input: 'size "1e10"', run: () => parseSize('1e10'), expected: 'size "1e10" is not valid (above the largest int32)' },
  { input: 'size "2147483648"', run: () => parseSize('2147483648'), expected: 'size "2147483648" is not valid (above' },
  { input: 'size "10^10"', run: () => parseSize('10^10'), expected: 'size "10^10" is not valid (above' },
  { input: 'size "2^31"', run: () => parseSize('2^31'), expected: 'size "2^31" is not valid (above' },
  { input: 'sizes "10,-1"', run: () => parseSizes('10,-1'), expected: 'size "-1" is not valid' },
  { input: 'sizes ","', run: () => parseSizes(','), expected: 'no size given in ","' },
  { input: 'API size 0.5', run: () => checkSizeElements(0.5), expected: 'size 0.5 is not valid (not a whole number)' },
  { input: 'API size NaN', run: () => checkSizeElements(NaN), expected: 'size NaN is not valid (not a finite number)' },
  { input: 'API size 2^31', run: () => checkSizeElements(2 ** 31), expected: 'size 2147483648 is not valid (above' },
  {
    input: 'transport "pipr"',
    run: () => pickNames('transport', 'pipr', TRANSPORTS, true),
    expected: 'unknown transport "pipr": did you mean "pipe"? valid: queue, pipe, ipc,',
  },
  {
    input: 'transport "shared"',
    run: () => pickNames('transport', 'shared', TRANSPORTS, true),
    expected: 'did you mean "shared-array"?',
  },
  {
    input: 'transport "pipe,bogus"',
    run: () => pickNames('transport', 'pipe,bogus', TRANSPORTS, true),
    expected: 'unknown transport "bogus":',
  },
  {
    input: 'transport "zzzzzzzz" (nothing close)',
    run: () => pickNames('transport', 'zzzzzzzz', TRANSPORTS, true),
    expected: 'unknown transport "zzzzzzzz": valid: queue,',
  },
  {
    input: 'payload "int23"',
    run: () => pickNames('payload', 'int23', PAYLOADS, true),
    expected: 'unknown payload "int23": did you mean "int32"?',
  },
  {
    input: 'runtime "python"',
    run: () => pickNames('runtime', 'python', RUNTIMES, false),
    expected: 'did you mean "cpython"? valid: node, bun, deno, cpython',
  },
  { input: 'runtime "all" not allowed', run: () => pickNames('runtime', 'all', RUNTIMES, false), expected: 'unknown runtime "all":' },
  { input: 'transport ""', run: () => pickNames('transport', '', TRANSPORTS, true), expected: 'no transport given in ""' },
  { input: 'payload " , "', run: () => pickNames('payload', ' , ', PAYLOADS, true), expected: 'no payload given' },
  { input: 'repeats 0', run: () => checkRepeats(0), expected: 'repeats 0 is not valid: repeats must be a whole number from 1 up' },
  { input: 'repeats 2.5', run: () => checkRepeats(2.5), expected: 'repeats 2.5 is not valid' },
  { input: 'warmups -1', run: () => checkWarmups(-1), expected: 'warmups -1 is not valid: warmups must be a whole number from 0 up' },
  { input: 'heap -1', run: () => checkHeapLimitMb(-1), expected: 'heap limit in MiB -1 is not valid' },
  { input: 'repeats text ""', run: () => parseNumberText('repeats', ''), expected: 'repeats "" is not a number' },
  { input: 'repeats text "0x10"', run: () => parseNumberText('repeats', '0x10'), expected: 'repeats "0x10" is not a number' },
  { input: 'timeout 0', run: () => checkTimeoutSeconds(0), expected: 'timeout 0 is not valid: timeouts are seconds above 0' },
  { input: 'timeout NaN', run: () => checkTimeoutSeconds(NaN), expected: 'timeout NaN is not valid' },
  { input: 'timeout 3e6 (past the timer limit)', run: () => checkTimeoutSeconds(3e6), expected: 'at most 2147483' },
  { input: 'out ""', run: () => checkOutDir(''), expected: 'output directory "" is not valid' },
  { input: 'out = an existing file', run: () => checkOutDir(aFile), expected: `output directory "${aFile}" is a file, not a directory` },
  {
    input: 'out under an existing file',
    run: () => checkOutDir(path.join(aFile, 'sub', 'dir')),
    expected: `cannot be created: "${aFile}" is a file`,
  },
  {
    input: 'out already holds results (when refused)',
    run: () => checkOutDir(withResults, { refuseExistingResults: true }),
    expected: 'already holds records.json',
  },
];

for (const row of BAD_INPUTS) {
  test(`rejects ${row.input}`, () => {
    assert.throws(row.run, (error: unknown) => {
      assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
      assert.ok(!error.message.includes('\n'), `message is not one line: ${error.message}`);
      assert.ok(error.message.includes(row.expected), `message "${error.message}" lacks "${row.expected}"`);
      return true;
    });
  });
}

test('the table covers at least 20 bad inputs', () => {
  assert.ok(BAD_INPUTS.length >= 20);
});

/** A directory this process cannot write to, or undefined (root writes everywhere it can see). */
function unwritableDirectory(): string | undefined {
  const locked = path.join(scratch, 'locked');
  fs.mkdirSync(locked, { recursive: true });
  fs.chmodSync(locked, 0o555);
  for (const candidate of [locked, '/proc/sys']) {
    try {
      fs.accessSync(candidate, fs.constants.W_OK);
    } catch {
      return candidate;
    }
  }
  return undefined;
}

test('rejects an output directory under an unwritable one', (t) => {
  const locked = unwritableDirectory();
  if (locked === undefined) {
    t.skip('no unwritable directory visible to this user');
    return;
  }
  assert.throws(() => checkOutDir(path.join(locked, 'ipc-lab-results')), new RegExp(`cannot be created: "${locked}" is not writable`));
});

test('accepted sizes, as people write them', () => {
  const cases: Array<[string, number]> = [
    ['100000', 100000],
    ['1e5', 100000],
    ['1E+3', 1000],
    ['2.5e3', 2500],
    ['10^8', 100000000],
    ['2^20', 1048576],
    ['1_000_000', 1000000],
    [' 42 ', 42],
    ['1', 1],
    ['2147483647', 2147483647],
  ];
  for (const [text, expected] of cases) assert.equal(parseSize(text), expected, text);
  assert.deepEqual(parseSizes('10, 1e5,10^8,'), [10, 100000, 100000000]);
  assert.equal(checkSizeElements(100), 100);
});

test('pickNames: all, case, repeats and order', () => {
  assert.deepEqual(pickNames('payload', 'all', PAYLOADS, true), ['list', 'int32', 'bytes', 'object']);
  assert.deepEqual(pickNames('transport', 'Pipe, tcp,pipe', TRANSPORTS, true), ['pipe', 'tcp']);
  assert.deepEqual(pickNames('runtime', 'cpython,node', RUNTIMES, false), ['cpython', 'node']);
});

test('numbers that pass', () => {
  assert.equal(checkRepeats(1), 1);
  assert.equal(checkWarmups(0), 0);
  assert.equal(checkHeapLimitMb(0), 0);
  assert.equal(checkTimeoutSeconds(0.5), 0.5);
  assert.equal(parseNumberText('timeout', ' 900 '), 900);
  assert.equal(parseNumberText('timeout', '1.5e2'), 150);
});

test('checkOutDir accepts a new path without creating it, and an existing directory', () => {
  const fresh = path.join(scratch, 'new', 'deeper');
  assert.equal(checkOutDir(fresh), fresh);
  assert.equal(fs.existsSync(path.join(scratch, 'new')), false);
  assert.equal(checkOutDir(withResults), withResults); // existing results allowed unless refused
  assert.equal(checkOutDir('relative/dir'), path.resolve('relative/dir'));
});

test('levenshtein distances by hand', () => {
  assert.equal(levenshtein('pipr', 'pipe'), 1);
  assert.equal(levenshtein('kitten', 'sitting'), 3);
  assert.equal(levenshtein('', 'tcp'), 3);
  assert.equal(levenshtein('unix', 'unix'), 0);
});
