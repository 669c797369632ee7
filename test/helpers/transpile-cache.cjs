'use strict';
/**
 * The tests' TypeScript hook: `node -r ./test/helpers/transpile-cache.cjs …` runs .ts files as
 * `ts-node/register/transpile-only` does (TypeScript's transpileModule with tsconfig.json's
 * compilerOptions, no type-check: `tsc --noEmit` is its own step of npm test), but keeps each
 * file's JavaScript on disk, keyed by a hash of everything that goes into it.
 *
 * Why: ts-node keeps no cache, so every process transpiles every module it loads again, about
 * 35 ms of CPU each; a test file, or a CLI that a system test starts, loads 70 to 90 modules of
 * lib/, so it spent 2–4 s of CPU on that before its first line ran (and, on a busy machine, its
 * "within 5 s" limit). With the cache a process pays it only for a file that changed, and the
 * compiler itself is loaded only then.
 *
 * JavaScript, not TypeScript: it is what makes TypeScript loadable, so it cannot be TypeScript.
 * The cache lives in node_modules/.cache/ipc-lab-ts/ (where tools keep such caches; `npm ci`
 * removes it with node_modules), or in $IPC_LAB_TS_CACHE. A cache that cannot be read or written
 * (a read-only checkout, a test's CLI run as `nobody`) only costs the time: the file is transpiled
 * and run all the same. Stack traces point into the .ts files (inline source maps, Node's own
 * support).
 */
const crypto = require('node:crypto');
// Bound now: tests replace fs's methods with mocks (mock.method(fs, 'writeFileSync', …)), and a
// module loaded while one is in place must still be read and cached through the real ones.
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TSCONFIG = path.join(REPO_ROOT, 'tsconfig.json');
const CACHE_DIR = process.env.IPC_LAB_TS_CACHE || path.join(REPO_ROOT, 'node_modules', '.cache', 'ipc-lab-ts');

/** What every file's output depends on besides its own text: the compiler's version, the options, this hook. */
const SETTINGS_HASH = crypto
  .createHash('sha256')
  .update(readFileSync(require.resolve('typescript/package.json'), 'utf8'))
  .update(readFileSync(TSCONFIG, 'utf8'))
  .update(readFileSync(__filename, 'utf8'))
  .digest('hex');

/** The compiler and the options, loaded on the first file that is not in the cache. */
let compiler = null;

function loadCompiler() {
  if (compiler !== null) return compiler;
  const ts = require('typescript');
  const read = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
  if (read.error) throw new Error(`${TSCONFIG}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, REPO_ROOT, undefined, TSCONFIG);
  // As ts-node sets them (noEmit would emit nothing); the map goes inline, where Node finds it.
  Object.assign(options, { noEmit: false, declaration: false, sourceMap: false, inlineSourceMap: true, inlineSources: true });
  compiler = { ts, options };
  return compiler;
}

function transpile(source, fileName) {
  const { ts, options } = loadCompiler();
  const output = ts.transpileModule(source, { fileName, compilerOptions: options, reportDiagnostics: true });
  // transpileModule reports syntax errors only; ts-node refuses to run a file that has them.
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO_ROOT, getNewLine: () => '\n' };
    throw new SyntaxError(`cannot transpile ${fileName}:\n${ts.formatDiagnostics(errors, host)}`);
  }
  return output.outputText;
}

/** The JavaScript of one .ts file: from the cache, or transpiled now and stored for the next process. */
function javascriptOf(source, fileName) {
  const key = crypto.createHash('sha256').update(SETTINGS_HASH).update(fileName).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE_DIR, key.slice(0, 2), `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  const javascript = transpile(source, fileName);
  // Written aside and renamed: a process that reads the entry sees all of it or none.
  const partial = `${cached}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(cached), { recursive: true });
    writeFileSync(partial, javascript);
    renameSync(partial, cached);
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // nothing was written
    }
  }
  return javascript;
}

process.setSourceMapsEnabled(true);
require.extensions['.ts'] = (module, fileName) => {
  // Like ts-node: packages are not ours to transpile.
  if (fileName.split(path.sep).includes('node_modules')) return require.extensions['.js'](module, fileName);
  module._compile(javascriptOf(readFileSync(fileName, 'utf8'), fileName), fileName);
};
