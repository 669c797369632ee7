import type { Writable } from 'node:stream';

/**
 * Bun's writes are cut into pieces of this size. Bun 1.4.5 takes time quadratic in the size of one
 * socket write: 4·10^8 bytes in one write to a Unix socket took 29.4 s where 4·10^7 took 0.27 s,
 * and the same 4·10^8 bytes written in 1 MiB pieces, each after the last drained, took 0.34 s
 * (Bun alone, both sides, measured 2026-12-06). Node and Deno hand libuv (or tokio) one write and
 * let it resume where the kernel stopped, with no copy: they keep the single write.
 */
const BUN_WRITE_PIECE_BYTES = 1 << 20;

/**
 * Write `chunks` in order under Bun (wire.ts's writeFrame), each cut into pieces, each piece written
 * once the one before has drained; resolves when the stream has handed the last byte to the kernel.
 */
export async function writeInPieces(stream: Writable, chunks: readonly Uint8Array[]): Promise<void> {
  let failure: Error | null = null;
  const onError = (error: Error) => {
    failure = error;
  };
  stream.on('error', onError);
  try {
    const pieces = chunks.flatMap((chunk) => piecesOf(chunk));
    for (const piece of pieces) {
      if (failure) throw failure;
      if (!stream.write(piece)) await drainedOrFailed(stream);
    }
    // The last byte was handed to the kernel once an empty write's callback runs after it.
    await new Promise<void>((resolve, reject) => stream.write(Buffer.alloc(0), (error) => (error ? reject(error) : resolve())));
    if (failure) throw failure;
  } finally {
    stream.off('error', onError);
  }
}

/** A chunk as views of at most BUN_WRITE_PIECE_BYTES bytes each (no copy). */
function piecesOf(chunk: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < chunk.byteLength; offset += BUN_WRITE_PIECE_BYTES)
    pieces.push(chunk.subarray(offset, Math.min(chunk.byteLength, offset + BUN_WRITE_PIECE_BYTES)));
  return pieces;
}

/** Resolves on 'drain'; rejects when the stream fails or closes first. */
function drainedOrFailed(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', onFail);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onFail = (error: Error) => done(error);
    const onClose = () => done(new Error('the stream closed before the frame was written'));
    stream.once('drain', onDrain);
    stream.once('error', onFail);
    stream.once('close', onClose);
  });
}
