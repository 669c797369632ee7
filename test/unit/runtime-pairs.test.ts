import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSweepArgs } from '../../lib/cli/args';
import { checkRuntimeChoice, checkRuntimeChoices, pairLimit, pairOf, pairTransport, transportsOfChoice } from '../../lib/model/pairs';
import { describeSpec } from '../../lib/model/record';
import { expandSweep } from '../../lib/sweep/plan';
import { configurationKey } from '../../lib/sweep/summary';

test('a runtime alone means both peers; sender:receiver names a pair; node:node is node', () => {
  assert.equal(checkRuntimeChoice('node'), 'node');
  assert.equal(checkRuntimeChoice('Node:CPython'), 'node:cpython');
  assert.equal(checkRuntimeChoice('node:node'), 'node');
  assert.deepEqual(pairOf('cpython:node'), { sender: 'cpython', receiver: 'node' });
  assert.deepEqual(pairOf('bun'), { sender: 'bun', receiver: 'bun' });
  assert.deepEqual(checkRuntimeChoices(['node:cpython', 'cpython:node', 'node:cpython']), ['node:cpython', 'cpython:node']);
  assert.deepEqual(checkRuntimeChoices(['all']), ['node', 'bun', 'deno', 'cpython']);
});

test('a bad pair is one line naming the bad part and the nearest runtime', () => {
  assert.throws(
    () => checkRuntimeChoice('node:rubby'),
    (error: Error) => {
      assert.match(error.message, /^unknown runtime "rubby" in the pair "node:rubby": .*valid: node, bun, deno, cpython/);
      assert.ok(!error.message.includes('\n'));
      return true;
    },
  );
  assert.throws(() => checkRuntimeChoice('pyhton:node'), /unknown runtime "pyhton" in the pair "pyhton:node": did you mean "cpython"\?/);
  assert.throws(() => checkRuntimeChoice('node:cpython:bun'), /is not valid: name a runtime .* or a pair sender:receiver/);
  assert.throws(() => checkRuntimeChoice('node:'), /is not valid/);
});

test('a pair with CPython carries int32 in raw, arrow or a hand-over; a JavaScript pair what Node does', () => {
  const withCpython = pairTransport({ sender: 'node', receiver: 'cpython' }, 'unix');
  assert.deepEqual(withCpython?.payloads, ['int32']);
  assert.deepEqual(withCpython?.codecs, ['raw', 'arrow']);
  assert.deepEqual(withCpython?.patterns, ['transfer']);
  assert.deepEqual(pairTransport({ sender: 'cpython', receiver: 'node' }, 'handoff')?.codecs, ['none']);
  assert.equal(pairTransport({ sender: 'node', receiver: 'cpython' }, 'queue'), undefined);
  assert.ok(pairTransport({ sender: 'node', receiver: 'bun' }, 'unix')?.codecs.includes('v8'));
  assert.deepEqual(
    transportsOfChoice('node:cpython').map((t) => t.id),
    ['handoff', 'handoff-name', 'unix', 'tcp', 'pipe'],
  );
});

test('pairLimit names what a pair cannot run and what would run', () => {
  const base = { runtime: 'node' as const, receiverRuntime: 'cpython' as const, sizeElements: 10 };
  assert.equal(pairLimit({ ...base, transport: 'unix', payload: 'int32', codec: 'raw' }), null);
  assert.match(String(pairLimit({ ...base, transport: 'queue', payload: 'int32' })), /runs handoff, handoff-name, unix, tcp, pipe/);
  assert.match(String(pairLimit({ ...base, transport: 'unix', payload: 'list', codec: 'raw' })), /carries int32 .* use --payloads int32/);
  assert.match(String(pairLimit({ ...base, transport: 'unix', payload: 'int32', codec: 'v8' })), /takes codec raw, arrow, not v8/);
  assert.match(String(pairLimit({ ...base, transport: 'unix', payload: 'int32', codec: 'raw', pattern: 'rate' })), /one-shot transfer/);
});

test('a sweep over pairs expands sender:receiver specs with their codec named, and skips what a pair lacks with a note', () => {
  const plan = expandSweep({
    runtimes: ['node:cpython', 'cpython:node', 'node'],
    transports: ['handoff', 'unix', 'queue'],
    payloads: ['int32'],
    codecs: ['analog', 'arrow'],
    sizes: [1000],
    repeats: 1,
    warmups: 0,
  });
  const names = plan.transfers.map((t) => describeSpec(t.spec));
  assert.deepEqual(names, [
    'node:cpython handoff int32 1e3',
    'node:cpython unix/raw int32 1e3',
    'node:cpython unix/arrow int32 1e3',
    'cpython:node handoff int32 1e3',
    'cpython:node unix/raw int32 1e3',
    'cpython:node unix/arrow int32 1e3',
    'node handoff int32 1e3',
    'node unix int32 1e3',
    'node unix/arrow int32 1e3',
    'node queue int32 1e3',
  ]);
  assert.equal(plan.transfers[0].spec.receiverRuntime, 'cpython');
  assert.equal(plan.transfers[0].spec.codec, 'none');
  assert.ok(plan.notes.some((n) => n.includes('node:cpython has no "queue" transport')));
});

test('--runtime takes pairs; a pair is its own configuration', () => {
  const parsed = parseSweepArgs(
    [
      '--runtime',
      'node:cpython,cpython:node',
      '--transports',
      'handoff,unix',
      '--codecs',
      'raw,arrow',
      '--payloads',
      'int32',
      '--sizes',
      '1e6',
      '--out',
      '/tmp/ipc-lab-pairs-args-test',
    ],
    new Date(),
  );
  assert.equal(parsed.kind, 'run');
  if (parsed.kind !== 'run') return;
  assert.deepEqual(parsed.config.runtimes, ['node:cpython', 'cpython:node']);
  assert.throws(() => parseSweepArgs(['--runtime', 'node:rubby']), /unknown runtime "rubby" in the pair "node:rubby"/);
  const record = { runtime: 'node' as const, transport: 'unix', payload: 'int32' as const, codec: 'raw' as const, sizeElements: 10 };
  assert.notEqual(configurationKey({ ...record, receiverRuntime: 'cpython' }), configurationKey({ ...record, receiverRuntime: 'node' }));
  assert.equal(configurationKey({ ...record, receiverRuntime: 'node' }), configurationKey(record));
});

test('a list of serializers leaves the hand-overs and shared memory (which serialize nothing) to run with none', () => {
  const plan = expandSweep({
    runtimes: ['node:cpython', 'node'],
    transports: ['handoff', 'unix', 'raw-array'],
    payloads: ['int32'],
    codecs: ['raw', 'arrow'],
    sizes: [1e6],
    repeats: 1,
    warmups: 0,
  });
  assert.deepEqual(
    plan.transfers.map((t) => describeSpec(t.spec)),
    [
      'node:cpython handoff int32 1e6',
      'node:cpython unix/raw int32 1e6',
      'node:cpython unix/arrow int32 1e6',
      'node handoff int32 1e6',
      'node unix/raw int32 1e6',
      'node unix/arrow int32 1e6',
      'node raw-array int32 1e6',
    ],
  );
});
