/**
 * The three-way comparison of notebook 11: per article method, the article's published times,
 * CPython on this machine and Node.js on this machine — Node's list with the method's analog codec
 * and with `packed` where the method carries bytes — with Node ÷ CPython as a ratio of medians,
 * its 95 % confidence interval (Welch's t-test on log times, lib/sweep/compare.ts) and the verdict
 * that interval supports.
 */
import { NODE_TRANSPORTS } from '../model/catalog';
import { transportLabel } from '../model/record';
import type { Runtime, TransferRecord } from '../model/types';
import { compareSamples, type SampleComparison } from '../sweep/compare';
import { computeStatistics } from '../sweep/stats';
import { articleSummary } from './article';
import { medianRows } from './medians';

/** What a ratio's interval supports: Node faster (all of it below 1), slower (above 1), no difference shown, or one repeat (no interval). */
export type Verdict = 'faster' | 'slower' | 'same' | 'one-repeat';

/** One method at one size: the article, CPython here, Node here (seconds, medians), and Node ÷ CPython for the list. */
export interface ThreeWayRow {
  method: string;
  sizeElements: number;
  /** The article's published times, at its own size only. */
  articleSendSeconds: number | null;
  articleRecvSeconds: number | null;
  /** The CPython transport that reproduces the method (the article's summary names it). */
  cpythonTransport: string;
  cpythonSendSeconds: number | null;
  cpythonRecvSeconds: number | null;
  cpythonTotalSeconds: number | null;
  /** The Node transport that stands for the method: its process variant. */
  nodeTransport: string;
  nodeSendSeconds: number | null;
  nodeRecvSeconds: number | null;
  nodeTotalSeconds: number | null;
  nodePackedTotalSeconds: number | null;
  nodeInt32TotalSeconds: number | null;
  /** Node ÷ CPython for the list with the analog codec, its interval and verdict (null: a side has no measurement). */
  ratio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  verdict: Verdict | null;
  /** The same for Node's faster codec of the two. */
  fastestCodec: 'analog' | 'packed' | null;
  fastestRatio: number | null;
  fastestCiLow: number | null;
  fastestCiHigh: number | null;
  fastestVerdict: Verdict | null;
  /** Node's list with `packed` ÷ CPython's, its interval (null: a side has no measurement), and the fewer of the two sides' rounds. */
  packedRatio: number | null;
  packedCiLow: number | null;
  packedCiHigh: number | null;
  packedRounds: number;
}

/** The Node transport that stands for an article method in comparisons across runtimes: its process variant. */
export function nodeForArticleMethod(method: string): string {
  const candidates = NODE_TRANSPORTS.filter((t) => t.articleMethod === method);
  return (candidates.find((t) => t.peers === 'processes') ?? candidates[0]).id;
}

/** The measured totals of one runtime, transport label, list and size, in seconds. */
function listTotals(records: readonly TransferRecord[], runtime: Runtime, label: string, size: number): number[] {
  return records
    .filter(
      (r) => r.ok && !r.warmup && r.runtime === runtime && r.payload === 'list' && r.sizeElements === size && transportLabel(r) === label,
    )
    .map((r) => r.totalSeconds)
    .filter((t): t is number => t !== null && t > 0);
}

/** A ratio of Node ÷ CPython, its interval and its verdict, for one Node codec (all null when a side is missing). */
function judged(c: SampleComparison | null) {
  const verdict: Verdict | null =
    c === null ? null : c.ciLow === null || c.ciHigh === null ? 'one-repeat' : c.ciHigh < 1 ? 'faster' : c.ciLow > 1 ? 'slower' : 'same';
  return { ratio: c?.ratio ?? null, ciLow: c?.ciLow ?? null, ciHigh: c?.ciHigh ?? null, verdict };
}

/** Per article method and CPython size, the three ways (see ThreeWayRow); the Int32Array where the Node records have it. */
export function threeWayRows(cpythonRecords: readonly TransferRecord[], nodeRecords: readonly TransferRecord[]): ThreeWayRow[] {
  const all = [...cpythonRecords, ...nodeRecords];
  const medians = medianRows(all);
  const get = (runtime: Runtime, label: string, payload: string, size: number) =>
    medians.find((r) => r.runtime === runtime && r.label === label && r.payload === payload && r.sizeElements === size);
  const sizes = [...new Set(cpythonRecords.map((r) => r.sizeElements))].sort((a, b) => a - b);
  return sizes.flatMap((size) =>
    articleSummary().map((a) => {
      const node = nodeForArticleMethod(a.method);
      const cpy = listTotals(all, 'cpython', a.transport, size);
      const compare = (label: string) => {
        const nodeTotals = listTotals(all, 'node', label, size);
        return cpy.length > 0 && nodeTotals.length > 0 ? compareSamples(cpy, nodeTotals) : null;
      };
      const [analog, packed] = [compare(node), compare(`${node}/packed`)];
      const packedRounds = Math.min(cpy.length, listTotals(all, 'node', `${node}/packed`, size).length);
      const packedWins = packed !== null && (analog === null || packed.medianBSeconds < analog.medianBSeconds);
      const fastest = judged(packedWins ? packed : analog);
      const [cpython, nodeList] = [get('cpython', a.transport, 'list', size), get('node', node, 'list', size)];
      return {
        method: a.method,
        sizeElements: size,
        articleSendSeconds: size === a.sizeElements ? a.sendSeconds : null,
        articleRecvSeconds: size === a.sizeElements ? a.recvSeconds : null,
        cpythonTransport: a.transport,
        cpythonSendSeconds: cpython?.sendSeconds ?? null,
        cpythonRecvSeconds: cpython?.recvSeconds ?? null,
        cpythonTotalSeconds: cpython?.totalSeconds ?? null,
        nodeTransport: node,
        nodeSendSeconds: nodeList?.sendSeconds ?? null,
        nodeRecvSeconds: nodeList?.recvSeconds ?? null,
        nodeTotalSeconds: nodeList?.totalSeconds ?? null,
        nodePackedTotalSeconds: get('node', `${node}/packed`, 'list', size)?.totalSeconds ?? null,
        nodeInt32TotalSeconds: get('node', node, 'int32', size)?.totalSeconds ?? null,
        ...judged(analog),
        fastestCodec: fastest.verdict === null ? null : packedWins ? 'packed' : 'analog',
        fastestRatio: fastest.ratio,
        fastestCiLow: fastest.ciLow,
        fastestCiHigh: fastest.ciHigh,
        fastestVerdict: fastest.verdict,
        packedRatio: packed?.ratio ?? null,
        packedCiLow: packed?.ciLow ?? null,
        packedCiHigh: packed?.ciHigh ?? null,
        packedRounds,
      };
    }),
  );
}

/** What notebook 11 says at the largest size: the rows with a ratio, those where Node's fastest codec wins, and the time to build the list. */
export interface ThreeWayFinding {
  sizeElements: number;
  compared: ThreeWayRow[];
  /** The methods whose fastest-codec interval lies below 1. */
  wins: ThreeWayRow[];
  /** The mean time to build the list of sizeElements integers, per runtime; null where none was built. */
  buildSeconds: Record<'cpython' | 'node', number | null>;
}

/** The finding of the three ways at the largest CPython size (see ThreeWayFinding). */
export function threeWayFinding(rows: readonly ThreeWayRow[], records: readonly TransferRecord[]): ThreeWayFinding {
  const sizeElements = Math.max(...rows.map((r) => r.sizeElements));
  const compared = rows.filter((r) => r.sizeElements === sizeElements && r.ratio !== null);
  const build = (runtime: Runtime) => {
    const of = records.filter((r) => r.ok && r.runtime === runtime && r.payload === 'list' && r.sizeElements === sizeElements);
    const seconds = of.map((r) => r.buildSeconds).filter((s): s is number => s !== null);
    return seconds.length > 0 ? computeStatistics(seconds).mean : null;
  };
  return {
    sizeElements,
    compared,
    wins: compared.filter((r) => r.fastestVerdict === 'faster'),
    buildSeconds: { cpython: build('cpython'), node: build('node') },
  };
}
