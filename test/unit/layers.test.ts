/**
 * The folders of lib/ are layers and imports flow one way: model (records, formats) ← measure
 * (transports, peers, runners) ← sweep (plans, the one loop, results files) ← findings (records
 * in, typed findings out) ← notebook (figures, tables, the kernel); the CLI sits beside the
 * notebooks. Nothing in lib/ imports tools/ or test/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const LIB = path.join(__dirname, '..', '..', 'lib');

/** What each layer may import, besides itself. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  model: [],
  measure: ['model'],
  sweep: ['model', 'measure'],
  findings: ['model', 'sweep'],
  notebook: ['model', 'measure', 'sweep', 'findings'],
  cli: ['model', 'measure', 'sweep', 'findings'],
};

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative module a file names: static imports and exports, import(), require(). */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return found.map((spec) => path.relative(LIB, path.resolve(path.dirname(file), spec)));
}

test('every folder of lib/ is a layer the table knows', () => {
  const folders = fs
    .readdirSync(LIB, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  assert.deepEqual(folders.sort(), Object.keys(MAY_IMPORT).sort());
});

test('imports flow one way between the layers of lib/, and never out to tools/ or test/', () => {
  const wrong: string[] = [];
  for (const layer of Object.keys(MAY_IMPORT)) {
    for (const file of filesUnder(path.join(LIB, layer))) {
      for (const target of relativeImports(file)) {
        const to = target.split(path.sep)[0];
        if (to !== layer && !MAY_IMPORT[layer].includes(to)) wrong.push(`${path.relative(LIB, file)} imports ${target}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});
