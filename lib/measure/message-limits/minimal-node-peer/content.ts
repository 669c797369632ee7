import type { Config } from './args';

/**
 * The messages' content, as ipc-lab's own messages carry it: `bytes` messages stamped with their
 * sequence number and a check word, or the `object` message as JSON text of an exact length;
 * made by the sender, verified by the receiver.
 */

function bytesTemplate(bytes: number): Buffer {
  const template = Buffer.alloc(bytes);
  for (let i = 8; i < bytes; i++) template[i] = (i * 31 + 7) & 0xff;
  return template;
}

/** A copy in an ArrayBuffer of its own (not cut from Node's pool). */
function ownCopy(template: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(template.length);
  template.copy(copy);
  return copy;
}

function stamp(message: Buffer, seq: number): Buffer {
  message.writeUInt32LE(seq, 0);
  message.writeUInt32LE(~seq >>> 0, 4);
  return message;
}

function verifyBytes(got: Uint8Array, template: Buffer, seq: number): void {
  const message = Buffer.isBuffer(got) ? got : Buffer.from(got.buffer, got.byteOffset, got.byteLength);
  if (message.length !== template.length) throw new Error(`message #${seq} arrived with ${message.length} bytes, not ${template.length}`);
  const s = message.readUInt32LE(0);
  const check = message.readUInt32LE(4);
  if (s !== seq || check !== ~seq >>> 0) throw new Error(`message #${seq} arrived with seq ${s} and check word ${check}`);
  if (message.compare(template, 8, template.length, 8, template.length) !== 0) throw new Error(`message #${seq} arrived with wrong bytes`);
}

/** ipc-lab's `object` message: compact JSON text of exactly `bytes` characters. */
function objectMessages(bytes: number) {
  const values = Array.from({ length: Math.min(16, Math.floor(bytes / 64)) }, (_, i) => i);
  const pads = new Map<number, string>();
  const padFor = (seq: number): string => {
    const length = bytes - JSON.stringify({ seq, kind: 'tick', values, pad: '' }).length;
    let pad = pads.get(length);
    if (pad === undefined) {
      pad = 'x'.repeat(length);
      pads.set(length, pad);
    }
    return pad;
  };
  return {
    make: (seq: number) => ({ seq, kind: 'tick', values, pad: padFor(seq) }),
    verify(got: unknown, seq: number): void {
      const m = got as { seq?: unknown; kind?: unknown; values?: unknown; pad?: unknown };
      const ok =
        m?.seq === seq &&
        m.kind === 'tick' &&
        Array.isArray(m.values) &&
        m.values.length === values.length &&
        m.values.every((v, i) => v === i) &&
        m.pad === padFor(seq);
      if (!ok) throw new Error(`message #${seq} arrived wrong: ${JSON.stringify(got).slice(0, 80)}`);
    },
  };
}

/** How one run makes message `seq` and checks one that arrived. */
export function makeMessages(cfg: Config) {
  if (cfg.channel === 'ipc-json') return objectMessages(cfg.bytes);
  const template = bytesTemplate(cfg.bytes);
  // A MessagePort clones a Buffer's whole ArrayBuffer, so its messages get one of their own rather
  // than a slice of Node's 8 KiB pool; the other channels send a Buffer's own bytes.
  const copy = cfg.channel === 'port' ? ownCopy : (t: Buffer) => Buffer.from(t);
  const reused = copy(template);
  // A stream builds message i fresh, as ipc-lab does (and a queued write keeps its Buffer until
  // written); a round trip's client reuses one Buffer, outside its timed send-to-answer.
  const fresh = cfg.pattern === 'rate';
  return {
    make: (seq: number) => stamp(fresh ? copy(template) : reused, seq),
    verify: (got: unknown, seq: number) => verifyBytes(got as Uint8Array, template, seq),
  };
}
