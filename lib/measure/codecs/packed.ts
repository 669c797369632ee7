import type { PayloadKind } from '../../model/types';
import type { Payload } from '../payload';
import { bufferLimit, type Codec, CodecError, type CodecId } from './codec';
import { RAW_HEADER_BYTES, RAW_KIND, rawElements, rawHeader } from './raw';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * packed — a plain list of integers sent as int32 bytes and rebuilt as a plain array: the sender
 * packs the list into an Int32Array (checking that every element is an int32, else it refuses in
 * one line), sends it as a raw frame, and the receiver pushes each element into a new array, so it
 * holds a real `number[]` as with v8 — without v8.deserialize's generic per-element path.
 */
export const packedCodec: Codec = {
  id: 'packed',
  description: 'a plain list of int32 values packed into int32 bytes, rebuilt as a plain array',
  limit: (kind: PayloadKind, sizeElements: number) =>
    kind === 'list'
      ? bufferLimit('packed', kind, sizeElements, RAW_HEADER_BYTES + 4 * sizeElements)
      : 'packed codec: packs plain lists; an Int32Array is already packed: use raw',
  bytesBound: (_kind: PayloadKind, sizeElements: number) => RAW_HEADER_BYTES + 4 * sizeElements,
  encode(data: Payload) {
    if (data instanceof Int32Array) throw new CodecError('packed', 'packs plain lists; an Int32Array is already packed: use raw');
    const packed = packList('packed', data);
    return [rawHeader(RAW_KIND.packedList, packed.length), new Uint8Array(packed.buffer)];
  },
  decode(body: Uint8Array) {
    const elements = rawElements('packed', body, RAW_KIND.packedList);
    return toPlainArray(elements);
  },
};

/**
 * The most elements toPlainArray asks of one `new Array(n)`: 2^24, under V8's 32 Mi-element limit
 * above which `new Array(n)` makes a slow dictionary-mode array instead of a fast one.
 */
const PIECE_ELEMENTS = 1 << 24;

/** Elements of the blank (all holes) array whose copies concat joins into the result's storage. */
const BLANK_ELEMENTS = 1 << 20;

/**
 * Whether `Array.prototype.concat` still copies fast arrays as fast arrays in this process. V8
 * keeps that fast path only while no object anywhere has a `Symbol.isConcatSpreadable` property;
 * apache-arrow gives its Vector, Table and RecordBatch prototypes one when it loads, and from then
 * on every concat builds a dictionary-mode array, element by element: measured here, 2^24
 * elements went from 0.1 s to 5.2 s, and at 10^8 V8 aborted the whole process ("invalid table
 * size"). The arrow codec calls `concatTurnedSlow` when it loads apache-arrow.
 */
let concatIsFast = true;

/** Say that something in this process set `Symbol.isConcatSpreadable` (see concatIsFast). */
export function concatTurnedSlow(): void {
  concatIsFast = false;
}

/** Whether concat is still fast in this thread (false once apache-arrow loaded in it). */
export const concatStillFast = (): boolean => concatIsFast;

/**
 * A plain array with the view's values, written once into storage of its final size. Up to 2^24
 * elements that storage is `new Array(n)`. Above, where `new Array(n)` would be slow, concat
 * makes it: copies of one blank 1 Mi-element array joined into one fast array of holes (a memory
 * copy), then filled in place. Half what it replaced (filled 2^24-element pieces joined by concat)
 * asks of the kernel, which gave every piece and then the joined array fresh pages: at 10^8,
 * 198k minor page faults against 391k, and 0.94–0.96 s against 1.88–1.90 s for the first decode
 * in a fresh process (both ways alternating in one script run, 2026-12-06); at 10^7 both are one
 * `new Array(n)`. Half of the old decode's time was the kernel's (sys 0.7 s of 1.6 s CPU). V8 marks
 * the result HOLEY_SMI_ELEMENTS, though no hole is left: a real number[] of small integers, read
 * at nearly the packed speed. Once concat is slow (apache-arrow loaded), the array grows by push
 * instead: 2.5 s at 10^8 against 1.7–1.9 s for the pieces' concat, and still a fast array.
 */
export function toPlainArray(elements: Int32Array): number[] {
  const length = elements.length;
  let out: number[];
  if (length <= PIECE_ELEMENTS) out = new Array(length);
  else if (!concatIsFast) return grownArray(elements);
  else out = blankArray(length);
  for (let i = 0; i < length; i++) out[i] = elements[i];
  return out;
}

/** A fast array of `length` holes (length > BLANK_ELEMENTS): one blank array's copies, joined by concat. */
function blankArray(length: number): number[] {
  const blank: number[] = new Array(BLANK_ELEMENTS);
  const copies = Math.floor(length / BLANK_ELEMENTS);
  const rest: number[][] = new Array(copies - 1).fill(blank);
  if (length > copies * BLANK_ELEMENTS) rest.push(new Array(length - copies * BLANK_ELEMENTS));
  return blank.concat(...rest);
}

/** The values in one array: its first piece sized at once, the rest pushed (V8 grows its store in place). */
function grownArray(elements: Int32Array): number[] {
  const out: number[] = new Array(PIECE_ELEMENTS);
  for (let i = 0; i < PIECE_ELEMENTS; i++) out[i] = elements[i];
  for (let i = PIECE_ELEMENTS; i < elements.length; i++) out.push(elements[i]);
  return out;
}

/** A plain list as an Int32Array in one pass, refusing in one line (naming `codec`) an element that is not an int32. */
export function packList(codec: CodecId, list: readonly number[]): Int32Array {
  const packed = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
      throw new CodecError(codec, `element ${i} is ${String(value)}, not an int32: use v8 or msgpackr for this list`);
    }
    packed[i] = value;
  }
  return packed;
}
