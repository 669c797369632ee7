import { isFailedPhase } from '../../model/record';
import { FAILED_PHASES, type FailedPhase } from '../../model/types';
import { lastLine } from './python-interpreter';

/**
 * The one JSON line a CPython program prints at its end, read and checked field by field: a
 * success, the failure it reports (phase and error), or what is wrong with the line.
 */

/** The JSON line article_methods.py prints on success. */
export interface ProgramSuccess {
  ok: true;
  python: string;
  numpy: string | null;
  buildSeconds: number;
  encodeSeconds: number | null;
  decodeSeconds: number | null;
  sendSeconds: number;
  recvSeconds: number;
  totalSeconds: number;
  verifySeconds: number;
  bytes: number | null;
  senderPeakRssBytes: number | null;
  receiverPeakRssBytes: number | null;
  brokerPeakRssBytes: number | null;
}

/** The JSON line a program prints when it fails: the phase it was in and why. */
export interface ProgramFailure {
  ok: false;
  phase: FailedPhase;
  error: string;
}

const REQUIRED_NUMBERS = ['buildSeconds', 'sendSeconds', 'recvSeconds', 'totalSeconds', 'verifySeconds'] as const;
const OPTIONAL_NUMBERS = [
  'encodeSeconds',
  'decodeSeconds',
  'bytes',
  'senderPeakRssBytes',
  'receiverPeakRssBytes',
  'brokerPeakRssBytes',
] as const;

/** What is wrong with an article_methods.py success line, or null when it is whole. */
export function transferResultProblem(obj: Record<string, unknown>): string | null {
  for (const key of REQUIRED_NUMBERS) {
    if (typeof obj[key] !== 'number' || !Number.isFinite(obj[key])) return `printed a result without ${key}`;
  }
  for (const key of OPTIONAL_NUMBERS) {
    if (obj[key] !== null && typeof obj[key] !== 'number') return `printed a result with a bad ${key}`;
  }
  return null;
}

/**
 * The program's result line, checked: a failure as printed, a success that `successProblem`
 * finds whole (field by field), or a string saying what is wrong with the line.
 */
export function parseResultLine<T>(
  stdout: string,
  successProblem: (obj: Record<string, unknown>) => string | null,
): T | ProgramFailure | string {
  const line = lastLine(stdout);
  if (!line) return 'printed no result line';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `printed a result line that is not JSON: ${line.slice(0, 200)}`;
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj !== 'object' || obj === null || typeof obj.ok !== 'boolean') return 'printed a result without "ok"';
  if (!obj.ok) {
    if (typeof obj.phase !== 'string' || typeof obj.error !== 'string') return 'printed a failure without phase and error';
    return isFailedPhase(obj.phase)
      ? (obj as unknown as ProgramFailure)
      : `printed a failure in phase ${JSON.stringify(obj.phase)}, not one of ${FAILED_PHASES.join(', ')} (${obj.error})`;
  }
  return successProblem(obj) ?? (obj as unknown as T);
}
