import * as v8 from 'node:v8';
import { nowNs, secondsBetween } from '../../clock';
import { frameReader } from '../../direct-read';
import { readableFd, writableFd } from '../../fd-streams';
import type { Transport } from '../../transport';
import { writeFrame } from '../../wire';

/**
 * A test double, not a transport: it runs through the real runner and peer framework, but its
 * phases take fixed, known durations (busy waits, read from IPC_LAB_FAKE in the environment), so
 * tests can check that every timing column lands where it should, and that failures thrown in a
 * peer become the right records. Not in the catalog: the CLI never offers it.
 */
interface FakeSettings {
  encodeMs?: number;
  sendMs?: number;
  recvMs?: number;
  decodeMs?: number;
  /** Throw in this role once the transfer has started. */
  throwIn?: 'sender' | 'receiver';
  /** Exit the process abruptly in this role once the transfer has started. */
  crashIn?: 'sender' | 'receiver';
}

function settings(): FakeSettings {
  return JSON.parse(process.env.IPC_LAB_FAKE ?? '{}') as FakeSettings;
}

function busyWait(ms = 0): void {
  const endNs = nowNs() + BigInt(Math.round(ms * 1e6));
  while (nowNs() < endNs) {
    /* spin: a fixed, known duration */
  }
}

function misbehave(role: 'sender' | 'receiver', s: FakeSettings): void {
  if (s.throwIn === role) throw new Error(`fake ${role} failure`);
  if (s.crashIn === role) process.exit(3);
}

export const fake: Transport = {
  info: {
    id: 'fake',
    runtime: 'node',
    articleMethod: null,
    peers: 'processes',
    mechanism: 'test double over a pipe',
    payloads: ['list', 'int32'],
    codecs: ['none'],
    dataConstraint: 'n/a',
    needsFlag: false,
    timing: 'fixed durations from IPC_LAB_FAKE',
  },
  topology: 'shell-pipe',

  async sender(ctx, data) {
    const s = settings();
    const out = writableFd(5);
    await ctx.start();
    const startNs = nowNs();
    misbehave('sender', s);
    const body = v8.serialize(data);
    busyWait(s.encodeMs);
    const sendStartNs = nowNs();
    await writeFrame(out, body);
    busyWait(s.sendMs);
    const endNs = nowNs();
    out.end();
    return {
      startNs,
      encodeSeconds: secondsBetween(startNs, sendStartNs),
      sendSeconds: secondsBetween(sendStartNs, endNs),
      bytes: body.byteLength,
    };
  },

  async receiver(ctx) {
    const s = settings();
    const reader = frameReader();
    reader.read(readableFd(5, reader.onread));
    await ctx.start();
    const frame = await reader.next();
    misbehave('receiver', s);
    busyWait(s.recvMs);
    const decodeStartNs = nowNs();
    const data = v8.deserialize(frame.body);
    busyWait(s.decodeMs);
    const heldNs = nowNs();
    return {
      data,
      heldNs,
      recvSeconds: secondsBetween(frame.firstByteNs, decodeStartNs),
      decodeSeconds: secondsBetween(decodeStartNs, heldNs),
    };
  },
};
