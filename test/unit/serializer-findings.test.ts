/** The findings of notebook 12 (lib/findings/serializers.ts) from a fake bench run with hand-picked medians. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serializerFindings, timeSplit } from '../../lib/findings/serializers';
import type { PayloadKind } from '../../lib/model/types';
import { timeSplitFigure } from '../../lib/notebook/serializers';
import type { BenchRun } from '../../lib/sweep/bench-results';
import type { ChannelRow } from '../../lib/sweep/channel-limits';
import type { FloorRow } from '../../lib/sweep/floors';

/** A row of the first table: a total and a floor (null total: the combination could not run). */
function floor(
  transport: string,
  codec: string,
  payload: PayloadKind,
  sizeElements: number,
  totalSeconds: number | null,
  floorSeconds = 0.1,
): FloorRow {
  return {
    transport,
    codec,
    payload,
    sizeElements,
    bytes: 4 * sizeElements,
    totalSeconds,
    totals: totalSeconds === null ? 0 : 3,
    totalsSeconds: totalSeconds === null ? [] : [totalSeconds],
    totalSpread: null,
    floorSeconds: totalSeconds === null ? null : floorSeconds,
    ratio: totalSeconds === null ? null : totalSeconds / floorSeconds,
    limit: 3,
    over: false,
    parts: [],
    note: '',
    own: { encode: totalSeconds === null ? null : totalSeconds / 4, send: null, recv: null, decode: 0.01 },
    byRound: null,
    reason: totalSeconds === null ? 'raw carries typed arrays only' : '',
  };
}

function channel(name: ChannelRow['channel'], sizeElements: number, nodeSeconds: number | null, cSeconds: number | null): ChannelRow {
  const ratio = nodeSeconds !== null && cSeconds !== null ? nodeSeconds / cSeconds : null;
  return {
    channel: name,
    sizeElements,
    bytes: 4 * sizeElements,
    nodeSeconds,
    nodeParts: [],
    chunkedSeconds: null,
    cSeconds,
    ratio,
    chunkedRatio: null,
    nodeSamplesSeconds: nodeSeconds === null ? [] : [nodeSeconds],
    chunkedSamplesSeconds: [],
    cSamplesSeconds: cSeconds === null ? [] : [cSeconds],
    nodeSpread: null,
    chunkedSpread: null,
    cSpread: null,
    byRound: null,
    reason: '',
  };
}

const RUN = {
  floorRows: [
    floor('pipe', 'v8', 'list', 1e6, 0.8),
    floor('pipe', 'v8', 'list', 1e7, 8),
    floor('pipe', 'packed', 'list', 1e7, 2, 0.5),
    floor('pipe', 'raw', 'list', 1e7, null),
    floor('unix', 'v8', 'list', 1e7, 6),
    floor('pipe', 'v8', 'int32', 1e7, 0.4),
    floor('pipe', 'raw', 'int32', 1e7, 0.2),
    floor('pipe', 'raw', 'list', 1e6, null),
  ],
  channelRows: [
    channel('pipe', 1e6, 0.02, 0.01),
    channel('pipe', 1e7, 0.2, 0.05),
    channel('unix', 1e7, 0.3, 0.125),
    channel('tcp', 1e7, 0.3, null),
  ],
} as unknown as BenchRun;

test('serializerFindings: the fastest codec per channel at the largest size, against v8 and its floor', () => {
  const f = serializerFindings(RUN);
  assert.deepEqual(
    f.fastest.map((p) => [p.payload, p.sizeElements]),
    [
      ['list', 1e7],
      ['int32', 1e7],
    ],
  );
  assert.deepEqual(f.fastest[0].channels, [
    { channel: 'pipe', codec: 'packed', seconds: 2, v8Seconds: 8, overV8: 4, floorRatio: 4 },
    { channel: 'unix', codec: 'v8', seconds: 6, v8Seconds: 6, overV8: null, floorRatio: 60 },
  ]);
  assert.equal(f.fastest[1].channels[0].codec, 'raw');
});

test("serializerFindings: Node's raw channel against C at the largest size C ran, and each refusal once", () => {
  const f = serializerFindings(RUN);
  assert.equal(f.againstC?.sizeElements, 1e7);
  assert.deepEqual(
    f.againstC?.rows.map((r) => [r.channel, r.ratio]),
    [
      ['pipe', 4],
      ['unix', 2.4],
    ],
    'a channel without a C time is left out',
  );
  assert.deepEqual(f.notRun, [{ codec: 'raw', payload: 'list' }]);
  assert.equal(serializerFindings({ ...RUN, channelRows: [] }).againstC, null);
});

test('timeSplit: encode and decode as measured, the rest is the channel; the figure names what could not run', () => {
  assert.deepEqual(timeSplit(floor('pipe', 'v8', 'list', 1e7, 8)), { encode: 2, decode: 0.01, channel: 8 - 2 - 0.01 });
  assert.equal(timeSplit(floor('pipe', 'raw', 'list', 1e7, null)), null);
  const fig = timeSplitFigure(RUN, 'list');
  assert.match(fig.title, /plain list of 1e7 elements \(not run: raw\)/);
  assert.deepEqual(fig.data[0].x, ['pipe · v8', 'pipe · packed', 'unix · v8']);
});
