/**
 * Every test/unit/*.test.ts in one process, each file as a suite named after it:
 *
 *   node -r ./test/helpers/transpile-cache.cjs --test test/unit-suite.ts      (npm run test:unit)
 *
 * Why one process: `node --test` gives each file a process of its own, and each one transpiled
 * the same ~80 modules of lib/ again and loaded danfojs again: that start-up, 3–5 s of CPU a file,
 * was two thirds of the unit run. Here each module is loaded once.
 *
 * A file's top-level `test`, `before`, `after` and `afterEach` are called while its suite's
 * function runs, so node:test attaches them to that suite: a file's hooks still wrap only its own
 * tests, and its `after` runs when its own tests are done, as it did in a process of its own. Any
 * single file still runs alone: `node -r ts-node/register/transpile-only --test test/unit/x.test.ts`
 * (or with the cached hook instead of ts-node).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe } from 'node:test';

const UNIT_DIR = path.join(__dirname, 'unit');

for (const file of fs
  .readdirSync(UNIT_DIR)
  .filter((name) => name.endsWith('.test.ts'))
  .sort()) {
  describe(file, () => {
    require(path.join(UNIT_DIR, file));
  });
}
