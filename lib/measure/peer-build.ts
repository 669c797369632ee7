import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../model/paths';

/**
 * Peers start as plain JavaScript. Type-checking ts-node costs seconds per process and even
 * transpile-only ts-node loads the TypeScript compiler into every peer (≈ 0.35 s each, more on a
 * busy machine, three times for a thread host); compiled once, a peer starts in ≈ 0.05 s. So the
 * peer's code is compiled with tsc into build/ (tsconfig.build.json), and compiled again whenever
 * a file of lib/ is newer than that build. If tsc cannot run, peers fall back to ts-node.
 */
/** The peer's entry point, relative to the repository (its compiled twin sits at the same place under build/). */
const PEER_SOURCE = path.join('lib', 'measure', 'peer.ts');
const BUILD_DIR = path.join(REPO_ROOT, 'build');
const STAMP = path.join(BUILD_DIR, '.built-from-lib');

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** How to start a peer: `node [nodeArgs] entry <config>`. */
export interface PeerLaunch {
  entry: string;
  /** ts-node's register hook when the peer runs from source. */
  nodeArgs: string[];
  compiled: boolean;
}

let cached: PeerLaunch | null = null;

/** The compiled peer, built now if lib/ changed since the last build. */
export function peerLaunch(): PeerLaunch {
  if (cached?.compiled && fs.existsSync(STAMP) && fs.statSync(STAMP).mtimeMs >= newestSourceMs(path.join(REPO_ROOT, 'lib'))) {
    return cached;
  }
  const compiledEntry = path.join(BUILD_DIR, PEER_SOURCE.replace(/\.ts$/, '.js'));
  try {
    const stale = !fs.existsSync(STAMP) || fs.statSync(STAMP).mtimeMs < newestSourceMs(path.join(REPO_ROOT, 'lib'));
    if (stale) build();
    cached = { entry: compiledEntry, nodeArgs: [], compiled: true };
  } catch (error) {
    process.stderr.write(`ipc-lab: cannot compile the peers (${(error as Error).message.split('\n')[0]}); running them with ts-node\n`);
    cached = {
      entry: path.join(REPO_ROOT, PEER_SOURCE),
      nodeArgs: ['-r', require.resolve('ts-node/register/transpile-only')],
      compiled: false,
    };
  }
  return cached;
}

/** Compile into a private dir, then swap it in, so a concurrent sweep never sees half a build. */
function build(): void {
  const startedMs = Date.now();
  const scratch = fs.mkdtempSync(path.join(REPO_ROOT, '.build-'));
  try {
    const tsc = require.resolve('typescript/bin/tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', path.join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', scratch], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // Exit status 2 is tsc's "type errors, output written": the JavaScript is still right to run
      // (npm test's type-check is where type errors are caught), so only a missing output fails.
      if ((error as { status?: number }).status !== 2 || !fs.existsSync(path.join(scratch, PEER_SOURCE.replace(/\.ts$/, '.js'))))
        throw error;
    }
    // Deno reads a .js file as CommonJS only where a package.json says so (Node and Bun need no telling).
    fs.writeFileSync(path.join(scratch, 'package.json'), '{ "type": "commonjs", "private": true }\n');
    fs.writeFileSync(path.join(scratch, '.built-from-lib'), new Date().toISOString());
    fs.rmSync(BUILD_DIR, { recursive: true, force: true });
    fs.renameSync(scratch, BUILD_DIR);
  } catch (error) {
    const output = String((error as { stdout?: Buffer }).stdout ?? '').trim();
    throw new Error(output || (error as Error).message);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  process.stderr.write(`ipc-lab: compiled the peers into build/ in ${((Date.now() - startedMs) / 1000).toFixed(1)} s (lib/ changed)\n`);
}
