import type { Packr } from 'msgpackr';
import type { PayloadKind } from '../../model/types';
import { bufferLimit, type Carried, type Codec, CodecError, checkDecoded } from './codec';

/**
 * `moreTypes` makes msgpackr write typed arrays as extensions that come back as the same typed
 * array (without it an Int32Array arrives as a Buffer); `useRecords: false` keeps plain MessagePack
 * (records only pay off for repeated object shapes, which these payloads do not have).
 * Loaded on first use, in the peers: the notebooks' kernel (tslab) imports this module through the
 * runner without encoding anything, and its module loader overflows its stack on msgpackr's.
 */
let packrInstance: Packr | undefined;
function packr(): Packr {
  if (!packrInstance) {
    const { Packr: PackrClass } = require('msgpackr') as typeof import('msgpackr');
    packrInstance = new PackrClass({ moreTypes: true, useRecords: false });
  }
  return packrInstance;
}

/**
 * msgpackr — the MessagePack serializer Node users pick instead of JSON or v8 for speed: small
 * integers in one byte, a typed array as one block.
 */
export const msgpackrCodec: Codec = {
  id: 'msgpackr',
  description: 'msgpackr (MessagePack; typed arrays as one block)',
  limit: (kind: PayloadKind, sizeElements: number) =>
    bufferLimit('msgpackr', kind, sizeElements, 16 + (kind === 'list' ? 5 : 4) * sizeElements),
  bytesBound: (kind: PayloadKind, sizeElements: number) => 16 + (kind === 'list' ? 5 : 4) * sizeElements,
  prepare: () => void packr(),
  encode: (data: Carried) => [packr().pack(data)],
  decode(body: Uint8Array, kind: PayloadKind): Carried {
    let value: unknown;
    try {
      value = packr().unpack(body);
    } catch (error) {
      throw new CodecError('msgpackr', `the body of ${body.byteLength} bytes does not unpack (${(error as Error).message})`);
    }
    return checkDecoded('msgpackr', value, kind);
  },
};
