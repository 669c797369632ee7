import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../model/paths';
import type { JsRuntime } from '../../model/types';

/**
 * The JavaScript runtimes that run ipc-lab's peers: Node (the one running this code), Bun and
 * Deno (from the npm packages `bun` and `deno`, pinned in package.json, whose binaries land in
 * node_modules/.bin). Each starts the same compiled peer (build/lib/measure/peer.js); this module
 * says how: the binary, the flags before the script, the heap limit each understands, its version.
 * IPC_LAB_BUN and IPC_LAB_DENO name another binary.
 */
export interface JsEngine {
  readonly runtime: JsRuntime;
  /** The environment variable that names another binary (null for Node: the one running this code). */
  readonly binaryVariable: string | null;
  /** The binary's absolute path, or null when it is not installed. */
  binary(): string | null;
  /** The runtime's version ("20.20.2"), or '' when the binary is missing or does not answer. */
  version(): string;
  /** The arguments before the peer's script: the runtime's run command and its heap limit. */
  argsBefore(heapLimitMb: number): string[];
  /**
   * Whether --max-old-space-size (V8's old-space limit) reaches this runtime's heap. Bun runs on
   * JavaScriptCore, which has no such limit: its records keep heapLimitMb null.
   */
  readonly heapLimit: boolean;
}

const versions = new Map<string, string>();

/** `binary --version`, once per binary: the first line's last dotted number. */
function askVersion(binary: string | null): string {
  if (!binary) return '';
  const known = versions.get(binary);
  if (known !== undefined) return known;
  let version = '';
  try {
    const text = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    version = /(\d+\.\d+\.\d+[\w.-]*)/.exec(text.split('\n')[0])?.[1] ?? '';
  } catch {
    /* a binary that does not answer: '' says so */
  }
  versions.set(binary, version);
  return version;
}

/** An installed binary of node_modules/.bin (resolved to the real file), unless the variable names another. */
function installed(variable: string, name: string): string | null {
  const chosen = process.env[variable];
  const candidate = chosen && chosen.trim() !== '' ? path.resolve(chosen) : path.join(REPO_ROOT, 'node_modules', '.bin', name);
  try {
    const real = fs.realpathSync(candidate);
    fs.accessSync(real, fs.constants.X_OK);
    return real;
  } catch {
    return null;
  }
}

export const NODE_ENGINE: JsEngine = {
  runtime: 'node',
  binaryVariable: null,
  binary: () => process.execPath,
  version: () => process.versions.node,
  argsBefore: (heapLimitMb) => [`--max-old-space-size=${heapLimitMb}`],
  heapLimit: true,
};

/** A runtime installed from npm: its binary in node_modules/.bin, unless `variable` names another. */
function installedEngine(runtime: 'bun' | 'deno', variable: string, argsBefore: JsEngine['argsBefore'], heapLimit: boolean): JsEngine {
  const engine: JsEngine = {
    runtime,
    binaryVariable: variable,
    binary: () => installed(variable, runtime),
    version: () => askVersion(engine.binary()),
    argsBefore,
    heapLimit,
  };
  return engine;
}

export const BUN_ENGINE = installedEngine('bun', 'IPC_LAB_BUN', () => [], false);

// Every permission (the peers open files, sockets, /dev/shm, the addon, child processes), no
// deno.lock written, and V8's heap limit through --v8-flags. Deno must see build/package.json
// (it says the peers are CommonJS), so its config lookup stays on.
export const DENO_ENGINE = installedEngine(
  'deno',
  'IPC_LAB_DENO',
  (heapLimitMb) => ['run', '--allow-all', '--no-lock', `--v8-flags=--max-old-space-size=${heapLimitMb}`],
  true,
);

export const ENGINES: Readonly<Record<JsRuntime, JsEngine>> = { node: NODE_ENGINE, bun: BUN_ENGINE, deno: DENO_ENGINE };

/** Why this runtime cannot start peers here, or null: its binary is missing. */
export function engineProblem(engine: JsEngine): string | null {
  if (engine.binary()) return null;
  // A binary named by its variable (read as installed() reads it) is that variable's problem, not the npm package's.
  const chosen = engine.binaryVariable ? process.env[engine.binaryVariable] : undefined;
  if (engine.binaryVariable && chosen && chosen.trim() !== '') {
    return `${engine.binaryVariable} is ${JSON.stringify(chosen)}, which is not an executable file: point it at the ${engine.runtime} binary, or unset it to use the pinned npm package's`;
  }
  return `${engine.runtime} is not installed (node_modules/.bin/${engine.runtime} is missing): run npm ci, which installs the pinned ${engine.runtime} package, or set ${engine.binaryVariable} to its binary`;
}
