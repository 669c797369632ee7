import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zeroCopyFindings, zeroCopyPhaseRows, zeroCopySeries } from '../../lib/findings/zero-copy';
import { blankRecord } from '../../lib/model/record';
import type { Runtime, TransferRecord } from '../../lib/model/types';

/** One ok measured record with a total (and encode/decode) time, as a run would leave it. */
function rec(
  runtime: Runtime,
  receiverRuntime: Runtime,
  transport: string,
  codec: TransferRecord['codec'],
  sizeElements: number,
  totalSeconds: number,
  extra: Partial<TransferRecord> = {},
): TransferRecord {
  const r = blankRecord(
    { runtime, receiverRuntime, transport, payload: 'int32', sizeElements, codec },
    { runId: 'r', repeat: 0, warmup: false },
  );
  return { ...r, ok: true, totalSeconds, verifySeconds: totalSeconds / 2, ...extra };
}

const RECORDS: TransferRecord[] = [
  rec('node', 'node', 'handoff', 'none', 1e3, 0.0004, { copies: 0, firstTouch: 'sender' }),
  rec('node', 'node', 'handoff', 'none', 1e8, 0.0005, { copies: 0, firstTouch: 'sender' }),
  rec('node', 'node', 'handoff', 'none', 1e8, 0.0003, { copies: 0, firstTouch: 'sender', warmup: true }),
  rec('node', 'node', 'raw-array', 'none', 1e8, 0.4, { copies: 2, firstTouch: 'receiver' }),
  rec('node', 'node', 'unix', 'raw', 1e8, 0.5, { encodeSeconds: 0.0001, decodeSeconds: 0.0001 }),
  rec('node', 'node', 'unix', 'arrow', 1e8, 0.55, { encodeSeconds: 0.001, decodeSeconds: 0.002 }),
  rec('node', 'cpython', 'handoff', 'none', 1e8, 0.0006),
  rec('node', 'cpython', 'unix', 'raw', 1e8, 0.9),
  rec('cpython', 'node', 'handoff', 'none', 1e8, 0.001),
  rec('cpython', 'node', 'unix', 'raw', 1e8, 0.6),
];

test('a series is named sender:receiver (or the runtime alone) and the transport with a codec other than its analog', () => {
  assert.equal(zeroCopySeries(RECORDS[0]), 'node handoff');
  assert.equal(zeroCopySeries(RECORDS[4]), 'node unix/raw');
  assert.equal(zeroCopySeries(RECORDS[6]), 'node:cpython handoff');
});

test('the targets are ratios of medians of measured runs (warm-ups left out), each with its verdict', () => {
  const found = zeroCopyFindings(RECORDS);
  assert.deepEqual([found.largestElements, found.smallestElements], [1e8, 1e3]);
  assert.equal(found.rawArrayOverHandoff.ratio, 0.4 / 0.0005);
  assert.equal(found.rawArrayOverHandoff.met, true);
  assert.deepEqual([found.rawArrayOverHandoff.bound, found.rawArrayOverHandoff.target], ['min', 100]);
  assert.equal(found.handoffGrowth.ratio, 0.0005 / 0.0004);
  const [nodeCpython, cpythonNode] = found.pairs;
  assert.deepEqual([nodeCpython.pair, cpythonNode.pair], ['node:cpython', 'cpython:node']);
  assert.ok(Math.abs((nodeCpython.socket.ratio ?? 0) - 1.8) < 1e-9);
  assert.equal(nodeCpython.socket.met, false, '1.8 is above the 1.5 allowed');
  assert.equal(cpythonNode.handoff.met, false, '0.001 ÷ 0.00045 is above 1.5');
  assert.ok(Math.abs((found.arrowCodec.ratio ?? 0) - 15) < 1e-9);
  assert.equal(found.arrowTotal.met, true);
  const noData = zeroCopyFindings(RECORDS.filter((r) => r.transport !== 'raw-array')).rawArrayOverHandoff;
  assert.deepEqual([noData.ratio, noData.met], [null, null]);
});

test('the phase rows at one size carry the medians, the copies and who touched the pages first', () => {
  const rows = zeroCopyPhaseRows(RECORDS, 1e8);
  const handoff = rows.find((r) => r.series === 'node handoff');
  assert.deepEqual([handoff?.totalSeconds, handoff?.copies, handoff?.firstTouch], [0.0005, 0, 'sender']);
  const rawArray = rows.find((r) => r.series === 'node raw-array');
  assert.deepEqual([rawArray?.copies, rawArray?.firstTouch, rawArray?.verifySeconds], [2, 'receiver', 0.2]);
  assert.equal(rows.length, 8);
});
