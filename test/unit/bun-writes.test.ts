import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { writeInPieces } from '../../lib/measure/bun-writes';

/** A stream that takes each write after a tick, with a small buffer, so that writes wait for 'drain'. */
function slowSink(failAfterBytes = Number.POSITIVE_INFINITY) {
  const pieces: Buffer[] = [];
  let taken = 0;
  const stream = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      setImmediate(() => {
        if (taken + chunk.length > failAfterBytes) return callback(new Error('the peer went away'));
        taken += chunk.length;
        pieces.push(Buffer.from(chunk));
        callback();
      });
    },
  });
  return { stream, pieces };
}

test('writeInPieces writes every byte in order, in pieces of at most 1 MiB, waiting for drain between them', async () => {
  const header = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const body = Buffer.alloc(3 * 1024 * 1024 + 5);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0xff;
  const { stream, pieces } = slowSink();
  await writeInPieces(stream, [header, body, Buffer.from([9])]);
  assert.deepEqual(Buffer.concat(pieces), Buffer.concat([header, body, Buffer.from([9])]));
  assert.ok(Math.max(...pieces.map((p) => p.length)) <= 1024 * 1024, 'no piece over 1 MiB');
  assert.ok(pieces.length >= 6, `${pieces.length} pieces`);
});

test('writeInPieces rejects with the stream’s error when the peer fails mid-body, and leaves no listener behind', async () => {
  const { stream } = slowSink(2 * 1024 * 1024);
  stream.on('error', () => {}); // the owner's own handler, as a transport has
  const listeners = stream.listenerCount('error');
  await assert.rejects(writeInPieces(stream, [Buffer.alloc(8), Buffer.alloc(4 * 1024 * 1024)]), /the peer went away/);
  assert.equal(stream.listenerCount('error'), listeners);
  assert.equal(stream.listenerCount('drain'), 0);
});
