import { UsageError } from '../model/usage-error';

/**
 * The scales every experiment runs at: `article` (the article's sizes, up to 10^8 elements; the
 * default), `quick` (sizes up to 10^7, one run each, no warm-up: real numbers in minutes) and
 * `smoke` (seconds, for tests).
 */
export type Scale = 'smoke' | 'quick' | 'article';
/** From smallest to largest. */
export const SCALES: readonly Scale[] = ['smoke', 'quick', 'article'];

/**
 * Interleaved rounds of every configuration a notebook compares at 10^8 elements, where the article
 * sent once: a median and its spread need three, and the machine's speed drifts between minutes.
 */
export const BIG_ROUNDS = 3;

/** The scale notebooks run at: IPC_LAB_SCALE, `article` unless set. */
export function scaleFromEnv(env: NodeJS.ProcessEnv = process.env): Scale {
  return parseScale(env.IPC_LAB_SCALE ?? 'article', 'IPC_LAB_SCALE');
}

/** `value` as a Scale, or a one-line UsageError naming `where` it came from (`--scale`, `IPC_LAB_SCALE`) and the valid ones. */
export function parseScale(value: string, where: string): Scale {
  if (!SCALES.includes(value as Scale)) {
    throw new UsageError(`${where} "${value}" is not a scale: valid are ${SCALES.join(', ')}`);
  }
  return value as Scale;
}
