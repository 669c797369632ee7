import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/model/paths';

/** What every step of the set-up (setup.ts) shares: its error, running a command, finding python3. */

/** The command that runs the set-up, for every message that tells a user to run it. */
export const SETUP_COMMAND = 'npx ts-node tools/setup/setup.ts';

/** Debian's interpreter: the CPython runtime uses it, and `python3-venv` gives it the venv module. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** A step of the set-up that cannot be done: its message says how to fix it. */
export class SetupError extends Error {}

/** Whether this process runs as root (then it may apt-get install). */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** A path as the set-up's messages show it: relative to the repository. */
export function shown(file: string): string {
  return path.relative(REPO_ROOT, file) || '.';
}

/** The first `python3` on PATH (absolute), or null: the interpreter the venv is made with. */
export function pathPython(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'python3');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** What a python3 is, as probe() finds it. */
export interface PythonProbe {
  version: [number, number];
  /** `venv` and `ensurepip` both importable: `python3 -m venv` will work (Debian splits ensurepip off). */
  venv: boolean;
  /** Resolved through symlinks and pyenv shims, e.g. /usr/bin/python3.11. */
  executable: string;
}

/** What `python` is, or null when it does not run. find_spec locates modules without importing them. */
export function probe(python: string): PythonProbe | null {
  const result = spawnSync(
    python,
    [
      '-c',
      'import os, sys, importlib.util as u; print(sys.version_info[0], sys.version_info[1], int(all(u.find_spec(m) for m in ("venv", "ensurepip"))), os.path.realpath(sys.executable))',
    ],
    { encoding: 'utf8' },
  );
  const [major, minor, venv, executable] = (result.stdout ?? '').trim().split(' ');
  if (result.status !== 0 || !executable) return null;
  return { version: [Number(major), Number(minor)], venv: venv === '1', executable };
}

/** Run a command with the terminal as its output; a failure is a SetupError naming it. */
export function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    throw new SetupError(`${command} ${args.join(' ')} failed with ${result.error?.message ?? `status ${result.status}`}`);
  }
}
