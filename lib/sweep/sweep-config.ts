/**
 * What a sweep is asked to run (SweepConfig) and its check: a config that makes no sense is a
 * one-line UsageError before anything runs. plan.ts expands a checked config into transfers.
 */
import { findTransport } from '../model/catalog';
import { checkRepeats, checkWarmups } from '../model/checks';
import { checkNames } from '../model/names';
import { checkRuntimeChoices, type RuntimeChoice, transportsOfChoice } from '../model/pairs';
import { checkMessageBytes, checkSizeElements } from '../model/sizes';
import {
  CODEC_NAMES,
  type CodecName,
  DEFAULT_MESSAGE_SIZES,
  PATTERNS,
  PAYLOADS,
  type Pattern,
  type PayloadKind,
  RUNTIMES,
} from '../model/types';
import { UsageError } from '../model/usage-error';

/** What a sweep runs: the cartesian product runtime × transport × payload × size. */
export interface SweepConfig {
  /** Runtimes, or pairs `sender:receiver` across runtimes (`node:cpython`, see lib/model/pairs.ts). */
  runtimes: RuntimeChoice[];
  /** Transport ids, or 'all' for every transport of each runtime, in catalog order. */
  transports: string[] | 'all';
  payloads: PayloadKind[];
  sizes: number[];
  /** Measured runs per configuration (≥ 1). */
  repeats: number;
  /** Warm-up runs per configuration, before the measured ones (≥ 0); kept out of statistics. */
  warmups: number;
  /**
   * Serializers: `analog` (the default: each transport's analog of the article's, v8 where the
   * article pickles), `all` (every codec each transport takes), or a list of codec names, where
   * `analog` stands for each transport's analog (e.g. `['analog', 'raw']`); a transport runs those
   * it takes and skips the others with a note.
   */
  codecs?: CodecChoice[] | 'analog' | 'all';
  /**
   * `grouped` (the default): each configuration's warm-ups and repeats one after another.
   * `interleaved`: every configuration's warm-ups first, then repeat 1 of every configuration,
   * then repeat 2 of every one, …: configurations compared with each other (two runtimes, two
   * codecs) then see the same moments of a machine whose speed drifts, as Node core's
   * benchmark/compare.js runs its two binaries in turn.
   */
  order?: SweepOrder;
  /** What each run does (see Pattern); omitted: `['transfer']`. */
  patterns?: Pattern[];
  /** The message patterns: sizes of one message in bytes (default DEFAULT_MESSAGE_SIZES). `sizes` is the transfer's. */
  messageSizes?: number[];
  /**
   * The message patterns: measured messages per run. Omitted: DEFAULT_MESSAGES, or fewer for large
   * messages so that one run moves at most DEFAULT_BYTES_PER_RUN (see messagesFor).
   */
  messages?: number;
}

/** A codec name, or `analog` for each transport's analog of the article's serializer. */
export type CodecChoice = CodecName | 'analog';
/** The codec names a list may hold. */
export const CODEC_CHOICES: readonly CodecChoice[] = ['analog', ...CODEC_NAMES];
/** How a sweep orders its repeats: see {@link SweepConfig.order}. */
export type SweepOrder = 'grouped' | 'interleaved';
export const SWEEP_ORDERS: readonly SweepOrder[] = ['grouped', 'interleaved'];

/** Check a SweepConfig, returning a clean copy (names de-duplicated, sizes checked). */
export function checkSweepConfig(config: SweepConfig): SweepConfig {
  const runtimes = checkRuntimeChoices(config.runtimes);
  const payloads = checkNames('payload', config.payloads, PAYLOADS, false);
  if (!Array.isArray(config.sizes) || config.sizes.length === 0) {
    throw new UsageError('no size given: sizes are whole numbers from 1 to 2147483647 (e.g. 10, 1e5, 10^8)');
  }
  const sizes = [...new Set(config.sizes.map(checkSizeElements))];
  let transports: string[] | 'all' = 'all';
  if (config.transports !== 'all') {
    const known = [...new Set(runtimes.flatMap((r) => transportsOfChoice(r).map((t) => t.id)))];
    for (const name of config.transports) {
      const id = String(name).toLowerCase();
      const owners = RUNTIMES.filter((r) => !runtimes.includes(r) && findTransport(r, id));
      if (!known.includes(id) && owners.length > 0) {
        throw new UsageError(
          `transport "${name}" exists only for ${owners.join(', ')}, not for ${runtimes.join(', ')}: select runtime ${owners[0]} too, or choose from ${known.join(', ')}`,
        );
      }
    }
    transports = checkNames('transport', config.transports, known, true);
    // 'all' inside the list selects the union above; keep it as 'all' so each runtime gets its own.
    if (config.transports.some((t) => String(t).toLowerCase() === 'all')) transports = 'all';
  }
  const codecs =
    config.codecs === undefined || config.codecs === 'analog' || config.codecs === 'all'
      ? (config.codecs ?? 'analog')
      : checkNames('codec', config.codecs, CODEC_CHOICES, false);
  const order = checkNames('order', [config.order ?? 'grouped'], SWEEP_ORDERS, false)[0];
  const patterns = checkNames('pattern', config.patterns ?? ['transfer'], PATTERNS, false);
  const messageSizes = [...new Set((config.messageSizes ?? DEFAULT_MESSAGE_SIZES).map(checkMessageBytes))];
  if (messageSizes.length === 0) throw new UsageError('no message size given: message sizes are bytes from 1 to 64 MiB (e.g. 64, 1KiB)');
  const messages = config.messages;
  if (messages !== undefined && (!Number.isSafeInteger(messages) || messages < 1 || messages > 100_000_000)) {
    throw new UsageError(
      `messages ${String(messages)} is not valid: measured messages per run are a whole number from 1 to 1e8 (e.g. 10000)`,
    );
  }
  return {
    runtimes,
    transports,
    payloads,
    sizes,
    repeats: checkRepeats(config.repeats),
    warmups: checkWarmups(config.warmups),
    codecs,
    order,
    patterns,
    messageSizes,
    messages,
  };
}
