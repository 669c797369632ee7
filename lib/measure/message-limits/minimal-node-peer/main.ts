/**
 * The minimal Node ping-pong and stream: what Node itself costs for many messages, apart from
 * ipc-lab. One plain program on the bare Node API (its files import nothing but node:* and each
 * other), run as plain JavaScript: minimal-node.ts transpiles this folder into a private temp dir
 * and starts main.js with `node`.
 *
 *   node main.js --channel C --pattern roundtrip|rate --bytes B --messages N --warmup W --dir D
 *
 * Channels, each between two processes except `port`:
 *   pipe      two FIFOs (mkfifo in D), one each way, opened as net.Socket — real pipe(2) semantics
 *             (a child's stdio would be socketpairs)
 *   unix      a Unix stream socket at D/s          tcp   127.0.0.1, an ephemeral port, noDelay
 *   pipe-v8, unix-v8, tcp-v8
 *             the same stream, each message v8.serialize'd behind a 4-byte length and
 *             v8.deserialize'd at the other end: what a program that serializes pays
 *   port      a MessageChannel between two worker threads, postMessage of a Buffer (cloned)
 *   ipc       child_process.fork, serialization 'advanced', process.send of a Buffer
 *   ipc-json  child_process.fork, serialization 'json', process.send of ipc-lab's `object`
 *             message (JSON text of exactly B characters; needs B ≥ 64)
 * Byte messages carry ipc-lab's `bytes` content. A stream is read straight into memory the program
 * gives (net.Socket's onread: many messages per read into a reused window), as ipc-lab's are.
 *
 * The main process (or, for `port`, the first worker) is the client / sender; the peer process
 * (the second worker) the server / receiver. The same protocol as native/msg_baseline.c: a
 * roundtrip sample is reply held − send start; a rate receiver acknowledges the warm-ups (the
 * sender waits, so the stream starts on an empty channel) and the last message. Backpressure:
 * socket.write's false → 'drain'; process.send's false → wait until every queued send called back;
 * MessagePort has none, so the receiver grants credits (a window of up to 64 messages, ≤ 8 MiB).
 *
 * Prints one JSON object (the fields of msg_baseline's, with "cpuMeasure"); exit 1 with one line
 * on stderr for a run-time failure, 2 for bad arguments.
 */
import { parentPort } from 'node:worker_threads';
import { fail, parseArgs } from './args';
import { peerMain, processMain } from './processes';
import { portMain, workerMain } from './threads';

// The command line (args.ts), the message content (content.ts), one side's view of a channel
// (links.ts), how a stream is read (reads.ts), the two roles (roles.ts), and the channels between processes (processes.ts) or
// threads (threads.ts). This file is the entry point of all three kinds of run: the main process,
// the peer process and the worker threads are each started from it.
if (parentPort) workerMain();
else {
  let cfg: ReturnType<typeof parseArgs>;
  try {
    cfg = parseArgs(process.argv.slice(2));
  } catch (error) {
    fail(error);
  }
  if (cfg.role === 'peer')
    peerMain(cfg, cfg.address).catch((error) => fail(error, cfg.pattern === 'roundtrip' ? 'server: ' : 'receiver: '));
  else (cfg.channel === 'port' ? portMain(cfg, __filename) : processMain(cfg, __filename)).catch((error) => fail(error));
}
