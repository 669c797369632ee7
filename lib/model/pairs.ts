/**
 * Pairs across runtimes: a sender in one runtime and a receiver in another (`node:cpython` is a
 * Node sender and a CPython receiver). Written `sender:receiver` wherever a runtime is named; a
 * runtime alone (`node`) still means both peers. Only channels that both sides implement byte for
 * byte can join two runtimes: the hand-overs and the byte streams, carrying int32 when CPython is
 * one side (numpy there), in codecs both understand.
 */
import { findTransport, type TransportInfo, transportsOf } from './catalog';
import { nearestName } from './names';
import { type CodecName, RUNTIMES, type Runtime, type TransferSpec } from './types';
import { UsageError } from './usage-error';

/** A runtime, or a pair `sender:receiver` of two runtimes. */
export type RuntimeChoice = Runtime | `${Runtime}:${Runtime}`;

/** The two runtimes of a choice: the same one twice for a runtime alone. */
export interface RuntimePair {
  sender: Runtime;
  receiver: Runtime;
}

/** The transports a pair may run: each exists as a Node transport and in the CPython pair peer. */
export const PAIR_TRANSPORT_IDS: readonly string[] = ['handoff', 'handoff-name', 'unix', 'tcp', 'pipe'];

/** The codecs both Node and CPython read and write: raw int32 bytes, Arrow, and none (a hand-over). */
const CODECS_WITH_CPYTHON: readonly CodecName[] = ['raw', 'arrow', 'none'];

/** The sender and receiver of a choice. */
export function pairOf(choice: RuntimeChoice): RuntimePair {
  const [sender, receiver] = choice.split(':') as [Runtime, Runtime | undefined];
  return { sender, receiver: receiver ?? sender };
}

/** The choice a spec stands for: `node`, or `node:cpython` when its receiver runs elsewhere. */
export function choiceOf(spec: { runtime: Runtime; receiverRuntime?: Runtime }): RuntimeChoice {
  return isPair(spec) ? `${spec.runtime}:${spec.receiverRuntime as Runtime}` : spec.runtime;
}

/** Whether the spec's receiver runs in another runtime than its sender. */
export function isPair(spec: { runtime: Runtime; receiverRuntime?: Runtime }): boolean {
  return spec.receiverRuntime !== undefined && spec.receiverRuntime !== spec.runtime;
}

/** The spec fields of a choice: `{ runtime }`, plus receiverRuntime for a pair. */
export function specRuntimes(choice: RuntimeChoice): Pick<TransferSpec, 'runtime' | 'receiverRuntime'> {
  const { sender, receiver } = pairOf(choice);
  return sender === receiver ? { runtime: sender } : { runtime: sender, receiverRuntime: receiver };
}

/**
 * One name typed by a user, checked: a runtime (`node`) or a pair (`node:cpython`); `node:node`
 * is `node`. A bad part is one line naming it, the nearest runtime and the valid ones.
 */
export function checkRuntimeChoice(name: string): RuntimeChoice {
  const text = String(name).trim().toLowerCase();
  const parts = text.split(':');
  if (parts.length > 2 || parts.some((part) => part === '')) {
    throw new UsageError(
      `runtime ${JSON.stringify(name)} is not valid: name a runtime (${RUNTIMES.join(', ')}) or a pair sender:receiver, e.g. node:cpython`,
    );
  }
  for (const part of parts) {
    if ((RUNTIMES as readonly string[]).includes(part)) continue;
    const guess = nearestName(part, RUNTIMES);
    const where = parts.length === 2 ? ` in the pair ${JSON.stringify(name)}` : '';
    throw new UsageError(
      `unknown runtime ${JSON.stringify(part)}${where}:${guess ? ` did you mean "${guess}"?` : ''} valid: ${RUNTIMES.join(', ')}, or a pair sender:receiver such as node:cpython`,
    );
  }
  const [sender, receiver] = parts as Runtime[];
  return receiver === undefined || receiver === sender ? sender : `${sender}:${receiver}`;
}

/** A list of runtime names, checked, repeats dropped, order kept; `all` adds every runtime alone. */
export function checkRuntimeChoices(names: readonly string[]): RuntimeChoice[] {
  if (!Array.isArray(names) || names.length === 0) {
    throw new UsageError(`no runtime given: valid: ${RUNTIMES.join(', ')}, all, or pairs sender:receiver such as node:cpython`);
  }
  const picked: RuntimeChoice[] = [];
  for (const name of names) {
    const choices = String(name).trim().toLowerCase() === 'all' ? [...RUNTIMES] : [checkRuntimeChoice(name)];
    for (const choice of choices) if (!picked.includes(choice)) picked.push(choice);
  }
  return picked;
}

/**
 * What a transport is for a pair: the Node catalog's entry of a pair transport, narrowed to what
 * CPython carries when it is one side (int32, raw or arrow bytes, or a hand-over); undefined for a
 * transport a pair cannot run.
 */
export function pairTransport(pair: RuntimePair, id: string): TransportInfo | undefined {
  if (!PAIR_TRANSPORT_IDS.includes(id)) return undefined;
  const info = findTransport('node', id);
  if (!info) return undefined;
  // A pair runs the one-shot transfer: the message patterns stay within one runtime.
  const transferOnly: TransportInfo = { ...info, patterns: ['transfer'] };
  if (pair.sender !== 'cpython' && pair.receiver !== 'cpython') return transferOnly;
  return { ...transferOnly, payloads: ['int32'], codecs: info.codecs.filter((codec) => CODECS_WITH_CPYTHON.includes(codec)) };
}

/** A transport of a choice: a runtime's own (the catalog), or a pair's. */
export function transportOfChoice(choice: RuntimeChoice, id: string): TransportInfo | undefined {
  const pair = pairOf(choice);
  return pair.sender === pair.receiver ? findTransport(pair.sender, id) : pairTransport(pair, id);
}

/** Every transport of a choice, in catalog order. */
export function transportsOfChoice(choice: RuntimeChoice): TransportInfo[] {
  const pair = pairOf(choice);
  if (pair.sender === pair.receiver) return [...transportsOf(pair.sender)];
  return PAIR_TRANSPORT_IDS.map((id) => pairTransport(pair, id)).filter((info): info is TransportInfo => info !== undefined);
}

/** Why a pair cannot run this spec's transport, payload or codec, in one line; null when it can try. */
export function pairLimit(spec: TransferSpec): string | null {
  const pair = { sender: spec.runtime, receiver: spec.receiverRuntime ?? spec.runtime };
  const name = `${pair.sender}:${pair.receiver}`;
  const info = pairTransport(pair, spec.transport);
  if (!info) {
    return `the pair ${name} runs ${PAIR_TRANSPORT_IDS.join(', ')} (both sides implement them byte for byte); ${spec.transport} runs within one runtime`;
  }
  if ((spec.pattern ?? 'transfer') !== 'transfer') return `the pair ${name} runs the one-shot transfer, not the ${spec.pattern} pattern`;
  if (!info.payloads.includes(spec.payload)) {
    return `the pair ${name} carries ${info.payloads.join(' or ')} (a numpy array on the CPython side), not ${spec.payload}: use --payloads int32`;
  }
  const codec = spec.codec ?? info.codecs[0];
  if (!info.codecs.includes(codec)) return `the pair ${name} over ${spec.transport} takes codec ${info.codecs.join(', ')}, not ${codec}`;
  return null;
}
