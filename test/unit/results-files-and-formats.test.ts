import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { blankRecord, RECORD_FIELDS } from '../../lib/model/record';
import { RECORD_SCHEMA, type RunDescription, type TransferRecord } from '../../lib/model/types';
import { UsageError } from '../../lib/model/usage-error';
import { loadResults, writeFileAtomic, writeResults } from '../../lib/sweep/results-files';
import { csvCell, parseResults, recordsToCsv, resultsToJson } from '../../lib/sweep/results-format';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-export-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const description: RunDescription = {
  schema: 1,
  runId: 'r1',
  ipcLabVersion: '0.1.0',
  gitCommit: 'abc',
  node: '20.0.0',
  v8: '11.3',
  python: null,
  bun: null,
  deno: null,
  os: 'Linux',
  kernel: '6.1',
  arch: 'x64',
  cpuModel: 'Test CPU',
  cores: 2,
  memoryBytes: 1024,
  date: '2024-03-05T14:07:09.000Z',
  commandLine: 'npm run sweep',
  label: 'a "quoted", label',
  codecLibraries: '',
};

function record(overrides: Partial<TransferRecord> = {}): TransferRecord {
  const r = blankRecord(
    { runtime: 'node', transport: 'pipe', payload: 'list', sizeElements: 10 },
    { runId: 'r1', repeat: 0, warmup: false },
  );
  r.startedAt = '2024-03-05T14:07:09.000Z';
  return Object.assign(r, overrides);
}

test('CSV cells: RFC 4180 quoting of commas, quotes and newlines; null is empty', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('line1\nline2'), '"line1\nline2"');
  assert.equal(csvCell('cr\r'), '"cr\r"');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(false), 'false');
  assert.equal(csvCell(0.25), '0.25');
  assert.equal(csvCell(0), '0');
});

test('CSV: fixed header, one row per record, CRLF line ends', () => {
  const ok = record({ ok: true, totalSeconds: 1.5, bytes: 40, heapLimitMb: 256, memory: 'fresh' });
  const failed = record({ repeat: 1, error: 'bad "frame", then\nEOF', failedPhase: 'transfer' });
  const csv = recordsToCsv([ok, failed]);
  const header =
    'schema,runId,runtime,runtimeVersion,senderRuntime,receiverRuntime,receiverRuntimeVersion,transport,payload,codec,' +
    'sizeElements,repeat,warmup,ok,error,failedPhase,buildSeconds,' +
    'encodeSeconds,decodeSeconds,sendSeconds,recvSeconds,totalSeconds,verifySeconds,bytes,senderPeakRssBytes,' +
    'receiverPeakRssBytes,brokerPeakRssBytes,heapLimitMb,memory,copies,firstTouch,readWay,startedAt,pattern,messageBytes,roundTripP50Seconds,' +
    'roundTripP90Seconds,roundTripP99Seconds,roundTripP999Seconds,roundTripMaxSeconds,roundTripMeanSeconds,' +
    'messagesPerSecond,bytesPerSecond,senderCpuSecondsPerMessage,receiverCpuSecondsPerMessage,histogram';
  const noMessages = ',transfer,,,,,,,,,,,,';
  assert.equal(
    csv,
    `${header}\r\n` +
      `7,r1,node,,node,node,,pipe,list,v8,10,0,false,true,,,,,,,,1.5,,40,,,,256,fresh,,n/a,n/a,2024-03-05T14:07:09.000Z${noMessages}\r\n` +
      '7,r1,node,,node,node,,pipe,list,v8,10,1,false,false,"bad ""frame"", then\nEOF",transfer,' +
      `,,,,,,,,,,,,n/a,,n/a,n/a,2024-03-05T14:07:09.000Z${noMessages}\r\n`,
  );
  assert.equal(RECORD_FIELDS.length, 46);
});

test('JSON round trip keeps every field, nulls included', () => {
  const records = [record({ ok: true, totalSeconds: 0.001, sendSeconds: null }), record({ repeat: 1, warmup: true })];
  const text = resultsToJson(description, records);
  assert.equal(JSON.parse(text).schema, RECORD_SCHEMA);
  const back = parseResults(text, 'x.json');
  assert.deepEqual(back, { description, records });
});

function rejects(text: string, fragment: string): void {
  assert.throws(
    () => parseResults(text, 'runs/x.json'),
    (e: unknown) => e instanceof UsageError && e.message.includes(fragment) && !e.message.includes('\n'),
    fragment,
  );
}

test('a truncated or non-JSON file is rejected, naming the file', () => {
  const text = resultsToJson(description, [record()]);
  rejects(text.slice(0, Math.floor(text.length / 2)), 'results file "runs/x.json" is truncated or not JSON:');
  rejects('', 'is truncated or not JSON');
  rejects('[1, 2]', 'is not ipc-lab results');
});

test("schema 1 results (before codecs) load, each record gaining its transport's analog codec", () => {
  const old = (r: TransferRecord) => {
    const { codec, ...rest } = r;
    return { ...rest, schema: 1 };
  };
  const records = [
    record({}),
    record({ transport: 'queue' }),
    record({ runtime: 'cpython', transport: 'pipe' }),
    record({ transport: 'raw-array' }),
  ];
  const text = JSON.stringify({ schema: 1, description, records: records.map(old) });
  const back = parseResults(text, 'old.json');
  assert.deepEqual(
    back.records.map((r) => [r.schema, r.codec]),
    [
      [RECORD_SCHEMA, 'v8'],
      [RECORD_SCHEMA, 'clone'],
      [RECORD_SCHEMA, 'pickle'],
      [RECORD_SCHEMA, 'none'],
    ],
  );
});

test('schema 2 results (before message patterns) load as transfers with no message measures', () => {
  const old = (r: TransferRecord) => {
    const { pattern, messageBytes, histogram, roundTripP50Seconds, messagesPerSecond, ...rest } = r;
    return { ...rest, schema: 2 };
  };
  const text = JSON.stringify({ schema: 2, description, records: [record({ ok: true, totalSeconds: 2 })].map(old) });
  const [back] = parseResults(text, 'v2.json').records;
  assert.deepEqual(
    [back.schema, back.pattern, back.messageBytes, back.histogram, back.roundTripP50Seconds, back.messagesPerSecond, back.totalSeconds],
    [RECORD_SCHEMA, 'transfer', null, '', null, null, 2],
  );
});

test('schema 3 results (before runtime versions) load with an unknown version and no Bun or Deno', () => {
  const { bun, deno, ...oldDescription } = description;
  const { runtimeVersion, ...oldRecord } = record({ ok: true, totalSeconds: 2 });
  const text = JSON.stringify({ schema: 3, description: { ...oldDescription, schema: 3 }, records: [{ ...oldRecord, schema: 3 }] });
  const back = parseResults(text, 'v3.json');
  assert.deepEqual([back.records[0].schema, back.records[0].runtimeVersion, back.records[0].totalSeconds], [RECORD_SCHEMA, '', 2]);
  assert.deepEqual([back.description.bun, back.description.deno], [null, null]);
});

test('schema 4 results (before pairs and copies) load with both runtimes the record’s own and copies unknown', () => {
  const { senderRuntime, receiverRuntime, receiverRuntimeVersion, copies, firstTouch, ...oldRecord } = record({
    ok: true,
    totalSeconds: 2,
  });
  const text = JSON.stringify({ schema: 4, description: { ...description, schema: 4 }, records: [{ ...oldRecord, schema: 4 }] });
  const [back] = parseResults(text, 'v4.json').records;
  assert.deepEqual(
    [back.schema, back.senderRuntime, back.receiverRuntime, back.receiverRuntimeVersion, back.copies, back.firstTouch],
    [RECORD_SCHEMA, 'node', 'node', '', null, 'n/a'],
  );
});

test('schema 6 results (before read ways) load with the read way not said', () => {
  const { readWay, ...oldRecord } = record({ ok: true, totalSeconds: 2 });
  const text = JSON.stringify({ schema: 6, description: { ...description, schema: 6 }, records: [{ ...oldRecord, schema: 6 }] });
  const [back] = parseResults(text, 'v6.json').records;
  assert.deepEqual([back.schema, back.readWay, back.totalSeconds], [RECORD_SCHEMA, 'n/a', 2]);
});

test('another schema is rejected with both numbers', () => {
  const data = JSON.parse(resultsToJson(description, [record()]));
  rejects(JSON.stringify({ ...data, schema: 8 }), 'results file "runs/x.json" has schema 8; this ipc-lab reads schema 7');
  rejects(JSON.stringify({ ...data, schema: undefined }), 'has no schema; this ipc-lab reads schema 7');
});

test('missing or mistyped fields are rejected, naming record and field', () => {
  const data = JSON.parse(resultsToJson(description, [record(), record()]));
  delete data.records[1].totalSeconds;
  rejects(JSON.stringify(data), 'record 1 lacks field totalSeconds');
  data.records[1].totalSeconds = null;
  data.records[0].ok = 'yes';
  rejects(JSON.stringify(data), 'record 0 field ok is "yes", expected boolean');
  data.records[0].ok = true;
  data.records[0].memory = 'warm';
  rejects(JSON.stringify(data), 'field memory is "warm", expected fresh, reused or n/a');
  data.records[0].memory = 'fresh';
  data.records[0].failedPhase = 'receive';
  rejects(JSON.stringify(data), `field failedPhase is "receive", expected '' or one of limits, spawn, build, ready, transfer, verify`);
  delete data.description.gitCommit;
  rejects(JSON.stringify(data), 'description lacks gitCommit');
});

test('writeResults writes both files, leaves no temp file, and loads back from dir or file', () => {
  const outDir = path.join(scratch, 'sweep', 'nested');
  const records = [record({ ok: true, totalSeconds: 2 })];
  writeResults(outDir, description, []);
  const paths = writeResults(outDir, description, records); // the second write replaces the first
  assert.deepEqual(fs.readdirSync(outDir).sort(), ['records.csv', 'records.json']);
  assert.equal(paths.jsonPath, path.join(outDir, 'records.json'));
  assert.deepEqual(loadResults(outDir), { description, records });
  assert.deepEqual(loadResults(paths.jsonPath).records, records);
  assert.equal(fs.readFileSync(paths.csvPath, 'utf8'), recordsToCsv(records));
});

test('a failed atomic write removes its temp file and leaves the target alone', () => {
  const dir = path.join(scratch, 'blocked');
  const target = path.join(dir, 'records.json');
  fs.mkdirSync(path.join(target, 'occupied'), { recursive: true }); // a non-empty directory: rename must fail
  assert.throws(() => writeFileAtomic(target, '{}'));
  assert.deepEqual(fs.readdirSync(dir), ['records.json']);
  assert.ok(fs.statSync(target).isDirectory());
});

test("stale temp files of dead writers are removed; a live writer's are kept", () => {
  const dir = path.join(scratch, 'stale');
  fs.mkdirSync(dir);
  const dead = '.records.json.999999999.abc123.tmp'; // above any Linux pid_max
  const live = `.records.csv.${process.pid}.def456.tmp`;
  for (const name of [dead, live, 'notes.tmp']) fs.writeFileSync(path.join(dir, name), 'partial');
  writeResults(dir, description, []);
  assert.deepEqual(fs.readdirSync(dir).sort(), [live, 'notes.tmp', 'records.csv', 'records.json']);
});

test('loadResults names a missing file', () => {
  const missing = path.join(scratch, 'nope');
  assert.throws(() => loadResults(missing), new RegExp(`results file "${missing}" does not exist`));
  const empty = path.join(scratch, 'empty');
  fs.mkdirSync(empty);
  assert.throws(() => loadResults(empty), /records\.json" does not exist/);
});
