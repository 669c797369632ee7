import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parseSweepArgs, SWEEP_HELP, type SweepArgs } from '../../lib/cli/args';
import { allTransportIds } from '../../lib/model/catalog';
import { DEFAULT_RESULTS_ROOT } from '../../lib/model/paths';
import { UsageError } from '../../lib/model/usage-error';

const NOW = new Date(2024, 2, 5, 14, 7, 9); // local time 2024-03-05 14:07:09
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-args-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function run(argv: string[]): Extract<SweepArgs, { kind: 'run' }> {
  const parsed = parseSweepArgs(argv, NOW);
  assert.equal(parsed.kind, 'run');
  return parsed as Extract<SweepArgs, { kind: 'run' }>;
}

test('no flags: the documented defaults', () => {
  const parsed = run([]);
  assert.deepEqual(parsed.config, {
    runtimes: ['node'],
    transports: 'all',
    payloads: ['list', 'int32'],
    sizes: [10, 100000],
    repeats: 3,
    warmups: 1,
    codecs: 'analog',
    order: 'grouped',
    patterns: ['transfer'],
    messages: undefined,
    messageSizes: [8, 64, 1024, 16384, 65536, 1048576],
  });
  assert.deepEqual(parsed.options, { timeoutSeconds: 900, heapLimitMb: 0, fault: 'none', python: '', verbose: false });
  assert.match(parsed.outDir, new RegExp(`^${path.join(DEFAULT_RESULTS_ROOT, 'sweep-20240305-140709-')}[0-9a-f]{8}$`));
  assert.equal(parsed.label, '');
  assert.deepEqual(parsed.notes, []);
  assert.equal(fs.existsSync(parsed.outDir), false, 'parsing must not create the directory');
});

test("IPC_LAB_RESULTS_DIR moves the default --out, as it moves the notebooks' results", () => {
  const root = path.join(scratch, 'elsewhere');
  const parsed = parseSweepArgs([], NOW, { IPC_LAB_RESULTS_DIR: root });
  assert.equal(parsed.kind === 'run' && path.dirname(parsed.outDir), root);
  const unset = parseSweepArgs([], NOW, { IPC_LAB_RESULTS_DIR: '' });
  assert.equal(unset.kind === 'run' && path.dirname(unset.outDir), DEFAULT_RESULTS_ROOT);
});

test('every flag is read', () => {
  const out = path.join(scratch, 'results');
  const parsed = run([
    '--runtime',
    'node,cpython',
    '--transports',
    'pipe,tcp',
    '--payloads',
    'list',
    '--codecs',
    'raw,v8',
    '--sizes',
    '10^3,1e4',
    '--repeats',
    '5',
    '--warmups',
    '0',
    '--order',
    'interleaved',
    '--timeout',
    '1.5',
    '--heap-mb',
    '4096',
    '--python',
    '/usr/bin/python3',
    '--label',
    'laptop, on battery',
    '--verbose',
    '--pattern',
    'transfer,roundtrip',
    '--messages',
    '2e3',
    '--message-sizes',
    '64, 1KiB,16k,1 MiB',
    '--out',
    out,
  ]);
  assert.deepEqual(parsed.config, {
    runtimes: ['node', 'cpython'],
    transports: ['pipe', 'tcp'],
    payloads: ['list'],
    sizes: [1000, 10000],
    repeats: 5,
    warmups: 0,
    codecs: ['raw', 'v8'],
    order: 'interleaved',
    patterns: ['transfer', 'roundtrip'],
    messages: 2000,
    messageSizes: [64, 1024, 16384, 1048576],
  });
  assert.deepEqual(parsed.options, { timeoutSeconds: 1.5, heapLimitMb: 4096, fault: 'none', python: '/usr/bin/python3', verbose: true });
  assert.equal(parsed.outDir, out);
  assert.equal(parsed.label, 'laptop, on battery');
});

test('--experiment takes the preset; the default out dir is named after it', () => {
  const parsed = run(['--experiment', 'article-pipe']);
  assert.deepEqual(parsed.config, {
    runtimes: ['node'],
    transports: ['pipe'],
    payloads: ['list'],
    sizes: [10, 1e5, 1e6, 1e7, 1e8],
    repeats: 1,
    warmups: 0,
    codecs: 'analog',
    order: 'grouped',
    patterns: ['transfer'],
    messages: undefined,
    messageSizes: [8, 64, 1024, 16384, 65536, 1048576],
  });
  assert.match(path.basename(parsed.outDir), /^article-pipe-20240305-140709-[0-9a-f]{8}$/);
});

test('flags given with --experiment override only what they name, with a note', () => {
  const parsed = run(['--experiment', 'article-methods', '--runtime', 'node,cpython', '--sizes', '1e5']);
  assert.deepEqual(parsed.config.runtimes, ['node', 'cpython']);
  assert.deepEqual(parsed.config.sizes, [100000]);
  assert.equal(parsed.config.transports, 'all');
  assert.deepEqual(parsed.config.payloads, ['list']);
  assert.equal(parsed.config.repeats, 1);
  assert.deepEqual(parsed.notes, [
    '--runtime node,cpython overrides preset article-methods',
    '--sizes 1e5 overrides preset article-methods',
  ]);
});

test("'all' in a list selects everything", () => {
  assert.equal(run(['--transports', 'pipe,all']).config.transports, 'all');
  assert.deepEqual(run(['--payloads', 'all']).config.payloads, ['list', 'int32', 'bytes', 'object']);
});

test('the payloads follow the patterns unless given: list and int32 for a transfer, bytes for messages', () => {
  assert.deepEqual(run(['--pattern', 'roundtrip']).config.payloads, ['bytes']);
  assert.deepEqual(run(['--pattern', 'rate,transfer']).config.payloads, ['list', 'int32', 'bytes']);
  assert.deepEqual(run(['--pattern', 'rate', '--payloads', 'object,int32']).config.payloads, ['object', 'int32']);
});

test('bad pattern, message count and message size flags are one-line errors naming the value', () => {
  for (const [argv, fragment] of [
    [['--pattern', 'pingpong'], 'pattern "pingpong"'],
    [['--pattern', 'rate', '--messages', '0'], 'messages "0" is not valid'],
    [['--pattern', 'rate', '--messages', 'lots'], 'messages "lots" is not a number'],
    [['--pattern', 'rate', '--messages', '1.5'], 'messages "1.5" is not valid'],
    [['--pattern', 'rate', '--message-sizes', '64,2GiB'], 'message size "2GiB" is not valid'],
    [['--pattern', 'rate', '--message-sizes', '0'], 'message size "0" is not valid'],
  ] as const) {
    assert.throws(
      () => parseSweepArgs([...argv], NOW),
      (e: unknown) => e instanceof UsageError && e.message.includes(fragment) && !e.message.includes('\n'),
      fragment,
    );
  }
  assert.deepEqual(run(['--runtime', 'all', '--payloads', 'list']).config.runtimes, ['node', 'bun', 'deno', 'cpython']);
});

test('--help and -h return the help text', () => {
  assert.deepEqual(parseSweepArgs(['--help']), { kind: 'help', text: SWEEP_HELP });
  assert.equal(parseSweepArgs(['--sizes', '10', '-h']).kind, 'help');
});

test('the help text lists every flag, every transport and both article experiments', () => {
  const flags = [
    '--runtime',
    '--transports',
    '--payloads',
    '--sizes',
    '--repeats',
    '--warmups',
    '--preset',
    '--experiment',
    '--out',
    '--timeout',
    '--heap-mb',
    '--python',
    '--label',
    '--verbose',
    '--help',
  ];
  for (const flag of flags) assert.ok(SWEEP_HELP.includes(flag), flag);
  for (const id of allTransportIds()) assert.ok(SWEEP_HELP.includes(id), id);
  assert.ok(SWEEP_HELP.includes('--preset article-pipe'));
  assert.ok(SWEEP_HELP.includes('--preset article-methods'));
  assert.ok(SWEEP_HELP.includes('--experiment NAME is the same flag'));
});

test('bad command lines are one-line UsageErrors', () => {
  const aFile = path.join(scratch, 'a-file');
  fs.writeFileSync(aFile, 'x');
  const bad: Array<[string[], string]> = [
    [['--sizez', '10'], 'unknown flag --sizez: did you mean --sizes? see --help'],
    [['--bogus-thing'], 'unknown flag --bogus-thing: see --help'],
    [['--sizes'], 'flag --sizes needs a value'],
    [['--sizes', '-5'], 'flag --sizes needs a value (write --sizes=VALUE'],
    [['--sizes=-5'], 'size "-5" is not valid'],
    [['--verbose=yes'], 'flag --verbose takes no value'],
    [['pipe'], 'unexpected argument "pipe"'],
    [['--repeats', '0'], 'repeats 0 is not valid'],
    [['--repeats', 'three'], 'repeats "three" is not a number'],
    [['--warmups=-1'], 'warmups -1 is not valid'],
    [['--timeout', '0'], 'timeout 0 is not valid'],
    [['--heap-mb', '1.5'], 'heap limit in MiB 1.5 is not valid'],
    [['--transports', 'pipr'], 'unknown transport "pipr": did you mean "pipe"?'],
    [['--runtime', 'cpython', '--transports', 'unix'], 'transport "unix" exists only for node'],
    [['--runtime', 'cpython', '--payloads', 'int32'], 'nothing to run'],
    [['--experiment', 'article'], 'unknown preset "article"'],
    [['--order', 'shuffled'], 'unknown order "shuffled"'],
    [['--order', 'grouped,interleaved'], '--order takes one of grouped, interleaved'],
    [['--out', aFile], 'is a file, not a directory'],
  ];
  for (const [argv, fragment] of bad) {
    assert.throws(
      () => parseSweepArgs(argv, NOW),
      (e: unknown) => e instanceof UsageError && !e.message.includes('\n') && e.message.includes(fragment),
      `${argv.join(' ')} → ${fragment}`,
    );
  }
});
