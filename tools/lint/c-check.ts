/**
 * The C part of `npm run lint`: every native/*.c compiled with `-fsyntax-only -Wall -Wextra -Werror`
 * against Node's headers — the warnings binding.gyp makes errors, so one would also fail `npm ci`'s
 * build — in a fraction of a second per file, with no build directory. One line per problem
 * ("native/x.c:12:5: error: unused variable 'n' [-Werror=unused-variable]"), exit status 1; a
 * missing compiler or missing headers is one line too.
 *
 *   node_modules/.bin/ts-node tools/lint/c-check.ts [dir]   (default: native/; npm run lint runs it)
 *
 * CC picks the compiler (default cc, as for node-gyp's make); Node's headers are found where
 * node-gyp takes them from (nodeIncludeDirs).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, shownPath } from '../../lib/model/paths';

/** The warnings every native target is built with (native/binding.gyp), errors here as there. */
export const C_WARNING_FLAGS = ['-Wall', '-Wextra', '-Werror'] as const;

/** How long one file may take to compile before the check gives up on it (a compiler that hangs). */
const COMPILE_TIMEOUT_MS = 60_000;

/** Where a lint run looks for things: the process's, unless a test gives its own. */
export interface CCheckContext {
  env: NodeJS.ProcessEnv;
  /** The running node binary: its install prefix may hold the headers (prefix/include/node). */
  execPath: string;
  /** The running node's version without the "v": node-gyp's header cache has a folder per version. */
  nodeVersion: string;
  homeDir: string;
}

const PROCESS_CONTEXT: CCheckContext = {
  env: process.env,
  execPath: process.execPath,
  nodeVersion: process.versions.node,
  homeDir: os.homedir(),
};

/**
 * The folders that may hold node_api.h, where node-gyp takes them from: the nodedir npm passes on
 * (`--nodedir` or .npmrc's nodedir, seen as npm_config_nodedir), node-gyp's download cache
 * (npm_config_devdir, else $XDG_CACHE_HOME or ~/.cache, then node-gyp/<version>), and the running
 * node's own install prefix (an official tarball or a distribution's package ships them there).
 */
export function nodeIncludeDirs(context: CCheckContext = PROCESS_CONTEXT): string[] {
  const { env, homeDir } = context;
  const dirs: string[] = [];
  const nodedir = env.npm_config_nodedir?.trim();
  if (nodedir) dirs.push(path.join(path.resolve(nodedir.replace(/^~/, homeDir)), 'include', 'node'));
  const cache = env.XDG_CACHE_HOME?.trim() || path.join(homeDir, '.cache');
  const devdir = env.npm_config_devdir?.trim() || path.join(cache, 'node-gyp');
  dirs.push(path.join(path.resolve(devdir.replace(/^~/, homeDir)), context.nodeVersion, 'include', 'node'));
  dirs.push(path.join(path.dirname(path.dirname(context.execPath)), 'include', 'node'));
  return [...new Set(dirs)];
}

/** The first of `dirs` that holds node_api.h, or an Error whose one line names every place looked. */
export function findNodeInclude(dirs: readonly string[]): string | Error {
  const found = dirs.find((dir) => fs.existsSync(path.join(dir, 'node_api.h')));
  if (found) return found;
  return new Error(
    `Node's headers (node_api.h) are in none of ${dirs.map(shownPath).join(', ')}: ` +
      'run `npm ci` (node-gyp fetches them) or set npm_config_nodedir to a Node install or source dir',
  );
}

/**
 * The problems in a compiler's stderr, one line each: the lines that carry a place and a severity
 * (file:line[:column]: error|warning|fatal error: …). The context lines around them (the source line,
 * the caret, "In function", notes, "all warnings being treated as errors") are dropped.
 */
export function problemLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^[^:\s][^:]*:\d+(?::\d+)?: (?:fatal error|error|warning): /.test(line));
}

/** Every C file directly in `dir`, sorted: what binding.gyp may list. */
export function cSources(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.c'))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Compile each file for syntax and warnings only. Returns the problem lines (empty: all clean), or
 * an Error when the check itself cannot run (no compiler, no headers, no C file).
 */
export function checkC(sourceDir: string = path.join(REPO_ROOT, 'native'), context: CCheckContext = PROCESS_CONTEXT): string[] | Error {
  const include = findNodeInclude(nodeIncludeDirs(context));
  if (include instanceof Error) return include;
  if (!fs.statSync(sourceDir, { throwIfNoEntry: false })?.isDirectory()) return new Error(`${shownPath(sourceDir)} is not a folder`);
  const files = cSources(sourceDir);
  if (files.length === 0) return new Error(`no C file in ${shownPath(sourceDir)}`);
  // CC is a command line, as make reads it: "ccache gcc" or "clang -m64" are fine.
  const [compiler, ...compilerArgs] = (context.env.CC?.trim() || 'cc').split(/\s+/);
  // A Set: a problem in a header that several files include is one problem.
  const problems = new Set<string>();
  for (const file of files) {
    const shown = shownPath(file);
    const args = [...compilerArgs, '-fsyntax-only', ...C_WARNING_FLAGS, '-fdiagnostics-color=never', '-I', include, shown];
    // LC_ALL=C: plain ASCII quotes in the messages, the same on every machine.
    const run = spawnSync(compiler, args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...context.env, LC_ALL: 'C' },
      timeout: COMPILE_TIMEOUT_MS,
    });
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      return new Error(`the C compiler ${compiler} is not on PATH: install gcc or clang, or set CC to one`);
    }
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
      return new Error(`${compiler} took over ${COMPILE_TIMEOUT_MS / 1000} s on ${shown} and was stopped`);
    }
    if (run.error) return new Error(`${compiler} on ${shown}: ${run.error.message}`);
    if (run.status === 0) continue;
    const found = problemLines(run.stderr);
    // A failure with no located problem (a bad flag, a crash) still gets its one line.
    const first = run.stderr.split('\n').find((line) => line.trim() !== '') ?? `exit status ${run.status ?? run.signal}`;
    for (const line of found.length > 0 ? found : [`${shown}: ${compiler} failed: ${first}`]) problems.add(line);
  }
  return [...problems];
}

function main(): number {
  if (process.argv.length > 3) {
    process.stderr.write(
      `c-check: one folder at most, not ${process.argv.length - 2} arguments (usage: c-check.ts [dir], default native/)\n`,
    );
    return 2;
  }
  const sourceDir = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'native'));
  const result = checkC(sourceDir);
  if (result instanceof Error) {
    process.stderr.write(`c-check: ${result.message}\n`);
    return 1;
  }
  if (result.length > 0) {
    process.stderr.write(`${result.join('\n')}\n`);
    const plural = result.length === 1 ? '' : 's';
    process.stderr.write(`c-check: ${result.length} problem${plural} in ${shownPath(sourceDir)}/*.c (${C_WARNING_FLAGS.join(' ')})\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main();
