import type { PayloadKind } from '../model/types';

/** What a sender sends: the article's plain list of integers, or the same integers in an Int32Array. */
export type Payload = number[] | Int32Array;

/**
 * The integers 0 … sizeElements − 1. The list is grown with push so V8 keeps it a packed array of
 * small integers (PACKED_SMI_ELEMENTS, 8 bytes an element), the cheapest plain array it has;
 * `new Array(n)` would start it holey and slower to read. `into`: an Int32Array of sizeElements
 * elements the integers are written to (memory a transport owns, see Transport.allocate).
 */
export function buildPayload(kind: PayloadKind, sizeElements: number, into?: Int32Array): Payload {
  if (kind === 'int32') {
    const values = into ?? new Int32Array(sizeElements);
    for (let i = 0; i < sizeElements; i++) values[i] = i;
    return values;
  }
  const values: number[] = [];
  for (let i = 0; i < sizeElements; i++) values.push(i);
  return values;
}

/** The payload as an Int32Array: the conversion a shared-memory transport times as `encode`. */
export function toInt32(payload: Payload): Int32Array {
  if (payload instanceof Int32Array) return payload;
  const packed = new Int32Array(payload.length);
  for (let i = 0; i < payload.length; i++) packed[i] = payload[i];
  return packed;
}

/** An indexable result: a plain array, any typed array. */
interface Indexable {
  readonly length: number;
  readonly [index: number]: number;
}

/**
 * Checks every element, not a sample: the payload is 0 … n − 1, so element i must be i. Returns
 * null when the data is intact, or a one-line reason naming the first bad element.
 */
export function verifyPayload(received: unknown, sizeElements: number): string | null {
  if (received === null || typeof received !== 'object' || typeof (received as Indexable).length !== 'number') {
    return `received ${describeValue(received)}, not an indexable array`;
  }
  const data = received as Indexable;
  if (data.length !== sizeElements) {
    return `received ${data.length} elements, expected ${sizeElements}`;
  }
  for (let i = 0; i < sizeElements; i++) {
    if (data[i] !== i) return `element ${i} is ${String(data[i])}, expected ${i}`;
  }
  return null;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object (${value.constructor?.name ?? 'no constructor'})` : typeof value;
}

/** Bytes the payload takes in a V8 heap: 8 per element for a packed SMI list, 4 for Int32Array. */
export function payloadHeapBytes(kind: PayloadKind, sizeElements: number): number {
  return (kind === 'list' ? 8 : 4) * sizeElements;
}

/** Bytes of v8.serialize output, an upper bound: a tag and up to a 5-byte varint per element. */
export function serializedBytesBound(kind: PayloadKind, sizeElements: number): number {
  return kind === 'list' ? 16 + 6 * sizeElements : 64 + 4 * sizeElements;
}
