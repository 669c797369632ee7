import { arrowCodec } from './arrow';
import type { Codec, CodecId } from './codec';
import { jsonCodec } from './json';
import { msgpackrCodec } from './msgpackr';
import { packedCodec } from './packed';
import { rawCodec } from './raw';
import { v8Codec } from './v8';

/** Every codec by id (imported statically: tslab compiles only what a program imports). */
export const CODECS: Readonly<Record<CodecId, Codec>> = {
  v8: v8Codec,
  json: jsonCodec,
  raw: rawCodec,
  msgpackr: msgpackrCodec,
  packed: packedCodec,
  arrow: arrowCodec,
};

/** The serializer a codec name stands for, or null for one without (clone, none, pickle). */
export function serializerOf(name: string): Codec | null {
  return Object.hasOwn(CODECS, name) ? CODECS[name as CodecId] : null;
}
