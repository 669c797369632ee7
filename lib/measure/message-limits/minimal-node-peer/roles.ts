import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Config } from './args';
import { makeMessages } from './content';
import { type Link, windowFor } from './links';

/**
 * The two roles over a link: the client or sender (drive) and the server or receiver (serve),
 * each timing its side and measuring its CPU; and the one JSON line that reports both.
 */

// A rate receiver's control values, negative so that a port's credits (positive counts) are told apart.
const ACK_WARM = -1;
const ACK_LAST = -2;

/** What one role measured. */
export interface Outcome {
  cpuNs: number;
  samplesNs?: number[];
  firstSendNs?: number;
  lastHeldNs?: number;
}

const nowNs = (): number => Number(process.hrtime.bigint());
/** A process's CPU (all its threads); in a worker, the thread's own from the kernel's schedstat. */
function cpuNs(): number {
  if (parentPort) return Number(fs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]);
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/** How many messages a rate sender sends before it lets the event loop turn. */
const TURN = 1024;

/** Client (roundtrip) or sender (rate). */
export function drive(cfg: Config, link: Link): Promise<Outcome> {
  const { make, verify } = makeMessages(cfg);
  const total = cfg.warmup + cfg.messages;
  let cpuStart = cpuNs();
  return new Promise((resolve, reject) => {
    if (cfg.pattern === 'roundtrip') {
      const samplesNs = new Array<number>(cfg.messages);
      let seq = 0;
      let startNs = 0;
      const sendNext = () => {
        const message = make(seq);
        if (seq === cfg.warmup) cpuStart = cpuNs();
        startNs = nowNs();
        link.send(message);
      };
      link.onMessage = (reply) => {
        const heldNs = nowNs();
        if (seq >= cfg.warmup) samplesNs[seq - cfg.warmup] = heldNs - startNs;
        try {
          verify(reply, seq);
        } catch (error) {
          return reject(new Error(`reply: ${(error as Error).message}`));
        }
        if (++seq < total) return sendNext();
        resolve({ cpuNs: cpuNs() - cpuStart, samplesNs });
      };
      return sendNext();
    }
    let seq = 0;
    let firstSendNs = 0;
    // A channel that keeps accepting (IPC's writes succeed at once while the peer keeps up, and
    // report a dead peer only on a later tick) must not hold the loop: yield every TURN messages.
    const pump = (until: number): void => {
      const turnEnd = Math.min(until, seq + TURN);
      while (seq < turnEnd) {
        const message = make(seq);
        if (seq === cfg.warmup) firstSendNs = nowNs();
        seq++;
        if (!link.send(message)) {
          link.whenDrained(() => pump(until));
          return;
        }
      }
      if (seq < until) setImmediate(pump, until);
    };
    link.onControl = (value) => {
      if (value === ACK_WARM) {
        cpuStart = cpuNs();
        pump(total);
      } else if (value === ACK_LAST) resolve({ cpuNs: cpuNs() - cpuStart, firstSendNs });
      else reject(new Error(`the receiver sent control value ${value}`));
    };
    pump(cfg.warmup);
  });
}

/** Server (roundtrip) or receiver (rate). */
export function serve(cfg: Config, link: Link): Promise<Outcome> {
  const { verify } = makeMessages(cfg);
  const total = cfg.warmup + cfg.messages;
  const creditEvery = Math.ceil(windowFor(cfg.bytes) / 2);
  let cpuStart = cpuNs();
  let lastHeldNs = 0;
  let count = 0;
  return new Promise((resolve, reject) => {
    if (cfg.pattern === 'rate' && cfg.warmup === 0) link.sendControl(ACK_WARM);
    link.onMessage = (message) => {
      try {
        if (count === cfg.warmup) cpuStart = cpuNs();
        if (cfg.pattern === 'roundtrip') {
          link.send(message);
          verify(message, count);
        } else {
          if (count + 1 === total) lastHeldNs = nowNs();
          verify(message, count);
          if (cfg.channel === 'port' && (count + 1) % creditEvery === 0) link.sendControl(count + 1);
          if (count + 1 === cfg.warmup) link.sendControl(ACK_WARM);
        }
        if (++count < total) return;
        const outcome = { cpuNs: cpuNs() - cpuStart, lastHeldNs };
        if (cfg.pattern === 'rate') link.sendControl(ACK_LAST);
        resolve(outcome);
      } catch (error) {
        reject(error);
      }
    };
  });
}

/** Print the run's one JSON line (the fields of msg_baseline's, with "cpuMeasure") from both roles' outcomes. */
export function report(cfg: Config, sender: Outcome, receiver: Outcome): void {
  const { channel, pattern, bytes, messages, warmup } = cfg;
  const cpuMeasure = channel === 'port' ? 'thread' : 'process';
  const common = { source: 'node-minimal', channel, pattern, bytes, messages, warmup, cpuMeasure };
  const cpu = { senderCpuNs: sender.cpuNs, receiverCpuNs: receiver.cpuNs };
  const result =
    pattern === 'roundtrip'
      ? { ...common, ...cpu, samplesNs: sender.samplesNs }
      : { ...common, ...cpu, firstSendNs: sender.firstSendNs, lastHeldNs: receiver.lastHeldNs };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
