import type { Fault, TransferSpec } from '../../model/types';
import { nowNs, secondsBetween } from '../clock';
import { cpuSecondsNow } from './cpu';
import { ackOf, countOfAck, type MessageEnd } from './endpoint';
import { newRoundTripHistogram, type RoundTripSummary, summarizeRoundTrips } from './histogram';
import { type Message, MessageMaker, warmupMessages } from './message';

/**
 * The two message patterns, over any transport's MessageEnd:
 * - round trip (ping-pong): the sender sends message i and waits for the receiver's answer, a
 *   message of the same size; each measured round trip goes into Node's HDR histogram. The
 *   sender builds a message before its clock starts and checks the answer after it stops; the
 *   receiver answers first and checks after (unless sending moves the message away).
 * - rate (a one-way stream): the sender sends messages back to back, waiting only when the
 *   channel says it is full (or, on a channel without backpressure, when the receiver has not yet
 *   granted more credit); the receiver checks each as it arrives and acknowledges the last one.
 * Both first exchange warm-up messages (not measured) and end the warm-up with an acknowledgement,
 * so the measured part starts with an empty channel.
 */

/** A message that arrived wrong: the peer reports it as a verification failure. */
export class MessageVerifyError extends Error {}

/** What the sender measured. Times are monotonic ns (bigint) or seconds. */
export interface MessageSenderReport {
  /** Just before the first measured send. */
  startNs: bigint;
  /** The measured loop, first send to the last answer (round trip) or to the last send returning (rate). */
  loopSeconds: number;
  cpuSecondsPerMessage: number;
  /** Round trip only. */
  roundTrip: RoundTripSummary | null;
  /** Bytes one message took on the channel, when the transport says. */
  wireBytes: number | null;
}

/** What the receiver measured. */
export interface MessageReceiverReport {
  /** When it held the last measured message. */
  heldNs: bigint;
  /** From holding the first measured message to holding the last. */
  loopSeconds: number;
  cpuSecondsPerMessage: number;
}

/** A run's shape, from its spec. */
interface Shape {
  maker: MessageMaker;
  warmup: number;
  measured: number;
  /** Credit window of a channel without backpressure, in messages. */
  window: number;
}

function shapeOf(spec: TransferSpec): Shape {
  const kind = spec.payload as 'bytes' | 'int32' | 'object';
  const messageBytes = Number(spec.messageBytes);
  // Up to 4 MiB (or 1024 messages) in flight: enough to keep both sides busy, bounded memory.
  const window = Math.min(1024, Math.max(8, Math.floor((4 * 2 ** 20) / messageBytes)));
  return { maker: new MessageMaker(kind, messageBytes), warmup: warmupMessages(spec.sizeElements), measured: spec.sizeElements, window };
}

/** The message number at which a fault strikes: halfway through the measured messages. */
function faultAt(shape: Shape): number {
  return shape.warmup + (shape.measured >> 1);
}

async function sent(end: MessageEnd, message: Message | ReturnType<typeof ackOf>): Promise<void> {
  const wait = end.send(message);
  if (wait) await wait;
}

function check(shape: Shape, value: unknown, seq: number, what: string): void {
  const wrong = shape.maker.verify(value, seq);
  if (wrong) throw new MessageVerifyError(`${what}: ${wrong}`);
}

/** A sender that closes its channel halfway (fault close-early) then waits: the other side must notice. */
async function closeHalfway(end: MessageEnd): Promise<never> {
  end.close();
  return new Promise(() => setInterval(() => undefined, 1 << 30));
}

/** The sender's side of a run: ping-pong or stream, by the spec's pattern. */
export async function runMessageSender(end: MessageEnd, spec: TransferSpec, fault: Fault): Promise<MessageSenderReport> {
  const shape = shapeOf(spec);
  return spec.pattern === 'rate' ? streamSender(end, shape, fault) : pingPongSender(end, shape, fault);
}

/** The receiver's side of a run. */
export async function runMessageReceiver(end: MessageEnd, spec: TransferSpec): Promise<MessageReceiverReport> {
  const shape = shapeOf(spec);
  return spec.pattern === 'rate' ? streamReceiver(end, shape) : pingPongReceiver(end, shape);
}

async function pingPongSender(end: MessageEnd, shape: Shape, fault: Fault): Promise<MessageSenderReport> {
  const { maker, warmup, measured } = shape;
  const histogram = newRoundTripHistogram();
  let wireBytes: number | null = null;
  let startNs = 0n;
  let cpuStart = 0;
  for (let seq = 0; seq < warmup + measured; seq++) {
    if (seq === warmup) {
      cpuStart = cpuSecondsNow();
      startNs = nowNs();
    }
    if (seq === faultAt(shape) && fault === 'close-early') await closeHalfway(end);
    const message = maker.make(seq, end.pooledMessages);
    if (seq === faultAt(shape) && fault === 'corrupt') maker.corrupt(message);
    if (seq === warmup) wireBytes = end.wireBytes?.(message) ?? null;
    const t0 = nowNs();
    const wait = end.send(message);
    if (wait) await wait;
    const answer = await end.receive();
    const t1 = nowNs();
    if (seq >= warmup) histogram.record(Number(t1 - t0));
    check(shape, answer, seq, 'the answer');
  }
  const endNs = nowNs();
  const cpuSeconds = cpuSecondsNow() - cpuStart;
  return {
    startNs,
    loopSeconds: secondsBetween(startNs, endNs),
    cpuSecondsPerMessage: cpuSeconds / measured,
    roundTrip: summarizeRoundTrips(histogram),
    wireBytes,
  };
}

async function pingPongReceiver(end: MessageEnd, shape: Shape): Promise<MessageReceiverReport> {
  const { warmup, measured } = shape;
  let firstNs = 0n;
  let heldNs = 0n;
  let cpuStart = 0;
  for (let seq = 0; seq < warmup + measured; seq++) {
    if (seq === warmup) cpuStart = cpuSecondsNow();
    const message = await end.receive();
    heldNs = nowNs();
    if (seq === warmup) firstNs = heldNs;
    if (end.movesMessages) check(shape, message, seq, 'the message');
    const wait = end.send(message as Message);
    if (wait) await wait;
    if (!end.movesMessages) check(shape, message, seq, 'the message');
  }
  return { heldNs, loopSeconds: secondsBetween(firstNs, heldNs), cpuSecondsPerMessage: (cpuSecondsNow() - cpuStart) / measured };
}

/** Wait for the receiver's acknowledgement of `count` messages (credits on the way count too). */
async function acknowledged(end: MessageEnd, count: number): Promise<number> {
  for (;;) {
    const got = countOfAck(await end.receive());
    if (got >= count) return got;
  }
}

async function streamSender(end: MessageEnd, shape: Shape, fault: Fault): Promise<MessageSenderReport> {
  const { maker, warmup, measured, window } = shape;
  const credit = end.flowControl === 'credit';
  let granted = credit ? window : Number.POSITIVE_INFINITY;
  // One message's encoded size, taken before the clock: the stream's measured loop only sends.
  const wireBytes = end.wireBytes?.(maker.make(warmup)) ?? null;
  const sendRange = async (from: number, to: number) => {
    for (let seq = from; seq < to; seq++) {
      while (seq >= granted) granted = countOfAck(await end.receive()) + window;
      if (seq === faultAt(shape) && fault === 'close-early') await closeHalfway(end);
      const message = maker.make(seq, end.pooledMessages);
      if (seq === faultAt(shape) && fault === 'corrupt') maker.corrupt(message);
      const wait = end.send(message);
      if (wait) await wait;
    }
  };
  await sendRange(0, warmup);
  const afterWarmup = await acknowledged(end, warmup);
  if (credit) granted = afterWarmup + window;
  const cpuStart = cpuSecondsNow();
  const startNs = nowNs();
  await sendRange(warmup, warmup + measured);
  const sentNs = nowNs();
  await acknowledged(end, warmup + measured);
  return {
    startNs,
    loopSeconds: secondsBetween(startNs, sentNs),
    cpuSecondsPerMessage: (cpuSecondsNow() - cpuStart) / measured,
    roundTrip: null,
    wireBytes,
  };
}

async function streamReceiver(end: MessageEnd, shape: Shape): Promise<MessageReceiverReport> {
  const { maker, warmup, measured, window } = shape;
  const credit = end.flowControl === 'credit';
  const kind = maker.kind;
  const every = Math.max(1, window >> 1);
  let firstNs = 0n;
  let heldNs = 0n;
  let cpuStart = 0;
  for (let seq = 0; seq < warmup + measured; seq++) {
    const message = await end.receive();
    heldNs = nowNs();
    if (seq === warmup) firstNs = heldNs;
    check(shape, message, seq, 'the message');
    const count = seq + 1;
    if (count === warmup) {
      await sent(end, ackOf(kind, count));
      cpuStart = cpuSecondsNow();
    } else if (count === warmup + measured) {
      await sent(end, ackOf(kind, count));
    } else if (credit && count % every === 0) {
      await sent(end, ackOf(kind, count));
    }
  }
  return { heldNs, loopSeconds: secondsBetween(firstNs, heldNs), cpuSecondsPerMessage: (cpuSecondsNow() - cpuStart) / measured };
}
