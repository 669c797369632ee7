/**
 * A plain list decoded after apache-arrow has loaded is still a fast array. apache-arrow gives its
 * prototypes a `Symbol.isConcatSpreadable`, which turns off V8's fast `Array.prototype.concat` for
 * the whole process: packed's decode joined its pieces with concat, so in a process that had used
 * the arrow codec (the bench's floor thread) a 10^8 list took the dictionary path and V8 aborted
 * the process. V8's own view of the array (%HasDictionaryElements) is asked in a child node.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

const REPO = path.join(__dirname, '..', '..');

const CHILD = `
const { CODECS } = require('./lib/measure/codecs/index');
const concat = (a) => a.concat(a);
const before = %HasDictionaryElements(concat([1, 2, 3]));
const list = Array.from({ length: (1 << 24) + 3 }, (_, i) => (i % 2001) - 1000);
CODECS.arrow.decode(Buffer.concat(CODECS.arrow.encode([1, 2, 3])), 'list');
const after = %HasDictionaryElements(concat([1, 2, 3]));
const decoded = CODECS.packed.decode(Buffer.concat(CODECS.packed.encode(list)), 'list');
let same = decoded.length === list.length;
for (let i = 0; same && i < list.length; i++) same = decoded[i] === list[i];
console.log(JSON.stringify({ before, after, dictionary: %HasDictionaryElements(decoded), same }));
`;

test('packed decodes a list of more than 2^24 elements into a fast array after the arrow codec has loaded apache-arrow', () => {
  const child = spawnSync(process.execPath, ['--allow-natives-syntax', '-r', './test/helpers/transpile-cache.cjs', '-e', CHILD], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const seen = JSON.parse(child.stdout.trim().split('\n').pop() as string);
  assert.deepEqual(
    { before: seen.before, after: seen.after },
    { before: false, after: true },
    'V8 turns concat to dictionary mode once apache-arrow has loaded (if this changes, packed.ts can concat again)',
  );
  assert.equal(seen.dictionary, false, 'the decoded list is a fast array');
  assert.equal(seen.same, true, 'every element decoded');
});
