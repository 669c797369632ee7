import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articlePhases, articlePipeSweep, articleSummary, parseCsv } from '../../lib/findings/article';
import { CPYTHON_TRANSPORTS } from '../../lib/model/catalog';

const articleRowFor = (method: string) => articleSummary().find((r) => r.method === method);

test('the summary has the seven methods at 10^8, matching the catalog', () => {
  const rows = articleSummary();
  assert.deepEqual(
    rows.map((r) => r.method),
    ['Queue', 'Pipe', 'shared memory (Array)', 'Manager', 'RawArray', 'File', 'socket'],
  );
  for (const r of rows) {
    assert.equal(r.sizeElements, 1e8);
    const cpython = CPYTHON_TRANSPORTS.find((t) => t.id === r.transport);
    assert.ok(cpython, `${r.transport} is a CPython transport`);
    assert.equal(cpython.articleMethod, r.method);
    assert.equal(cpython.needsFlag, r.needsFlag, `${r.method}: needsFlag agrees with the catalog`);
  }
  assert.equal(articleRowFor('RawArray')?.transport, 'raw-array');
  assert.equal(articleRowFor('RawArray')?.sendNote, 'including numpy');
  assert.equal(articleRowFor('socket')?.transport, 'tcp');
  assert.equal(articleRowFor('socket')?.recvSeconds, 5.34);
});

test('the logged phases add up to the summary where the article says so', () => {
  const phases = articlePhases();
  const seconds = (method: string, phase: string) => phases.find((p) => p.method === method && p.phase === phase)!.seconds;
  assert.equal(
    Math.round((seconds('RawArray', 'encode') + seconds('RawArray', 'send')) * 100) / 100,
    articleRowFor('RawArray')!.sendSeconds,
  );
  assert.equal(Math.round((seconds('socket', 'encode') + seconds('socket', 'send')) * 100) / 100, articleRowFor('socket')!.sendSeconds);
  assert.equal(Math.round(seconds('Pipe', 'send') * 100) / 100, articleRowFor('Pipe')!.sendSeconds);
});

test('the pipe sweep has the five sizes, smallest first', () => {
  const sweep = articlePipeSweep();
  assert.deepEqual(
    sweep.map((r) => r.sizeElements),
    [10, 1e5, 1e6, 1e7, 1e8],
  );
  assert.deepEqual(sweep[4], { sizeElements: 1e8, sendSeconds: 3.2228, recvSeconds: 6.4095 });
});

test('parseCsv handles quotes, doubled quotes, line breaks inside quotes, CRLF and an empty last field', () => {
  assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n'), [{ a: 'x, y', b: 'say "hi"' }]);
  assert.deepEqual(parseCsv('a,b\n"two\nlines",'), [{ a: 'two\nlines', b: '' }]);
  assert.throws(() => parseCsv('a,b\n1\n'), /row 2 has 1 fields/);
  assert.throws(() => parseCsv('a,b\nx"y,1\n'), /stray or unclosed quote at character 4/);
});
