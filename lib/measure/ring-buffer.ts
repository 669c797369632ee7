/**
 * A single-producer, single-consumer ring of variable-length records in shared memory: the data
 * structure of the `ring` and `ring-thread` transports (transports/ring.ts), kept pure so that it
 * can be tested in one thread over a plain ArrayBuffer. It only reads and writes its views; how a
 * peer waits for the other (Atomics.wait between threads, polling between processes) is the
 * transport's business.
 *
 * Layout of one ring: a 128-byte header, then `capacityBytes` of data (a power of two).
 *   header word 0  (bytes 0–3)    head: bytes the reader has released, free-running uint32
 *   header word 16 (bytes 64–67)  tail: bytes the writer has published, free-running uint32
 *   header word 17 (bytes 68–71)  closed: 1 once the writer said nothing more will come
 * Head and tail sit on separate 64-byte cache lines, so the reader's and the writer's stores do not
 * fight over one line. Each index is written by one side only. The counters wrap at 2^32; since the
 * capacity is a power of two below 2^31, `(tail − head) mod 2^32` is the bytes in use and
 * `counter mod capacity` the position, with no ambiguity between full and empty.
 *
 * A record is a uint32 little-endian body length, then the body, padded to a multiple of 4 bytes so
 * that every length prefix is aligned and never split; a body may wrap from the end of the data to
 * its start. Order: the writer copies the bytes, then publishes the tail with Atomics.store; the
 * reader loads the tail with Atomics.load before it reads the bytes, copies them out, then
 * releases them by storing the head. Atomics are sequentially consistent, so a published index
 * is never seen before the bytes it covers (release/acquire order, and more).
 */

/** Bytes of a ring's header. */
export const RING_HEADER_BYTES = 128;
/** Header word the reader stores: bytes released. A writer waiting for room waits on it. */
export const RING_HEAD_INDEX = 0;
/** Header word the writer stores: bytes published. A reader waiting for a record waits on it. */
export const RING_TAIL_INDEX = 16;
const CLOSED_INDEX = 17;
const PREFIX_BYTES = 4;

/** The smallest data area a ring gets: 1 MiB. */
export const MIN_RING_CAPACITY_BYTES = 2 ** 20;
/** The largest: 64 MiB (two rings, one per direction, then take 128 MiB of /dev/shm or memory). */
export const MAX_RING_CAPACITY_BYTES = 2 ** 26;

/** The bytes a record of `bodyBytes` takes in a ring: the length prefix, the body, the padding to 4. */
export function recordBytes(bodyBytes: number): number {
  return Math.ceil((PREFIX_BYTES + bodyBytes) / 4) * 4;
}

/**
 * The data capacity for records of at most `largestBodyBytes`: the power of two at or above both
 * 1 MiB and four such records (so a sender can be a few messages ahead), at most 64 MiB. A larger
 * record may then not fit: check with `recordBytes(body) <= capacity` (a `limits` record).
 */
export function ringCapacityFor(largestBodyBytes: number): number {
  const wanted = Math.max(MIN_RING_CAPACITY_BYTES, 4 * recordBytes(largestBodyBytes));
  return Math.min(MAX_RING_CAPACITY_BYTES, 2 ** Math.ceil(Math.log2(wanted)));
}

/** Bytes of one ring (header and data) of `capacityBytes`. */
export function ringRegionBytes(capacityBytes: number): number {
  return RING_HEADER_BYTES + capacityBytes;
}

/** One ring over `buffer` from `byteOffset` (a multiple of 4): its header, then `capacityBytes` of data. */
export function ringAt(buffer: ArrayBufferLike, byteOffset: number, capacityBytes: number): Ring {
  return new Ring(
    new Int32Array(buffer, byteOffset, RING_HEADER_BYTES / 4),
    new Uint8Array(buffer, byteOffset + RING_HEADER_BYTES, capacityBytes),
  );
}

/** A ring over two views of one shared buffer. One peer writes it, the other reads it. */
export class Ring {
  readonly capacityBytes: number;
  private readonly mask: number;
  private readonly lengths: DataView;

  /**
   * `header`: at least RING_HEADER_BYTES / 4 words, zero in a new ring. `data`: the record area, a
   * power of two of at least 8 bytes and below 2^31, starting at a multiple of 4.
   */
  constructor(
    readonly header: Int32Array,
    readonly data: Uint8Array,
  ) {
    const capacity = data.byteLength;
    if (capacity < 8 || capacity >= 2 ** 31 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`a ring's data area is a power of two from 8 bytes to 1 GiB, not ${capacity} bytes`);
    }
    if (header.length < RING_HEADER_BYTES / 4)
      throw new RangeError(`a ring's header is ${RING_HEADER_BYTES / 4} words, not ${header.length}`);
    if (data.byteOffset % 4 !== 0) throw new RangeError(`a ring's data area starts at a multiple of 4, not at byte ${data.byteOffset}`);
    this.capacityBytes = capacity;
    this.mask = capacity - 1;
    this.lengths = new DataView(data.buffer, data.byteOffset, capacity);
  }

  /** The tail as last published (a waiting reader compares against it). */
  published(): number {
    return Atomics.load(this.header, RING_TAIL_INDEX);
  }

  /** The head as last released (a writer waiting for room compares against it). */
  released(): number {
    return Atomics.load(this.header, RING_HEAD_INDEX);
  }

  /** Bytes of records written and not yet released. */
  usedBytes(): number {
    return (this.published() - this.released()) >>> 0;
  }

  /** True once the writer closed the ring; records published before that can still be read. */
  get closed(): boolean {
    return Atomics.load(this.header, CLOSED_INDEX) === 1;
  }

  /** The writer's last word: no more records (the reader drains what is there, then sees it closed). */
  close(): void {
    Atomics.store(this.header, CLOSED_INDEX, 1);
  }

  /**
   * Write one record whose body is `chunks` in order (what a codec encodes). Returns false, with
   * nothing written, when the ring has not room for it now; throws when it never could.
   */
  tryWrite(chunks: readonly Uint8Array[]): boolean {
    let bodyBytes = 0;
    for (const chunk of chunks) bodyBytes += chunk.byteLength;
    const need = recordBytes(bodyBytes);
    if (need > this.capacityBytes) {
      throw new RangeError(`a record of ${bodyBytes} bytes (${need} in the ring) does not fit a ring of ${this.capacityBytes} bytes`);
    }
    const tail = Atomics.load(this.header, RING_TAIL_INDEX);
    const head = Atomics.load(this.header, RING_HEAD_INDEX);
    if (this.capacityBytes - ((tail - head) >>> 0) < need) return false;
    const at = tail & this.mask;
    this.lengths.setUint32(at, bodyBytes, true);
    let position = (at + PREFIX_BYTES) & this.mask;
    for (const chunk of chunks) {
      this.copyIn(chunk, position);
      position = (position + chunk.byteLength) & this.mask;
    }
    // Publish only after every byte is in place: the reader trusts what the tail covers.
    Atomics.store(this.header, RING_TAIL_INDEX, (tail + need) | 0);
    return true;
  }

  /**
   * The next record's body, copied out of the ring into memory of its own (from `allocate`, a fresh
   * Uint8Array unless said), its space released to the writer; null when the ring is empty.
   * Throws when a length prefix is impossible (the memory was overwritten by someone else).
   */
  tryRead(allocate: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes)): Uint8Array | null {
    const head = Atomics.load(this.header, RING_HEAD_INDEX);
    const tail = Atomics.load(this.header, RING_TAIL_INDEX);
    if (head === tail) return null;
    const at = head & this.mask;
    const bodyBytes = this.lengths.getUint32(at, true);
    const need = recordBytes(bodyBytes);
    const used = (tail - head) >>> 0;
    if (need > used) throw new Error(`the ring is corrupt: a record announces ${bodyBytes} bytes but only ${used} are published`);
    const body = allocate(bodyBytes);
    const from = (at + PREFIX_BYTES) & this.mask;
    const first = Math.min(bodyBytes, this.capacityBytes - from);
    body.set(this.data.subarray(from, from + first), 0);
    if (first < bodyBytes) body.set(this.data.subarray(0, bodyBytes - first), first);
    // Release only after the copy: until then the writer must not reuse these bytes.
    Atomics.store(this.header, RING_HEAD_INDEX, (head + need) | 0);
    return body;
  }

  private copyIn(chunk: Uint8Array, position: number): void {
    const first = Math.min(chunk.byteLength, this.capacityBytes - position);
    this.data.set(first === chunk.byteLength ? chunk : chunk.subarray(0, first), position);
    if (first < chunk.byteLength) this.data.set(chunk.subarray(first), 0);
  }
}
