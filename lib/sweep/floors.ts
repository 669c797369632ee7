/**
 * The bench's arithmetic as one pure module: which operations make each transport's floor, how
 * their medians add up, the ratio of a transport's total to its floor, and the rows of the two
 * tables `npm run bench` prints. Numbers in, numbers out: nothing here runs or times anything
 * (lib/measure/floor-ops.ts times the single operations, bench-plan.ts plans them, bench-tables.ts gathers their samples).
 *
 * The **floor** of a transfer is the sum of the operations its mechanism cannot avoid, each
 * measured alone: for a stream, its bytes through a raw channel of the same kind plus the codec's
 * encode and decode; for a message port, one structured clone; for shared memory, one bulk copy in
 * and one out; and so on (see {@link floorRecipe}). transport ÷ floor is then what ipc-lab's own
 * code costs above the unavoidable, and Node raw ÷ C (see {@link channelRow}) what Node costs
 * above a C program doing the same system calls.
 */
import type { PayloadKind } from '../model/types';
import type { FloorRound } from './rounds';
import { median, spreadOf } from './stats';

/**
 * One operation a floor is made of, measured alone:
 * - `encode`, `decode`: the transfer's codec on the payload, in the bench process (decode of a
 *   freshly allocated body holding the encoded bytes);
 * - `raw-pipe`, `raw-tcp`, `raw-unix`: the encoded size's bytes through a raw channel of that kind
 *   between two processes, read straight into a fresh buffer as the stream transports read (the
 *   hidden transports of lib/measure/transports/baselines/baseline.ts);
 * - `raw-unix-chunked`: the same through a Unix socket read in libuv's 64 KiB chunks, each copied
 *   into one fresh buffer: the only way Node's IPC channel reads (see {@link floorRecipe});
 * - `clone`: `structuredClone(payload)` in one thread;
 * - `clone-transfer`: `structuredClone(buffer, { transfer: [buffer] })` of a buffer of the same size;
 * - `pack`: a list into a new Int32Array (a list must become one before its buffer can move);
 * - `set-touched`: one `TypedArray.set` of the payload into memory already touched (the shared region);
 * - `set-fresh`: one `TypedArray.set` of the int32 data into a newly allocated array (the receiver's copy out);
 * - `file-write`, `file-read`: the encoded bytes written to a new file and read back, through the page cache.
 */
export const FLOOR_PARTS = [
  'encode',
  'decode',
  'raw-pipe',
  'raw-tcp',
  'raw-unix',
  'raw-unix-chunked',
  'clone',
  'clone-transfer',
  'pack',
  'set-touched',
  'set-fresh',
  'file-write',
  'file-read',
] as const;
/** See {@link FLOOR_PARTS}. */
export type FloorPart = (typeof FLOOR_PARTS)[number];

/** The raw channels among the floor parts: each is one transfer of the hidden transport of that id. */
export const RAW_CHANNEL_PARTS: readonly FloorPart[] = ['raw-pipe', 'raw-tcp', 'raw-unix', 'raw-unix-chunked'];

/** A part and how many times the transfer pays it (the manager encodes twice, crosses its socket twice). */
export interface FloorPartUse {
  part: FloorPart;
  times: number;
}

/** What a transport's floor is made of, for one codec and payload. */
export interface FloorRecipe {
  transport: string;
  codec: string;
  payload: PayloadKind;
  parts: readonly FloorPartUse[];
  /** What the floor leaves out on purpose, in one line; empty when nothing. */
  note: string;
}

/** How far above its floor a transport may be before the bench flags it. */
export const OVER_FLOOR_LIMIT = 1.25;
/** The manager's allowance: its broker holds the value, so its floor is an idealised chain of six steps. */
export const MANAGER_OVER_FLOOR_LIMIT = 1.5;

/** The ratio above which a transport's row is flagged: {@link OVER_FLOOR_LIMIT}, or the manager's {@link MANAGER_OVER_FLOOR_LIMIT}. */
export function overFloorLimit(transport: string): number {
  return transport === 'manager' ? MANAGER_OVER_FLOOR_LIMIT : OVER_FLOOR_LIMIT;
}

/**
 * The stream transports and the raw channel each rides. Node's IPC channel is a Unix socket that
 * Node reads itself, in libuv's 64 KiB chunks, and joins into one new buffer (Buffer.concat in
 * Node 20's lib/internal/child_process/serialization.js; a 'json' channel appends each chunk to a
 * string): child_process gives it no `onread`, so no user of process.send can read it directly.
 * Its floor's channel is therefore the chunked one, which pays that one copy into fresh memory
 * too (measured at 10^8 int32: 6 100–6 200 chunks, Buffer.concat 0.30 s, a set into fresh memory
 * 0.31 s in the same rounds; FINDINGS of issue 20).
 */
const STREAM_CHANNEL: Readonly<Record<string, FloorPart>> = {
  pipe: 'raw-pipe',
  tcp: 'raw-tcp',
  unix: 'raw-unix',
  ipc: 'raw-unix-chunked',
  'ipc-json': 'raw-unix-chunked',
};

/** The raw channel part a stream transport rides (its floor's channel), or undefined for any other transport. */
export const streamChannelOf = (transport: string): FloorPart | undefined => STREAM_CHANNEL[transport];

const once = (...parts: FloorPart[]): FloorPartUse[] => parts.map((part) => ({ part, times: 1 }));

/**
 * The operations a transport's mechanism cannot avoid, each paid `times` times:
 * - `pipe`, `tcp`, `unix`: the raw channel of the same kind, encode, decode;
 * - `ipc`, `ipc-json` (Node's IPC channel is a Unix socket, read in chunks): raw-unix-chunked,
 *   encode, decode (v8 or json);
 * - `manager`: encode, two crossings of a Unix socket (sender → broker → receiver), the broker's
 *   decode and encode, the receiver's decode: 2 × encode, 2 × raw-unix, 2 × decode;
 * - `file`: encode, file-write, file-read, decode;
 * - `queue`: clone; `transfer`: clone-transfer (after a pack when the payload is a list);
 * - `shared-array`, `raw-array` and their `-thread` variants: set-touched (the copy into the
 *   region, which is zero-filled before the transfer) and set-fresh (the receiver's copy out);
 * - `handoff`, `handoff-name`: clone-transfer (no bytes move), after a pack when the payload is a list.
 * Throws on a transport it does not know: a new transport needs its floor written down here.
 */
export function floorRecipe(transport: string, codec: string, payload: PayloadKind): FloorRecipe {
  const recipe = (parts: FloorPartUse[], note = ''): FloorRecipe => ({ transport, codec, payload, parts, note });
  const channel = STREAM_CHANNEL[transport];
  if (transport === 'ipc')
    return recipe(
      once(channel, 'encode', 'decode'),
      "Node's 1-byte view tag and 4-byte length put an Int32Array's bytes off 4-byte alignment, so the channel's deserialize copies them at every size (not in the floor)",
    );
  if (channel) return recipe(once(channel, 'encode', 'decode'));
  switch (transport) {
    case 'manager':
      return recipe(
        [
          { part: 'encode', times: 2 },
          { part: 'raw-unix', times: 2 },
          { part: 'decode', times: 2 },
        ],
        "sender's encode, broker's decode and encode, receiver's decode; the socket crossed twice",
      );
    case 'file':
      return recipe(once('encode', 'file-write', 'file-read', 'decode'));
    case 'queue':
      return recipe(once('clone'));
    case 'transfer':
      return recipe(payload === 'list' ? once('pack', 'clone-transfer') : once('clone-transfer'));
    case 'shared-array':
    case 'shared-array-thread':
      return recipe(
        once('set-touched', 'set-fresh'),
        'its lock and its element-by-element copies (the article Array) are not in the floor: one bulk set each way is',
      );
    case 'raw-array':
    case 'raw-array-thread':
      return recipe(once('set-touched', 'set-fresh'));
    case 'handoff':
    case 'handoff-name':
      return recipe(
        payload === 'list' ? once('pack', 'clone-transfer') : once('clone-transfer'),
        "a hand-over moves no bytes: its floor is moving an ArrayBuffer's ownership (a transfer list), after packing a list",
      );
    default:
      throw new Error(`no floor is defined for transport "${transport}": add it to floorRecipe in lib/sweep/floors.ts`);
  }
}

/** Every distinct part of a recipe, in the recipe's order. */
export function partsOf(recipe: FloorRecipe): FloorPart[] {
  return [...new Set(recipe.parts.map((use) => use.part))];
}

/** One part of a floor as the table shows it: its median over the repeats and how often it counts. */
export interface FloorPartMedian extends FloorPartUse {
  /** The median of the part's samples, or null when none were measured. */
  medianSeconds: number | null;
  samples: number;
}

/** A floor: the sum of its parts' medians (each times its count), or null with the parts that are missing. */
export interface Floor {
  seconds: number | null;
  parts: FloorPartMedian[];
  missing: FloorPart[];
}

/** The median of samples, or null for none. */
export function medianOrNull(samples: readonly number[] | undefined): number | null {
  return samples && samples.length > 0 ? median(samples) : null;
}

/**
 * The floor from each part's samples: Σ times × median(samples of the part). A part with no
 * samples makes the floor null (it is listed in `missing`), never a smaller floor.
 */
export function floorFromSamples(recipe: FloorRecipe, samples: Partial<Record<FloorPart, readonly number[]>>): Floor {
  const parts = recipe.parts.map(
    (use): FloorPartMedian => ({ ...use, medianSeconds: medianOrNull(samples[use.part]), samples: samples[use.part]?.length ?? 0 }),
  );
  const missing = parts.filter((p) => p.medianSeconds === null).map((p) => p.part);
  const seconds = missing.length > 0 ? null : parts.reduce((sum, p) => sum + p.times * (p.medianSeconds as number), 0);
  return { seconds, parts, missing };
}

/** A ratio, or null with the reason it cannot be taken. */
export interface Ratio {
  ratio: number | null;
  reason: string;
}

/** `numerator ÷ denominator`, or null with a reason when either is missing or the denominator is not positive. */
export function ratioOf(numerator: number | null, denominator: number | null, names: [string, string] = ['total', 'floor']): Ratio {
  if (numerator === null) return { ratio: null, reason: `no ${names[0]}` };
  if (denominator === null) return { ratio: null, reason: `no ${names[1]}` };
  if (!(denominator > 0)) return { ratio: null, reason: `${names[1]} is ${denominator} s` };
  return { ratio: numerator / denominator, reason: '' };
}

/** One row of the first table: a transport and codec at one size, against its floor. */
export interface FloorRow {
  transport: string;
  codec: string;
  payload: PayloadKind;
  sizeElements: number;
  /** The codec's encoded size (bytes a stream carries), or the shared bytes; null when not measured. */
  bytes: number | null;
  /** Median of the transport's totals, over the repeats that succeeded. */
  totalSeconds: number | null;
  totals: number;
  /** Every total, in the order measured (one per round that succeeded): the raw samples behind the median. */
  totalsSeconds: number[];
  /** (max − min) ÷ median of the totals: how much the repeats disagreed; null with fewer than 2. */
  totalSpread: number | null;
  floorSeconds: number | null;
  ratio: number | null;
  /** The ratio above which the row is flagged (see {@link overFloorLimit}). */
  limit: number;
  /** ratio > limit. */
  over: boolean;
  parts: FloorPartMedian[];
  note: string;
  /** Medians of the transport's own timings (its records' encode, decode, send, recv), for seeing where the rest goes. */
  own: Record<OwnTiming, number | null>;
  /** What each round measured, for ratios within a round (lib/sweep/rounds.ts); null: the row kept none (saved before rows kept them). */
  byRound: FloorRound[] | null;
  /** Why the row has no ratio, or what failed along the way; empty when all went well. */
  reason: string;
}

/** The timings a transfer record carries besides its total (see TransferRecord). */
export const OWN_TIMINGS = ['encode', 'send', 'recv', 'decode'] as const;
/** See {@link OWN_TIMINGS}. */
export type OwnTiming = (typeof OWN_TIMINGS)[number];

/** What the loops gathered for one transport, codec and size. */
export interface FloorRowInput {
  recipe: FloorRecipe;
  sizeElements: number;
  bytes: number | null;
  /** The transport's totals, one per repeat that succeeded. */
  totals: readonly number[];
  samples: Partial<Record<FloorPart, readonly number[]>>;
  /** The transport's own timings, one sample per repeat that reported it. */
  ownSamples?: Partial<Record<OwnTiming, readonly number[]>>;
  /** Errors met along the way (a failed repeat, a part that threw), each one line; repeats are listed once. */
  errors?: readonly string[];
  /** Why the combination was not run at all (a codec that cannot carry the payload). */
  refusal?: string;
  /** The same samples round by round (see FloorRound); without them the row keeps none (byRound null). */
  byRound?: readonly FloorRound[];
}

/** The row of the first table: medians, floor, ratio, flag, and why when something is missing. */
export function floorRow(input: FloorRowInput): FloorRow {
  const { recipe } = input;
  const floor = floorFromSamples(recipe, input.refusal ? {} : input.samples);
  const totalSeconds = medianOrNull(input.totals);
  const { ratio, reason } = input.refusal ? { ratio: null, reason: input.refusal } : ratioOf(totalSeconds, floor.seconds);
  const why: string[] = [];
  if (reason) why.push(floor.seconds === null && !input.refusal ? `${reason} (missing ${floor.missing.join(', ')})` : reason);
  for (const error of new Set(input.errors ?? [])) why.push(error);
  const limit = overFloorLimit(recipe.transport);
  return {
    transport: recipe.transport,
    codec: recipe.codec,
    payload: recipe.payload,
    sizeElements: input.sizeElements,
    bytes: input.bytes,
    totalSeconds,
    totals: input.totals.length,
    totalsSeconds: [...input.totals],
    totalSpread: spreadOf(input.totals),
    floorSeconds: floor.seconds,
    ratio,
    limit,
    over: ratio !== null && ratio > limit,
    parts: floor.parts,
    note: recipe.note,
    own: Object.fromEntries(OWN_TIMINGS.map((name) => [name, medianOrNull(input.ownSamples?.[name])])) as Record<OwnTiming, number | null>,
    byRound: input.byRound?.map((r) => ({ ...r, parts: { ...r.parts }, own: { ...r.own } })) ?? null,
    reason: why.join('; '),
  };
}
