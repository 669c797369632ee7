import * as v8 from 'node:v8';
import type { PayloadKind } from '../../model/types';
import { serializedBytesBound } from '../payload';
import { type Carried, type Codec, CodecError, checkDecoded } from './codec';

/** A Node Buffer holds at most buffer.constants.MAX_LENGTH bytes (2^32 on Node 20). */
const MAX_BUFFER_BYTES = require('node:buffer').constants.MAX_LENGTH as number;

/**
 * The bytes v8.serialize writes before an Int32Array's byte-length varint: the format's header
 * (0xFF, version), the host-object tag and Node's index of the view type (lib/v8.js's
 * DefaultSerializer._writeHostObject) — the serialized empty array less its one-byte varint of 0.
 */
const INT32_PREFIX_BYTES = v8.serialize(new Int32Array(0)).length - 1;

/** The bytes of `value` as the unsigned varint (7 bits a byte) v8's writeUint32 writes. */
export function varintBytes(value: number): number {
  let bytes = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) bytes++;
  return bytes;
}

/**
 * Where the elements start in a serialized Int32Array of `bodyBytes` bytes, or null when no
 * Int32Array serializes to that length: the prefix, then the byte length as a varint, whose own
 * length depends on the byte length (8 bytes up to 2^28 − 1, 9 from 2^28: 10^8 int32 is 9).
 */
export function int32DataOffset(bodyBytes: number, prefixBytes = INT32_PREFIX_BYTES): number | null {
  for (let lengthBytes = 1; lengthBytes <= 5; lengthBytes++) {
    const offset = prefixBytes + lengthBytes;
    if (bodyBytes >= offset && varintBytes(bodyBytes - offset) === lengthBytes) return offset;
  }
  return null;
}

/**
 * v8 — `v8.serialize`/`v8.deserialize`, Node's pickle: the structured-clone wire format, one new
 * buffer at each end. The article's analog wherever the article pickles.
 */
export const v8Codec: Codec = {
  id: 'v8',
  description: "v8.serialize / v8.deserialize (Node's pickle, structured-clone format)",
  limit(kind: PayloadKind, sizeElements: number) {
    const bytes = serializedBytesBound(kind, sizeElements);
    return bytes > MAX_BUFFER_BYTES
      ? `v8.serialize of ${sizeElements} ${kind} elements may need ${bytes} bytes, beyond Node's largest Buffer (${MAX_BUFFER_BYTES} bytes, 4 GiB)`
      : null;
  },
  bytesBound: serializedBytesBound,
  encode: (data: Carried) => [v8.serialize(data)],
  /**
   * Node's DefaultDeserializer (lib/v8.js, _readHostObject) returns an Int32Array as a view of the
   * body only when the elements' address in the body's ArrayBuffer is a multiple of 4; otherwise
   * it copies them into a new buffer (0.24 s at 10^8, where 10^7's 8-byte prefix gives a view for
   * free). The lead moves the body so that the elements land on a multiple of 4.
   */
  bodyLead(kind: PayloadKind, bodyBytes: number): number {
    const offset = kind === 'int32' ? int32DataOffset(bodyBytes) : null;
    return offset === null ? 0 : (4 - (offset % 4)) % 4;
  },
  decode(body: Uint8Array, kind: PayloadKind): Carried {
    let value: unknown;
    try {
      value = v8.deserialize(body);
    } catch (error) {
      throw new CodecError('v8', `the body of ${body.byteLength} bytes does not deserialize (${(error as Error).message})`);
    }
    return checkDecoded('v8', value, kind);
  },
};
