import * as v8 from 'node:v8';
import type { PayloadKind } from '../../model/types';
import { serializedBytesBound } from '../payload';
import { type Carried, type Codec, CodecError, checkDecoded } from './codec';

/** A Node Buffer holds at most buffer.constants.MAX_LENGTH bytes (2^32 on Node 20). */
const MAX_BUFFER_BYTES = require('node:buffer').constants.MAX_LENGTH as number;

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
