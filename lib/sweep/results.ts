/**
 * Results on disk: `<out>/records.json` (description + records, the file notebooks load) and
 * `<out>/records.csv` (records only, for spreadsheets and R). The exporters are pure functions
 * text ← records; the I/O around them writes each file atomically, so a sweep killed mid-write
 * leaves the previous complete file, never a truncated one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RECORD_SCHEMA, RunDescription, TransferRecord } from '../model/types';
import { UsageError } from '../model/usage-error';

/** What a value of a record field must be, for checking files we read back. */
type FieldKind = 'string' | 'number' | 'boolean' | 'number|null' | 'memory';

/** Every TransferRecord field in CSV column order, with its kind. */
const FIELD_KINDS = {
  schema: 'number',
  runId: 'string',
  runtime: 'string',
  transport: 'string',
  payload: 'string',
  sizeElements: 'number',
  repeat: 'number',
  warmup: 'boolean',
  ok: 'boolean',
  error: 'string',
  failedPhase: 'string',
  buildSeconds: 'number|null',
  encodeSeconds: 'number|null',
  decodeSeconds: 'number|null',
  sendSeconds: 'number|null',
  recvSeconds: 'number|null',
  totalSeconds: 'number|null',
  verifySeconds: 'number|null',
  bytes: 'number|null',
  senderPeakRssBytes: 'number|null',
  receiverPeakRssBytes: 'number|null',
  brokerPeakRssBytes: 'number|null',
  heapLimitMb: 'number|null',
  memory: 'memory',
  startedAt: 'string',
} satisfies Record<keyof TransferRecord, FieldKind>;

/** The CSV header: every TransferRecord key, in a fixed order (the order of the interface). */
export const RECORD_FIELDS = Object.keys(FIELD_KINDS) as (keyof TransferRecord)[];

/** Every RunDescription key; a results file must have them all. */
const DESCRIPTION_FIELDS: readonly (keyof RunDescription)[] = [
  'schema', 'runId', 'ipcLabVersion', 'gitCommit', 'node', 'v8', 'python', 'os', 'kernel', 'arch',
  'cpuModel', 'cores', 'memoryBytes', 'date', 'commandLine', 'label',
];

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
    default:
      return typeof value === kind;
  }
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
  if (data.schema !== RECORD_SCHEMA) {
    const found = data.schema === undefined ? 'no schema' : `schema ${JSON.stringify(data.schema)}`;
    throw new UsageError(`results file ${name} has ${found}; this ipc-lab reads schema ${RECORD_SCHEMA}`);
  }
  const { description, records } = data;
  if (!isObject(description)) throw new UsageError(`results file ${name} has no description object`);
  const missing = DESCRIPTION_FIELDS.filter((field) => !(field in description));
  if (missing.length > 0) throw new UsageError(`results file ${name}: description lacks ${missing.join(', ')}`);
  if (!Array.isArray(records)) throw new UsageError(`results file ${name} has no records list`);
  records.forEach((record: unknown, index) => {
    if (!isObject(record)) throw new UsageError(`results file ${name}: record ${index} is not an object`);
    for (const field of RECORD_FIELDS) {
      if (!(field in record)) throw new UsageError(`results file ${name}: record ${index} lacks field ${field}`);
      if (!fitsKind(record[field], FIELD_KINDS[field])) {
        throw new UsageError(
          `results file ${name}: record ${index} field ${field} is ${JSON.stringify(record[field])}, expected ${FIELD_KINDS[field]}`,
        );
      }
    }
    if (record.schema !== RECORD_SCHEMA) {
      throw new UsageError(`results file ${name}: record ${index} has schema ${JSON.stringify(record.schema)}; this ipc-lab reads schema ${RECORD_SCHEMA}`);
    }
  });
  return { description: description as unknown as RunDescription, records: records as TransferRecord[] };
}

/**
 * Replace `target` with `content` so that a reader (or a crash) sees the old file or the new one,
 * never half of one: write a uniquely named temp file in the same directory (rename is atomic only
 * within one file system), fsync it, rename it over the target, then fsync the directory so the
 * rename itself survives a power cut.
 */
export function writeFileAtomic(target: string, content: string): void {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  try {
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Some systems cannot fsync a directory; the file itself is already complete.
  }
}

/** The two files a results directory holds. */
export interface ResultPaths {
  jsonPath: string;
  csvPath: string;
}

/** Temp files of writeFileAtomic: `.<name>.<pid>.<random>.tmp`. */
const TEMP_NAME = /^\.(records\.json|records\.csv)\.(\d+)\.[0-9a-f]+\.tmp$/;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** Remove temp files left in `dir` by writers that were killed mid-write (their pid is gone). */
export function removeStaleTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const match = TEMP_NAME.exec(name);
    if (match && !processIsAlive(Number(match[2]))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Write `<outDir>/records.json` and `<outDir>/records.csv` atomically, creating outDir if needed
 * and clearing temp files that a killed earlier writer left there.
 */
export function writeResults(outDir: string, description: RunDescription, records: readonly TransferRecord[]): ResultPaths {
  fs.mkdirSync(outDir, { recursive: true, mode: 0o755 });
  removeStaleTemps(outDir);
  const paths = { jsonPath: path.join(outDir, 'records.json'), csvPath: path.join(outDir, 'records.csv') };
  writeFileAtomic(paths.jsonPath, resultsToJson(description, records));
  writeFileAtomic(paths.csvPath, recordsToCsv(records));
  return paths;
}

/** Load results from a results directory or a records.json path. */
export function loadResults(resultsPath: string): Results {
  let file = resultsPath;
  let isDirectory = false;
  try {
    isDirectory = fs.statSync(file).isDirectory();
  } catch {
    // Missing: reported below with the path that was asked for.
  }
  if (isDirectory) file = path.join(file, 'records.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new UsageError(`results file ${JSON.stringify(file)} does not exist: give a results directory or its records.json (e.g. data/results/<sweep>)`);
    }
    throw new UsageError(`results file ${JSON.stringify(file)} cannot be read: ${(error as Error).message}`);
  }
  return parseResults(text, file);
}
