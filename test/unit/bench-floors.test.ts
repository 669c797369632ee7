import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { benchCsv, benchReport, describeParts, floorLine, HOW_TO_READ } from '../../lib/cli/bench-print';
import { CODECS } from '../../lib/measure/codecs';
import {
  freshBody,
  timeClone,
  timeCloneTransfer,
  timeDecode,
  timeEncode,
  timeFileWriteRead,
  timePack,
  timeSetFresh,
  timeSetTouched,
} from '../../lib/measure/floor-ops';
import { buildPayload } from '../../lib/measure/payload';
import { NODE_TRANSPORTS, patternsOf } from '../../lib/model/catalog';
import { benchCodecs } from '../../lib/sweep/bench-plan';
import { channelRow } from '../../lib/sweep/channel-limits';
import {
  type FloorRecipe,
  floorFromSamples,
  floorRecipe,
  floorRow,
  MANAGER_OVER_FLOOR_LIMIT,
  OVER_FLOOR_LIMIT,
  partsOf,
  ratioOf,
} from '../../lib/sweep/floors';

const close = (actual: number | null, expected: number, what: string): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);
};

const pipeV8 = floorRecipe('pipe', 'v8', 'int32');

test('a floor is the sum of its parts’ medians: 0.1 + 0.2 + 0.05 = 0.35', () => {
  assert.deepEqual(partsOf(pipeV8), ['raw-pipe', 'encode', 'decode']);
  // medians: raw-pipe median(0.1, 0.3, 0.09) = 0.1; encode 0.2; decode median(0.04, 0.05, 0.06) = 0.05
  const floor = floorFromSamples(pipeV8, { 'raw-pipe': [0.1, 0.3, 0.09], encode: [0.2, 0.2, 0.2], decode: [0.06, 0.04, 0.05] });
  close(floor.seconds, 0.35, 'floor');
  assert.deepEqual(floor.missing, []);
  assert.deepEqual(
    floor.parts.map((p) => [p.part, p.medianSeconds, p.samples]),
    [
      ['raw-pipe', 0.1, 3],
      ['encode', 0.2, 3],
      ['decode', 0.05, 3],
    ],
  );
});

test('total 0.7 over a floor of 0.35 is a ratio of 2.0, flagged above 1.25', () => {
  const row = floorRow({
    recipe: pipeV8,
    sizeElements: 1e7,
    bytes: 40_000_064,
    totals: [0.8, 0.7, 0.6],
    samples: { 'raw-pipe': [0.1], encode: [0.2], decode: [0.05] },
  });
  close(row.totalSeconds, 0.7, 'total');
  close(row.floorSeconds, 0.35, 'floor');
  close(row.ratio, 2.0, 'ratio');
  close(row.totalSpread, 0.2 / 0.7, 'spread: (max − min) ÷ median');
  assert.deepEqual(row.totalsSeconds, [0.8, 0.7, 0.6]);
  assert.match(floorLine(row), / ±14% /);
  assert.equal(row.limit, OVER_FLOOR_LIMIT);
  assert.equal(row.over, true);
  assert.equal(row.reason, '');
  assert.match(
    floorLine(row),
    / 38\.1 MiB\s+700 ms\s+±14%\s+350 ms\s+2\.00×\s+> 1\.25×\s+raw-pipe 100 ms \+ encode 200 ms \+ decode 50\.0 ms$/,
  );
});

test('a missing part gives no floor and a null ratio, with the reason', () => {
  const row = floorRow({ recipe: pipeV8, sizeElements: 1e7, bytes: null, totals: [0.7], samples: { encode: [0.2], decode: [0.05] } });
  assert.equal(row.floorSeconds, null);
  assert.equal(row.ratio, null);
  assert.equal(row.over, false);
  assert.match(row.reason, /no floor \(missing raw-pipe\)/);
});

test('errors met along the way are kept, each once; a failed transport is "no total"', () => {
  const row = floorRow({
    recipe: pipeV8,
    sizeElements: 10,
    bytes: 64,
    totals: [],
    samples: { 'raw-pipe': [0.1], encode: [0.2], decode: [0.05] },
    errors: ['peer died', 'peer died'],
  });
  assert.equal(row.ratio, null);
  assert.equal(row.reason, 'no total; peer died');
});

test('a refused combination is a row saying why, with no floor', () => {
  const row = floorRow({
    recipe: floorRecipe('pipe', 'raw', 'list'),
    sizeElements: 1e6,
    bytes: null,
    totals: [],
    samples: { encode: [1] },
    refusal: 'raw codec: carries typed arrays only',
  });
  assert.equal(row.floorSeconds, null);
  assert.equal(row.ratio, null);
  assert.equal(row.reason, 'raw codec: carries typed arrays only');
  assert.match(floorLine(row), /\(raw codec: carries typed arrays only\)$/);
});

test('the manager pays encode and decode twice and crosses its socket twice; its limit is 1.5', () => {
  const recipe = floorRecipe('manager', 'v8', 'int32');
  // 2 × 0.1 + 2 × 0.2 + 2 × 0.05 = 0.7; total 0.98 → 1.4, under 1.5
  const row = floorRow({
    recipe,
    sizeElements: 1e7,
    bytes: 1,
    totals: [0.98],
    samples: { encode: [0.1], 'raw-unix': [0.2], decode: [0.05] },
  });
  close(row.floorSeconds, 0.7, 'manager floor');
  close(row.ratio, 1.4, 'manager ratio');
  assert.equal(row.limit, MANAGER_OVER_FLOOR_LIMIT);
  assert.equal(row.over, false);
  assert.equal(describeParts(row.parts), '2 × encode 100 ms + 2 × raw-unix 200 ms + 2 × decode 50.0 ms');
  assert.equal(
    describeParts(row.parts, (s) => String(s)),
    '2 × encode 0.1 + 2 × raw-unix 0.2 + 2 × decode 0.05',
  );
});

test('every catalog transport has a floor; each recipe names what the prompt says', () => {
  const transferring = NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('transfer'));
  assert.deepEqual(
    NODE_TRANSPORTS.filter((t) => !transferring.includes(t)).map((t) => t.id),
    ['ring', 'ring-thread'],
    'only the message-only rings have no floor',
  );
  for (const t of transferring) for (const codec of t.codecs) assert.ok(floorRecipe(t.id, codec, 'int32').parts.length > 0, t.id);
  const parts = (id: string, codec: string, payload: 'int32' | 'list' = 'int32') => partsOf(floorRecipe(id, codec, payload));
  assert.deepEqual(parts('tcp', 'raw'), ['raw-tcp', 'encode', 'decode']);
  assert.deepEqual(parts('unix', 'v8'), ['raw-unix', 'encode', 'decode']);
  // Node's IPC channel reads in libuv's chunks and joins them (no onread): its floor's channel is read the same way.
  assert.deepEqual(parts('ipc', 'v8'), ['raw-unix-chunked', 'encode', 'decode']);
  assert.deepEqual(parts('ipc-json', 'json'), ['raw-unix-chunked', 'encode', 'decode']);
  assert.match(floorRecipe('ipc', 'v8', 'int32').note, /alignment/);
  assert.deepEqual(parts('file', 'v8'), ['encode', 'file-write', 'file-read', 'decode']);
  assert.deepEqual(parts('queue', 'clone'), ['clone']);
  assert.deepEqual(parts('transfer', 'clone'), ['clone-transfer']);
  assert.deepEqual(parts('transfer', 'clone', 'list'), ['pack', 'clone-transfer']);
  for (const id of ['shared-array', 'shared-array-thread', 'raw-array', 'raw-array-thread'])
    assert.deepEqual(parts(id, 'none'), ['set-touched', 'set-fresh']);
  assert.match(floorRecipe('shared-array', 'none', 'int32').note, /lock/);
  assert.equal(floorRecipe('raw-array', 'none', 'int32').note, '');
  assert.throws(() => floorRecipe('carrier-pigeon', 'v8', 'int32'), /no floor is defined for transport "carrier-pigeon"/);
});

test('ratioOf: null with a reason when either side is missing or the floor is not positive', () => {
  assert.deepEqual(ratioOf(null, 1), { ratio: null, reason: 'no total' });
  assert.deepEqual(ratioOf(1, null), { ratio: null, reason: 'no floor' });
  assert.deepEqual(ratioOf(1, 0), { ratio: null, reason: 'floor is 0 s' });
  assert.deepEqual(ratioOf(3, 2, ['Node time', 'C time']), { ratio: 1.5, reason: '' });
});

test('the default codecs: v8 and raw for the byte carriers, the only codec elsewhere; lists and all', () => {
  const serializers = ['v8', 'json', 'raw', 'msgpackr', 'packed'];
  assert.deepEqual(benchCodecs(serializers, 'default'), { run: ['v8', 'raw'], refused: [] });
  assert.deepEqual(benchCodecs(['clone'], 'default'), { run: ['clone'], refused: [] });
  assert.deepEqual(benchCodecs(['json'], 'default'), { run: ['json'], refused: [] });
  assert.deepEqual(benchCodecs(serializers, 'all').run, serializers);
  assert.deepEqual(benchCodecs(serializers, ['json', 'clone']), { run: ['json'], refused: [] });
  assert.deepEqual(benchCodecs(['none'], ['json']), { run: [], refused: [{ codec: 'json', reason: 'takes none, not json' }] });
});

test('channel rows: Node ÷ C of medians; shm is two sets; a missing C time is a reason', () => {
  const pipe = channelRow({
    channel: 'pipe',
    sizeElements: 1e7,
    nodeSamples: { 'raw-pipe': [0.3, 0.2, 0.4] },
    chunkedSamples: [0.5, 0.6, 0.4],
    cSamples: [0.1, 0.2, 0.1],
  });
  close(pipe.nodeSeconds, 0.3, 'node');
  close(pipe.cSeconds, 0.1, 'C');
  close(pipe.ratio, 3, 'ratio');
  close(pipe.chunkedSeconds, 0.5, 'chunked');
  close(pipe.chunkedRatio, 5, 'chunked ratio');
  assert.equal(pipe.bytes, 4e7);
  assert.deepEqual(pipe.nodeSamplesSeconds, [0.3, 0.2, 0.4], 'the rounds are kept in their order');
  close(pipe.nodeSpread, 0.2 / 0.3, 'direct spread');
  close(pipe.chunkedSpread, 0.2 / 0.5, 'chunked spread');
  close(pipe.cSpread, 0.1 / 0.1, 'C spread');
  const shm = channelRow({ channel: 'shm', sizeElements: 10, nodeSamples: { 'set-touched': [0.01], 'set-fresh': [0.03] }, cSamples: [] });
  close(shm.nodeSeconds, 0.04, 'shm node');
  assert.equal(shm.ratio, null);
  assert.equal(shm.reason, 'no C time');
  assert.deepEqual([shm.chunkedSeconds, shm.chunkedRatio], [null, null], 'shm has no chunked read');
  assert.deepEqual(shm.nodeSamplesSeconds, [0.04], "shm's rounds add its two sets");
  assert.equal(shm.nodeSpread, null, 'one round has no spread');
  const uneven = channelRow({
    channel: 'shm',
    sizeElements: 10,
    nodeSamples: { 'set-touched': [0.01, 0.02], 'set-fresh': [0.03] },
    cSamples: [],
  });
  assert.deepEqual(uneven.nodeSamplesSeconds, [], 'parts with unequal rounds cannot be added round by round');
  const report = benchReport('title', [], [pipe, shm]);
  assert.match(report, /Node raw ÷ C/);
  assert.ok(report.includes(HOW_TO_READ));
  assert.match(report, /^pipe\s+1e7\s+38\.1 MiB\s+300 ms\s+±33%\s+500 ms\s+±20%\s+100 ms\s+±50%\s+3\.00×\s+5\.00×\s+raw-pipe 300 ms$/m);
  const csv = benchCsv([], [pipe, shm]).trim().split('\n');
  assert.equal(csv.length, 4, 'header, pipe direct and chunked, shm');
  assert.match(csv[0], /^table,name,readWay,codec,/);
  assert.match(csv[1], /^channel,pipe,direct,,int32,10000000,40000000,0\.3,0\.66+7?,0\.1,[\d.]+,,,raw-pipe 0\.3,/);
  assert.match(csv[2], /^channel,pipe,chunked,,int32,10000000,40000000,0\.5,0\.(4|39+\d*),0\.1,[\d.]+,,,raw-pipe-chunked 0\.5,/);
  assert.match(csv[3], /^channel,shm,direct,/);
});

test('floor operations on a small payload: seconds, and the file dir is gone after', () => {
  const recipe: FloorRecipe = floorRecipe('file', 'v8', 'int32');
  assert.equal(recipe.parts.length, 4);
  const payload = buildPayload('int32', 1000) as Int32Array;
  for (const codec of Object.values(CODECS)) {
    if (codec.limit('int32', payload.length) !== null) continue; // packed takes lists only
    const encoded = timeEncode(codec, payload);
    assert.ok(encoded.seconds >= 0 && encoded.bytes >= 2000, codec.id);
    assert.ok(timeDecode(codec, freshBody(encoded.chunks), 'int32') >= 0, codec.id);
  }
  const list = buildPayload('list', 1000) as number[];
  for (const seconds of [
    timeClone(payload),
    timeClone(list),
    timeCloneTransfer(4000),
    timePack(list),
    timeSetTouched(payload),
    timeSetTouched(list),
    timeSetFresh(payload),
  ]) {
    assert.ok(Number.isFinite(seconds) && seconds >= 0);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floors-test-'));
  try {
    const file = timeFileWriteRead(timeEncode(CODECS.raw, payload).chunks, root);
    assert.ok(file.writeSeconds >= 0 && file.readSeconds >= 0);
    assert.deepEqual(fs.readdirSync(root), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
