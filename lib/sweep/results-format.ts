/**
 * The results formats, as pure functions: records → CSV text, description + records → the
 * records.json text, and that text → checked results. No I/O here (see results-files.ts).
 */

import { codecOfSpec } from '../model/catalog';
import { DESCRIPTION_FIELDS, FIELD_KINDS, type FieldKind, isFailedPhase, NO_MESSAGE_MEASURES, RECORD_FIELDS } from '../model/record';
import { FAILED_PHASES, RECORD_SCHEMA, type RunDescription, type Runtime, type TransferRecord } from '../model/types';
import { UsageError } from '../model/usage-error';

/** One CSV cell (RFC 4180): null → empty; quoted when it holds a comma, quote, CR or LF. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Records as CSV: a header row of RECORD_FIELDS, one row per record, CRLF line ends (RFC 4180). */
export function recordsToCsv(records: readonly TransferRecord[]): string {
  const lines = [RECORD_FIELDS.join(',')];
  for (const record of records) lines.push(RECORD_FIELDS.map((field) => csvCell(record[field])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** The records.json text: `{ schema, description, records }`, indented. */
export function resultsToJson(description: RunDescription, records: readonly TransferRecord[]): string {
  return JSON.stringify({ schema: RECORD_SCHEMA, description, records }, null, 2) + '\n';
}

/** What a results file holds. */
export interface Results {
  description: RunDescription;
  records: TransferRecord[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fitsKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'number|null':
      return value === null || typeof value === 'number';
    case 'memory':
      return value === 'fresh' || value === 'reused' || value === 'n/a';
    case 'phase':
      return value === '' || isFailedPhase(value);
    default:
      return typeof value === kind;
  }
}

/** How an error names what a field of this kind may hold. */
function expectedOf(kind: FieldKind): string {
  if (kind === 'phase') return `'' or one of ${FAILED_PHASES.join(', ')}`;
  if (kind === 'memory') return 'fresh, reused or n/a';
  return kind;
}

/**
 * Schema 1 (before codecs were a dimension) had no `codec`: every transfer used its transport's
 * analog (v8 through streams, clone through ports, none in shared memory, pickle in CPython),
 * which is what the record gains. Results saved by earlier versions keep loading.
 */
function upgradeFromSchema1(record: Record<string, unknown>): void {
  record.codec = codecOfSpec({ runtime: record.runtime as Runtime, transport: String(record.transport) });
  upgradeFromSchema2(record);
}

/** Schema 2 (before message patterns) held only one-shot transfers: every record is a `transfer`. */
function upgradeFromSchema2(record: Record<string, unknown>): void {
  Object.assign(record, { pattern: 'transfer', messageBytes: null, ...NO_MESSAGE_MEASURES });
  upgradeFromSchema3(record);
}

/** Schema 3 (before Bun and Deno) did not keep the runtime's version in each record: '' says so. */
function upgradeFromSchema3(record: Record<string, unknown>): void {
  Object.assign(record, { runtimeVersion: '' });
  upgradeFromSchema4(record);
}

/** Schema 4 (before pairs across runtimes and hand-overs): both peers ran `runtime`, copies were not counted. */
function upgradeFromSchema4(record: Record<string, unknown>): void {
  Object.assign(record, {
    senderRuntime: record.runtime,
    receiverRuntime: record.runtime,
    receiverRuntimeVersion: '',
    copies: null,
    firstTouch: 'n/a',
  });
  upgradeFromSchema5(record);
}

/**
 * Schema 5 and earlier glued the transfer's name and the phase into the error
 * (`node ipc-json list 1e8: limits: JSON serialization would need …`), and a runtime's known limit
 * its runtime and version too (`…: limits: deno 2.9.6: Deno's net.Socket …`); the error is now the
 * bare reason, the rest fields of the record. The name never holds `: <phase>: `, so the first one ends it.
 */
function upgradeFromSchema5(record: Record<string, unknown>): void {
  const marker = `: ${String(record.failedPhase)}: `;
  let error = String(record.error ?? '');
  const at = record.failedPhase ? error.indexOf(marker) : -1;
  if (at >= 0) error = error.slice(at + marker.length);
  const runtime = `${String(record.runtime)} ${String(record.runtimeVersion)}: `;
  if (record.failedPhase === 'limits' && record.runtimeVersion && error.startsWith(runtime)) error = error.slice(runtime.length);
  Object.assign(record, { error });
  upgradeFromSchema6(record);
}

/** Schema 6 and earlier did not say how a byte stream's receiver read (it read chunked): `n/a`, not said. */
function upgradeFromSchema6(record: Record<string, unknown>): void {
  Object.assign(record, { readWay: 'n/a', schema: RECORD_SCHEMA });
}

/**
 * Parse and check the text of a records.json. `sourceName` (a path) names the file in errors.
 * Throws UsageError if it is not JSON, has another schema, or lacks a required field.
 */
export function parseResults(text: string, sourceName: string): Results {
  const name = JSON.stringify(sourceName);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`results file ${name} is truncated or not JSON: ${(error as Error).message}`);
  }
  if (!isObject(data)) throw new UsageError(`results file ${name} is not ipc-lab results: expected { schema, description, records }`);
  if (data.schema !== RECORD_SCHEMA && ![1, 2, 3, 4, 5, 6].includes(data.schema as number)) {
    const found = data.schema === undefined ? 'no schema' : `schema ${JSON.stringify(data.schema)}`;
    throw new UsageError(
      `results file ${name} has ${found}; this ipc-lab reads schema ${RECORD_SCHEMA} (and 1 to 6, from before codecs, messages, runtime versions, pairs, typed failures and read ways)`,
    );
  }
  const { description, records } = data;
  if (!isObject(description)) throw new UsageError(`results file ${name} has no description object`);
  if (data.schema === 1 && !('codecLibraries' in description)) description.codecLibraries = '';
  if (typeof data.schema === 'number' && data.schema < 4) Object.assign(description, { bun: null, deno: null }, description);
  const missing = DESCRIPTION_FIELDS.filter((field) => !(field in description));
  if (missing.length > 0) throw new UsageError(`results file ${name}: description lacks ${missing.join(', ')}`);
  if (!Array.isArray(records)) throw new UsageError(`results file ${name} has no records list`);
  records.forEach((record: unknown, index) => {
    if (!isObject(record)) throw new UsageError(`results file ${name}: record ${index} is not an object`);
    if (record.schema === 1) upgradeFromSchema1(record);
    else if (record.schema === 2) upgradeFromSchema2(record);
    else if (record.schema === 3) upgradeFromSchema3(record);
    else if (record.schema === 4) upgradeFromSchema4(record);
    else if (record.schema === 5) upgradeFromSchema5(record);
    else if (record.schema === 6) upgradeFromSchema6(record);
    for (const field of RECORD_FIELDS) {
      if (!(field in record)) throw new UsageError(`results file ${name}: record ${index} lacks field ${field}`);
      if (!fitsKind(record[field], FIELD_KINDS[field])) {
        throw new UsageError(
          `results file ${name}: record ${index} field ${field} is ${JSON.stringify(record[field])}, expected ${expectedOf(FIELD_KINDS[field])}`,
        );
      }
    }
    if (record.schema !== RECORD_SCHEMA) {
      throw new UsageError(
        `results file ${name}: record ${index} has schema ${JSON.stringify(record.schema)}; this ipc-lab reads schema ${RECORD_SCHEMA} (and 1 to 6, from before codecs, messages, runtime versions, pairs, typed failures and read ways)`,
      );
    }
  });
  return { description: description as unknown as RunDescription, records: records as TransferRecord[] };
}
