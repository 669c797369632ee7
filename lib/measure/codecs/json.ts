import type { PayloadKind } from '../../model/types';
import { type Carried, type Codec, CodecError, checkDecoded } from './codec';

/** V8's longest string, 2^29 − 24 characters: JSON.stringify of a longer text throws. */
export const V8_MAX_STRING_LENGTH = 2 ** 29 - 24;

/** Characters of the JSON text of [0, 1, …, n − 1]: every digit, the commas, the brackets. */
export function jsonListLength(sizeElements: number): number {
  let characters = 2 + Math.max(0, sizeElements - 1);
  for (let digits = 1, low = 0; low < sizeElements; digits++, low = 10 ** (digits - 1)) {
    const high = Math.min(sizeElements, 10 ** digits);
    characters += (high - low) * digits;
  }
  return characters;
}

/**
 * json — what most Node code sends: `JSON.stringify` to one string, UTF-8 bytes on the wire,
 * `JSON.parse` back. JSON has no typed arrays, so an Int32Array travels as a plain array and is
 * rebuilt with Int32Array.from (both counted in the codec's time).
 */
export const jsonCodec: Codec = {
  id: 'json',
  description: 'JSON.stringify / JSON.parse (an Int32Array travels as a plain array)',
  limit(kind: PayloadKind, sizeElements: number) {
    if (kind === 'bytes')
      return 'json codec: JSON has no bytes (a Buffer would arrive as {"type":"Buffer","data":[…]}): use v8, raw or msgpackr';
    if (kind === 'object') return null;
    const characters = jsonListLength(sizeElements);
    return characters > V8_MAX_STRING_LENGTH
      ? `json codec: ${sizeElements} ${kind} elements need a ${characters}-character string, beyond V8's limit of ${V8_MAX_STRING_LENGTH} (2^29 − 24): use v8, msgpackr, raw or packed`
      : null;
  },
  bytesBound: (_kind: PayloadKind, sizeElements: number) => jsonListLength(sizeElements),
  encode(data: Carried) {
    if (data instanceof Uint8Array) throw new CodecError('json', 'JSON has no bytes: use v8, raw or msgpackr');
    const numbers = Array.isArray(data) || data instanceof Int32Array;
    const text = JSON.stringify(data instanceof Int32Array ? Array.from(data) : data);
    // A list of integers is digits, commas and brackets: one byte a character. An object may hold any text.
    return [Buffer.from(text, numbers ? 'latin1' : 'utf8')];
  },
  decode(body: Uint8Array, kind: PayloadKind): Carried {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString(kind === 'object' ? 'utf8' : 'latin1'));
    } catch (error) {
      throw new CodecError('json', `the body of ${body.byteLength} bytes is not JSON (${(error as Error).message})`);
    }
    if (kind === 'object') return checkDecoded('json', value, kind);
    if (!Array.isArray(value)) throw new CodecError('json', `the body holds ${typeof value}, not an array`);
    return kind === 'int32' ? Int32Array.from(value as number[]) : (value as number[]);
  },
};
