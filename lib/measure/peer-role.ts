import { codecOfSpec } from '../model/catalog';
import type { Fault, Role, TransferSpec } from '../model/types';
import { nowNs, secondsBetween } from './clock';
import { serializerOf } from './codecs/index';
import type { PeerInfo, PeerResult } from './control';
import { MessageVerifyError, runMessageReceiver, runMessageSender } from './messages/patterns';
import { buildPayload, verifyPayload } from './payload';
import type { Link } from './peer-link';
import type { PeerContext, TransferDirs, Transport } from './transport';
import { loadTransport } from './transports/index';

/**
 * One role of a transfer as a peer plays it (see peer.ts, which starts it): build the payload
 * (sender), run the transport's side, verify (receiver), report to the runner over the link, and
 * leave when the runner says stop.
 */

/** What the runner passes to a peer (as argv JSON, or workerData for threads). */
export interface PeerConfig extends TransferDirs {
  spec: TransferSpec;
  role: Role | 'host';
  fault: Fault;
  heapLimitMb: number;
  prepared: PeerInfo;
}

/** What a peer waits for before it exits: a forking sender, for its receiver's exit status to be told. */
let settledBeforeExit: Promise<unknown> = Promise.resolve();

/** Make every exit of a role wait for `settled` first (peer.ts: a forking sender, for its receiver's exit status). */
export function settleBeforeExit(settled: Promise<unknown>): void {
  settledBeforeExit = settled;
}

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Run one role of a transfer over a link, until the runner says stop. */
export async function runRole(config: PeerConfig, link: Link, extras: Partial<PeerContext> = {}): Promise<void> {
  const role = config.role as Role;
  const transport = loadTransport(config.spec.transport);
  let phase = 'ready';
  let stopping = false;
  let peersInfo: ((info: PeerInfo) => void) | null = null;
  let go: (() => void) | null = null;
  let reported = false;
  let stopped: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (stopped = resolve));

  link.onMessage((message) => {
    if (message.type === 'peers' && peersInfo) peersInfo(message.info);
    else if (message.type === 'go' && go) go();
    else if (message.type === 'stop') {
      stopping = true;
      stopped();
      // A peer stopped before it reported is being torn down: it has nothing left to do.
      if (!reported && role !== 'broker') exit(1);
    }
  });

  // In a worker thread process.exit ends only that thread, so this is right for both kinds of peer.
  const exit = (code: number) => void Promise.all([link.close(), settledBeforeExit]).finally(() => process.exit(code));

  const ctx: PeerContext = {
    spec: config.spec,
    role,
    tmpDir: config.tmpDir,
    shmDir: config.shmDir,
    prepared: config.prepared,
    fault: config.fault,
    shared: undefined,
    ...extras,
    ready(info: PeerInfo = {}) {
      return new Promise<PeerInfo>((resolve) => {
        peersInfo = resolve;
        link.send({ type: 'ready', role, info, pid: process.pid });
      });
    },
    armed() {
      phase = 'transfer';
      return new Promise<void>((resolve) => {
        go = resolve;
        link.send({ type: 'armed', role });
      });
    },
    async start(info?: PeerInfo) {
      const all = await ctx.ready(info);
      await ctx.armed();
      return all;
    },
    stopping: () => stopping,
  };

  try {
    let result: PeerResult;
    // Out of the timed region: a codec that loads a library (msgpackr) does it now, not in its first encode.
    serializerOf(codecOfSpec(config.spec))?.prepare?.();
    if (role !== 'broker' && (config.spec.pattern ?? 'transfer') !== 'transfer') {
      if (role === 'sender' && config.fault === 'sender-never-ready') await new Promise(() => setInterval(() => undefined, 1 << 30));
      result = await runMessageRole(transport, ctx, role, config.fault, (now) => (phase = now));
    } else if (role === 'sender') {
      if (config.fault === 'sender-never-ready') await new Promise(() => setInterval(() => undefined, 1 << 30));
      phase = 'build';
      const buildStartNs = nowNs();
      const into = config.spec.payload === 'int32' ? transport.allocate?.(ctx, config.spec.sizeElements) : undefined;
      const data = buildPayload(config.spec.payload, config.spec.sizeElements, into);
      const buildSeconds = secondsBetween(buildStartNs, nowNs());
      if (config.fault === 'corrupt' && data.length > 0) data[data.length >> 1] = -1;
      phase = 'ready';
      const report = await transport.sender(ctx, data);
      result = {
        role,
        buildSeconds,
        startNs: report.startNs.toString(),
        encodeSeconds: report.encodeSeconds,
        sendSeconds: report.sendSeconds,
        bytes: report.bytes,
        memory: report.memory ?? 'n/a',
        copies: report.copies,
        peakRssBytes: peakRssBytes(),
      };
    } else if (role === 'receiver') {
      const report = await transport.receiver(ctx);
      if (config.fault === 'receiver-hangs') await new Promise(() => setInterval(() => undefined, 1 << 30));
      phase = 'verify';
      const verifyStartNs = nowNs();
      const verifyError = verifyPayload(report.data, config.spec.sizeElements);
      result = {
        role,
        heldNs: report.heldNs.toString(),
        recvSeconds: report.recvSeconds,
        decodeSeconds: report.decodeSeconds,
        verifySeconds: secondsBetween(verifyStartNs, nowNs()),
        verifyError,
        copies: report.copies,
        firstTouch: report.firstTouch,
        readWay: report.readWay,
        peakRssBytes: peakRssBytes(),
      };
    } else {
      if (!transport.broker) throw new Error(`transport ${transport.info.id} has no broker`);
      await transport.broker(ctx);
      await stopRequested;
      result = { role, peakRssBytes: peakRssBytes() };
    }
    reported = true;
    link.send({ type: 'result', result });
    await stopRequested;
    exit(0);
  } catch (error) {
    if (error instanceof MessageVerifyError) phase = 'verify';
    link.send({ type: 'failed', role, phase, error: (error as Error).message ?? String(error) });
    reported = true;
    await stopRequested;
    exit(1);
  }
}

/** One role of a message pattern: open the transport's message end, run the pattern, report. */
async function runMessageRole(
  transport: Transport,
  ctx: PeerContext,
  role: 'sender' | 'receiver',
  fault: Fault,
  enter: (phase: string) => void,
): Promise<PeerResult> {
  if (!transport.messages) throw new Error(`transport ${transport.info.id} carries no message patterns`);
  const end = await transport.messages(ctx);
  enter('transfer');
  if (role === 'sender') {
    const report = await runMessageSender(end, ctx.spec, fault);
    end.close();
    return {
      role,
      startNs: report.startNs.toString(),
      sendSeconds: report.loopSeconds,
      bytes: report.wireBytes,
      cpuSecondsPerMessage: report.cpuSecondsPerMessage,
      roundTrip: report.roundTrip,
      peakRssBytes: peakRssBytes(),
    };
  }
  const report = await runMessageReceiver(end, ctx.spec);
  if (fault === 'receiver-hangs') await new Promise(() => setInterval(() => undefined, 1 << 30));
  return {
    role,
    heldNs: report.heldNs.toString(),
    recvSeconds: report.loopSeconds,
    cpuSecondsPerMessage: report.cpuSecondsPerMessage,
    verifyError: null,
    readWay: end.readWay,
    peakRssBytes: peakRssBytes(),
  };
}
