/**
 * The notebooks' sweep experiments, as data: each is one or more sweep configurations at each scale
 * (scales.ts). The message bench's are in message-experiments.ts, the floor bench's in
 * bench-experiments.ts; a notebook obtains any of them (experiments.ts), and `npm run notebooks`
 * measures the union of what the notebooks show once (notebook-run.ts).
 */
import { ARTICLE_METHOD_IDS } from '../model/catalog';
import { UsageError } from '../model/usage-error';
import type { SweepConfig } from './plan';
import { BIG_ROUNDS, type Scale } from './scales';

/** One sweep over node transports with both payloads, each transport with its analog codec. */
function node(transports: string[] | 'all', sizes: number[], repeats: number, warmups: number): SweepConfig {
  return { runtimes: ['node'], transports, payloads: ['list', 'int32'], sizes, repeats, warmups };
}

/**
 * Node transports with the list and their analog codec, then the Int32Array with the analog and
 * `raw` where the transport takes it (the typed array's bytes, no serializer copy): the article's
 * analogs and what a performance-minded program would do, side by side.
 */
function nodeWithRaw(
  transports: string[] | 'all',
  sizes: number[],
  repeats: number,
  warmups: number,
  order?: SweepConfig['order'],
): SweepConfig[] {
  const base = { runtimes: ['node' as const], transports, sizes, repeats, warmups, order };
  return [
    { ...base, payloads: ['list'], codecs: 'analog' },
    { ...base, payloads: ['int32'], codecs: ['analog', 'raw'] },
  ];
}

/**
 * An article-method notebook: its transports at 10^8 as the article ran them (and with raw bytes
 * for the Int32Array) — three interleaved rounds rather than the article's one, so the medians
 * it compares come with their spread and from the same minutes.
 */
function method(transports: string[]): Record<Scale, SweepConfig[]> {
  return {
    article: nodeWithRaw(transports, [1e8], 3, 0, 'interleaved'),
    quick: nodeWithRaw(transports, [1e7], 1, 0),
    smoke: nodeWithRaw(transports, [1e4], 1, 0),
  };
}

/** The JavaScript runtimes and CPython, side by side in the runtimes notebook. */
const EVERY_RUNTIME: SweepConfig['runtimes'] = ['node', 'bun', 'deno', 'cpython'];

/** The message transports the runtimes notebook compares (CPython runs its pipe, queue and manager). */
export const RUNTIME_MESSAGE_TRANSPORTS: readonly string[] = ['pipe', 'unix', 'tcp', 'queue', 'ipc', 'manager', 'ring'];

/**
 * The runtimes notebook: the article's seven methods in every runtime, the list and the Int32Array
 * with each method's analog codec (CPython sends its list), interleaved so that runtimes compare
 * the same minutes; then both message patterns over the message transports; then the largest sizes.
 */
function runtimes(
  transferSizes: number[],
  bigSizes: number[],
  rounds: number,
  messageRounds: number,
  messageSizes: number[],
  transports = { transfers: [...ARTICLE_METHOD_IDS], messages: [...RUNTIME_MESSAGE_TRANSPORTS] },
): SweepConfig[] {
  const transfers = (sizes: number[], repeats: number): SweepConfig => ({
    runtimes: EVERY_RUNTIME,
    transports: transports.transfers,
    payloads: ['list', 'int32'],
    sizes,
    repeats,
    warmups: 0,
    order: 'interleaved',
  });
  const messages: SweepConfig = {
    runtimes: EVERY_RUNTIME,
    transports: transports.messages,
    payloads: ['bytes'],
    patterns: ['roundtrip', 'rate'],
    messageSizes,
    sizes: [1],
    repeats: messageRounds,
    warmups: 0,
    order: 'interleaved',
  };
  // The long 10^8 round last: what comes before is saved by then.
  return [transfers(transferSizes, rounds), messages, ...(bigSizes.length > 0 ? [transfers(bigSizes, BIG_ROUNDS)] : [])];
}

/**
 * The zero-copy notebook: copies (RawArray, byte channels) against hand-overs (a sealed memfd, a
 * named region) at every size in Node, Bun and Deno, across languages (Node and CPython both ways,
 * raw bytes, Arrow and hand-overs), and CPython's own SharedMemory beside its RawArray — each group
 * interleaved, so that every ratio the notebook shows compares the same minutes.
 */
function zeroCopy(sizes: number[], fewSizes: number[], rounds: number): SweepConfig[] {
  const common = { repeats: rounds, warmups: 0, order: 'interleaved' as const };
  const copyOrHand = ['handoff', 'handoff-name', 'raw-array'];
  return [
    {
      ...common,
      runtimes: ['node', 'node:cpython', 'cpython:node'],
      transports: [...copyOrHand, 'unix', 'pipe'],
      payloads: ['int32'],
      codecs: ['none', 'raw', 'arrow'],
      sizes,
    },
    { ...common, runtimes: ['node'], transports: ['unix'], payloads: ['int32'], codecs: ['v8'], sizes: fewSizes },
    // Between two threads the hand-over is a transfer list: the ArrayBuffer moves, nothing is copied.
    { ...common, runtimes: ['node'], transports: ['transfer'], payloads: ['int32'], sizes },
    { ...common, runtimes: ['cpython'], transports: ['shared-memory', 'raw-array'], payloads: ['list'], sizes },
    {
      ...common,
      runtimes: ['bun', 'deno'],
      transports: [...copyOrHand, 'unix'],
      payloads: ['int32'],
      codecs: ['none', 'raw'],
      sizes: fewSizes,
    },
    {
      ...common,
      runtimes: ['bun:cpython', 'cpython:bun', 'deno:cpython', 'cpython:deno'],
      transports: ['handoff', 'unix'],
      payloads: ['int32'],
      codecs: ['none', 'raw'],
      sizes: fewSizes,
    },
  ];
}

export interface ExperimentDef {
  name: string;
  title: string;
  configs: Record<Scale, SweepConfig[]>;
}

export const NOTEBOOK_EXPERIMENTS: readonly ExperimentDef[] = [
  {
    name: 'pipe-size-sweep',
    title: "The article's Pipe size sweep, in Node",
    configs: {
      // Repeats where a transfer takes under a few seconds; at 10^8 three rounds, where the article sent once.
      article: [node(['pipe'], [10, 1e5, 1e6, 1e7], 3, 1), node(['pipe'], [1e8], BIG_ROUNDS, 0)],
      quick: [node(['pipe'], [10, 1e5, 1e6, 1e7], 1, 0)],
      smoke: [node(['pipe'], [10, 1e3, 1e4], 2, 0)],
    },
  },
  { name: 'method-queue', title: 'Queue: MessagePort between worker threads (and transfer lists)', configs: method(['queue', 'transfer']) },
  { name: 'method-pipe', title: 'Pipe: an anonymous OS pipe (and the fork IPC channel)', configs: method(['pipe', 'ipc', 'ipc-json']) },
  {
    name: 'method-shared-array',
    title: 'Shared memory (Array): element by element under a lock',
    configs: method(['shared-array', 'shared-array-thread']),
  },
  { name: 'method-manager', title: 'Manager: a broker process owns the list', configs: method(['manager']) },
  { name: 'method-raw-array', title: 'RawArray: bulk copy into shared memory', configs: method(['raw-array', 'raw-array-thread']) },
  { name: 'method-file', title: 'File: through a file in a private temp dir', configs: method(['file']) },
  { name: 'method-socket', title: 'socket: TCP on loopback and a Unix domain socket', configs: method(['tcp', 'unix']) },
  {
    name: 'all-sizes',
    title: 'Every transport at every size below 10^8',
    // Interleaved: the transports are compared with each other at each size.
    configs: {
      article: nodeWithRaw('all', [10, 1e5, 1e6, 1e7], 3, 1, 'interleaved'),
      quick: nodeWithRaw('all', [10, 1e5, 1e6, 1e7], 1, 0, 'interleaved'),
      smoke: nodeWithRaw('all', [10, 1e4], 1, 0, 'interleaved'),
    },
  },
  {
    name: 'three-ways',
    title: "The article's seven methods in CPython and in Node.js, interleaved, with Node's fastest list codec",
    configs: {
      // Node and CPython take turns (round 1 of every method in both, then round 2, …), three
      // rounds even at 10^8, so their ratio compares the same minutes of a machine whose speed
      // drifts; Node also sends the list `packed` where the method carries bytes.
      article: [
        {
          runtimes: ['node', 'cpython'],
          transports: [...ARTICLE_METHOD_IDS],
          payloads: ['list'],
          codecs: ['analog', 'packed'],
          sizes: [1e7, 1e8],
          repeats: 3,
          warmups: 0,
          order: 'interleaved',
        },
      ],
      quick: [
        {
          runtimes: ['node', 'cpython'],
          transports: [...ARTICLE_METHOD_IDS],
          payloads: ['list'],
          codecs: ['analog', 'packed'],
          sizes: [1e7],
          repeats: 1,
          warmups: 0,
          order: 'interleaved',
        },
      ],
      smoke: [
        {
          runtimes: ['node', 'cpython'],
          transports: [...ARTICLE_METHOD_IDS],
          payloads: ['list'],
          codecs: ['analog', 'packed'],
          sizes: [1e4],
          repeats: 2,
          warmups: 0,
          order: 'interleaved',
        },
      ],
    },
  },
  {
    name: 'runtimes',
    title: "The article's seven methods and the message patterns in Node, Bun, Deno and CPython",
    configs: {
      // 10^7 in two interleaved rounds; 10^8 in three (a round of every runtime there takes minutes).
      article: runtimes([1e7], [1e8], 2, 3, [64, 65536]),
      quick: runtimes([1e6], [], 1, 1, [64, 65536]),
      // Seconds: two methods and two message transports, each in every runtime.
      smoke: runtimes([1e3], [], 1, 1, [64], { transfers: ['pipe', 'raw-array'], messages: ['queue', 'pipe'] }),
    },
  },
  {
    name: 'zero-copy',
    title: 'Zero copies and across languages: hand-overs against copies, Node, Bun, Deno and CPython',
    configs: {
      article: zeroCopy([10, 1e3, 1e5, 1e6, 1e7, 1e8], [1e3, 1e6, 1e8], 3),
      quick: zeroCopy([10, 1e3, 1e5, 1e6, 1e7], [1e3, 1e7], 1),
      smoke: zeroCopy([1e3], [1e3], 1),
    },
  },
  {
    name: 'cpython-pipe-size-sweep',
    title: "The article's Pipe size sweep in CPython, on this machine",
    configs: {
      // 10^7 and 10^8 come from three-ways, which runs the Pipe at those sizes already.
      article: [{ runtimes: ['cpython'], transports: ['pipe'], payloads: ['list'], sizes: [10, 1e5, 1e6], repeats: 1, warmups: 0 }],
      quick: [{ runtimes: ['cpython'], transports: ['pipe'], payloads: ['list'], sizes: [10, 1e5, 1e6], repeats: 1, warmups: 0 }],
      smoke: [{ runtimes: ['cpython'], transports: ['pipe'], payloads: ['list'], sizes: [10, 1e3, 1e4], repeats: 1, warmups: 0 }],
    },
  },
];

export function findExperimentDef(name: string): ExperimentDef {
  const def = NOTEBOOK_EXPERIMENTS.find((e) => e.name === name);
  if (!def) throw new UsageError(`no experiment "${name}": valid are ${NOTEBOOK_EXPERIMENTS.map((e) => e.name).join(', ')}`);
  return def;
}
