import { Packr } from 'msgpackr';
import type { PayloadKind } from '../../model/types';
import type { Payload } from '../payload';
import { type Codec, CodecError } from './codec';

/** msgpackr's own limit is a Buffer's: a list costs at most 5 bytes an element, an Int32Array 4. */
const MAX_BUFFER_BYTES = require('node:buffer').constants.MAX_LENGTH as number;

/**
 * `moreTypes` makes msgpackr write typed arrays as extensions that come back as the same typed
 * array (without it an Int32Array arrives as a Buffer); `useRecords: false` keeps plain MessagePack
 * (records only pay off for repeated object shapes, which these payloads do not have).
 */
const packr = new Packr({ moreTypes: true, useRecords: false });

/**
 * msgpackr — the MessagePack serializer Node users pick instead of JSON or v8 for speed: small
 * integers in one byte, a typed array as one block.
 */
export const msgpackrCodec: Codec = {
  id: 'msgpackr',
  description: 'msgpackr (MessagePack; typed arrays as one block)',
  limit(kind: PayloadKind, sizeElements: number) {
    const bytes = 16 + (kind === 'list' ? 5 : 4) * sizeElements;
    return bytes > MAX_BUFFER_BYTES
      ? `msgpackr codec: ${sizeElements} ${kind} elements may need ${bytes} bytes, beyond Node's largest Buffer (${MAX_BUFFER_BYTES} bytes)`
      : null;
  },
  encode: (data: Payload) => [packr.pack(data)],
  decode(body: Uint8Array, kind: PayloadKind): Payload {
    let value: unknown;
    try {
      value = packr.unpack(body);
    } catch (error) {
      throw new CodecError('msgpackr', `the body of ${body.byteLength} bytes does not unpack (${(error as Error).message})`);
    }
    if (kind === 'list' ? !Array.isArray(value) : !(value instanceof Int32Array)) {
      throw new CodecError('msgpackr', `the body does not hold the ${kind} payload that was sent`);
    }
    return value as Payload;
  },
};
