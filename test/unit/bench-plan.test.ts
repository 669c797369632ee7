/**
 * The floor bench as data: the order its steps interleave in (bench-plan.ts), its tables computed
 * from results alone (bench-tables.ts), the floor operations' session that holds the payload
 * between steps, and every experiment's plan measuring each configuration once. Nothing real runs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FloorOpRequest, FloorOpSession } from '../../lib/measure/floor-ops';
import { BENCH_EXPERIMENTS } from '../../lib/sweep/bench-experiments';
import { benchSteps } from '../../lib/sweep/bench-plan';
import type { BenchRunConfig } from '../../lib/sweep/bench-results';
import { channelRows, floorRows } from '../../lib/sweep/bench-tables';
import { NOTEBOOK_EXPERIMENTS, SCALES } from '../../lib/sweep/experiments';
import { messageBenchSteps } from '../../lib/sweep/message-bench';
import { MESSAGE_EXPERIMENTS } from '../../lib/sweep/message-experiments';
import { type Step, type StepResult, stepKey } from '../../lib/sweep/steps';
import { sweepSteps } from '../../lib/sweep/sweep';
import { fakeResults } from '../helpers/bench-results';

const CONFIG: BenchRunConfig = {
  sizes: [1000],
  repeats: 2,
  transports: ['pipe', 'unix', 'file', 'queue'],
  codecs: ['v8', 'clone'],
  payloads: ['int32'],
  channels: ['pipe', 'shm'],
};

/** A step as a short word: "encode", "pipe", "raw-pipe", "C pipe", "set-touched@channel". */
function word(step: Step): string {
  if (step.kind === 'floor-op') return step.table === 'channel' ? `${step.op}@channel` : step.op;
  if (step.kind === 'transfer') return step.spec.transport;
  if (step.kind === 'c-channel') return `C ${step.channel}`;
  return step.kind;
}

test('the bench interleaves: per round, each codec group encodes, runs each transport then its floor parts not yet measured, decodes; then the channels against C', () => {
  const steps = benchSteps(CONFIG);
  const group = ['encode', 'pipe', 'raw-pipe', 'unix', 'raw-unix', 'file', 'file', 'decode'];
  assert.deepEqual(steps.map(word), [
    ...group,
    'queue',
    'clone',
    ...group,
    'queue',
    'clone',
    ...['raw-pipe', 'raw-pipe-chunked', 'C pipe', 'raw-pipe', 'raw-pipe-chunked', 'C pipe'],
    ...['set-touched@channel', 'set-fresh@channel', 'C shm', 'set-touched@channel', 'set-fresh@channel', 'C shm'],
  ]);
  assert.deepEqual(
    steps.map((s) => s.round).filter((round, i, all) => i === 0 || all[i - 1] !== round),
    [0, 1, 0, 1, 0, 1],
    'round 1 then round 2 of the first table, then of each channel',
  );
  // The raw channels and decode take the bytes of their round's encode; the channel table's raw pipe moves 4 B an element.
  const encodes = steps.filter((s) => s.kind === 'floor-op' && s.op === 'encode').map(stepKey);
  const takers = steps.filter((s) => (s.kind === 'transfer' || s.kind === 'floor-op') && s.bytesOf !== undefined);
  assert.deepEqual(
    takers.map((s) => [word(s), s.round, (s as { bytesOf: string }).bytesOf]),
    [0, 1].flatMap((round) => ['raw-pipe', 'raw-unix', 'file', 'decode'].map((w) => [w, round, encodes[round]])),
  );
  const cPipe = steps.find((s) => s.kind === 'c-channel');
  assert.deepEqual(cPipe, { kind: 'c-channel', channel: 'pipe', bytes: 4000, round: 0 });
  assert.equal(new Set(steps.map(stepKey)).size, steps.length, 'no step twice');
});

test('a codec the transport cannot take or a payload it cannot carry plans no step, only a row saying why', () => {
  const steps = benchSteps({ ...CONFIG, transports: ['pipe', 'queue'], codecs: ['raw'], payloads: ['list'], channels: [], repeats: 1 });
  assert.deepEqual(steps, [], 'raw carries no list; queue takes only clone');
  const rows = floorRows({ ...CONFIG, transports: ['pipe', 'queue'], codecs: ['raw'], payloads: ['list'] }, []);
  assert.deepEqual(
    rows.map((r) => [r.transport, r.codec, r.ratio]),
    [
      ['pipe', 'raw', null],
      ['queue', 'raw', null],
    ],
  );
  assert.match(rows[0].reason, /^raw codec: carries typed arrays only/);
  assert.equal(rows[1].reason, 'takes clone, not raw');
});

test('the tables come from the results alone: totals and floor parts over the rounds, the encoded size, Node against C', () => {
  const results = fakeResults(benchSteps(CONFIG));
  const rows = floorRows(CONFIG, results);
  assert.deepEqual(
    rows.map((r) => [r.transport, r.codec, r.totals, r.bytes]),
    [
      ['pipe', 'v8', 2, 4004],
      ['unix', 'v8', 2, 4004],
      ['file', 'v8', 2, 4004],
      ['queue', 'clone', 2, 4000],
    ],
  );
  const pipe = rows[0];
  // raw-pipe 0.3 (a raw transfer's total) + encode 0.1 + decode 0.1; total 0.3
  assert.ok(Math.abs((pipe.floorSeconds ?? 0) - 0.5) < 1e-12, String(pipe.floorSeconds));
  assert.ok(Math.abs((pipe.ratio ?? 0) - 0.6) < 1e-12, String(pipe.ratio));
  assert.deepEqual(
    pipe.parts.map((p) => [p.part, p.samples]),
    [
      ['raw-pipe', 2],
      ['encode', 2],
      ['decode', 2],
    ],
  );
  assert.equal(pipe.own.encode, 0.02);
  assert.equal(rows[2].floorSeconds, 0.4, 'file: encode, write, read, decode');
  const raw = results.find((r) => r.kind === 'transfer' && r.step.bytesOf !== undefined);
  assert.equal(raw?.kind === 'transfer' && raw.record.sizeElements, 1001, '⌈4004 ÷ 4⌉ int32');
  const channels = channelRows(CONFIG, results);
  assert.deepEqual(
    channels.map((c) => [c.channel, c.nodeSeconds, c.chunkedSeconds, c.cSeconds]),
    [
      ['pipe', 0.3, 0.3, 0.05],
      ['shm', 0.2, null, 0.05],
    ],
  );
});

test('a failed encode leaves the group’s rows without a floor, saying why once; a refused transfer is a refusal row', () => {
  const steps = benchSteps({ ...CONFIG, transports: ['pipe'], channels: [], repeats: 1 });
  const results = fakeResults(steps).map((r): StepResult => {
    if (r.kind === 'floor-op' && r.step.op === 'encode')
      return { ...r, ok: false, error: 'encode: Invalid string length', seconds: {}, bytes: null };
    if (r.kind === 'transfer' && r.step.bytesOf === undefined) {
      return {
        ...r,
        ok: false,
        error: 'pipe: too big',
        record: { ...r.record, ok: false, error: 'pipe: too big', failedPhase: 'limits', totalSeconds: null },
      };
    }
    return r.step.kind !== 'floor-op' || r.step.op !== 'decode'
      ? r
      : { kind: 'not-run', key: r.key, step: r.step, ok: false, error: 'not run' };
  });
  const [row] = floorRows({ ...CONFIG, transports: ['pipe'], channels: [] }, results);
  assert.equal(row.reason, 'pipe: too big');
  assert.equal(row.totals, 0);
  const ok = fakeResults(steps).map(
    (r): StepResult =>
      r.kind === 'floor-op' && r.step.op === 'encode' ? { ...r, ok: false, error: 'encode: boom', seconds: {}, bytes: null } : r,
  );
  const [failed] = floorRows({ ...CONFIG, transports: ['pipe'], channels: [] }, ok);
  assert.equal(failed.floorSeconds, null);
  assert.equal(failed.reason, 'no floor (missing encode); encode: boom');
});

test('the floor operations’ session keeps the payload and an encode’s bytes until its decode; a decode without them fails in one line', () => {
  const session = new FloorOpSession();
  const request = (op: FloorOpRequest['op'], extra: Partial<FloorOpRequest> = {}): FloorOpRequest => ({
    type: 'op',
    op,
    payload: 'list',
    sizeElements: 1000,
    codec: 'v8',
    key: op,
    bytesOf: null,
    ...extra,
  });
  const encoded = session.run(request('encode', { key: 'e1' }));
  assert.equal(encoded.type, 'op-done');
  assert.ok(encoded.type === 'op-done' && encoded.bytes !== null && encoded.bytes > 1000 && encoded.seconds.encode >= 0);
  const file = session.run(request('file', { bytesOf: 'e1' }));
  assert.ok(file.type === 'op-done' && file.seconds['file-write'] >= 0 && file.seconds['file-read'] >= 0);
  const decoded = session.run(request('decode', { bytesOf: 'e1' }));
  assert.ok(decoded.type === 'op-done' && decoded.seconds.decode >= 0);
  const again = session.run(request('decode', { bytesOf: 'e1' }));
  assert.deepEqual(again, { type: 'op-failed', error: 'the bytes of e1 are not held (another encode or size came between)' });
  for (const op of ['clone', 'clone-transfer', 'pack', 'set-touched', 'set-fresh'] as const) {
    const reply = session.run(request(op));
    assert.ok(reply.type === 'op-done' && reply.seconds[op] >= 0, op);
  }
  assert.match(JSON.stringify(session.run(request('encode', { codec: 'clone' }))), /codec clone has no encode or decode/);
});

test('a plain list’s decode is measured without the payload alive (a receiver holds only what it receives); an Int32Array’s keeps it', () => {
  const session = new FloorOpSession();
  for (const [payload, codec, heldAfterDecode] of [
    ['list', 'v8', false],
    ['int32', 'v8', true],
    ['list', 'json', false],
  ] as const) {
    const base = { type: 'op', payload, sizeElements: 1000, codec, bytesOf: null } as const;
    assert.equal(session.run({ ...base, op: 'encode', key: 'e' }).type, 'op-done');
    assert.equal(session.holdsPayload(), true, `${payload} ${codec}: held for the encode`);
    const decoded = session.run({ ...base, op: 'decode', key: 'd', bytesOf: 'e' });
    assert.equal(decoded.type, 'op-done', JSON.stringify(decoded));
    assert.equal(session.holdsPayload(), heldAfterDecode, `${payload} ${codec}`);
  }
  // The next operation that needs the list builds it again.
  const cloned = session.run({ type: 'op', op: 'clone', payload: 'list', sizeElements: 1000, codec: 'v8', key: 'c', bytesOf: null });
  assert.ok(cloned.type === 'op-done' && cloned.seconds.clone >= 0);
  assert.equal(session.holdsPayload(), true);
});

test('every experiment’s plan, at every scale, measures each configuration once', () => {
  for (const scale of SCALES) {
    for (const def of NOTEBOOK_EXPERIMENTS) {
      const keys = sweepSteps(def.configs[scale]).steps.map(stepKey);
      assert.equal(new Set(keys).size, keys.length, `${def.name} at ${scale}`);
    }
    for (const def of MESSAGE_EXPERIMENTS) {
      const keys = messageBenchSteps(def.configs[scale]).map(stepKey);
      assert.equal(new Set(keys).size, keys.length, `${def.name} at ${scale}`);
    }
    for (const def of BENCH_EXPERIMENTS) {
      const keys = benchSteps(def.configs[scale]).map(stepKey);
      assert.equal(new Set(keys).size, keys.length, `${def.name} at ${scale}`);
    }
  }
});
